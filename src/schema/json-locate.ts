// Finds where a JSON-pointer path sits in JSON text, so schema errors in a
// hand-written JSON spec point at the offending value. Only called on text
// that JSON.parse accepted, so the scanner can be small and trusting.

export interface TextRange {
  offset: number;
  length: number;
}

/** The range of the value at `pointer` (e.g. `/statements/2/value`), or of its closest existing ancestor. */
export function locateJsonPointer(text: string, pointer: string): TextRange {
  const steps = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let pos = skipSpace(text, 0);
  let found: TextRange = { offset: pos, length: valueEnd(text, pos) - pos };
  for (const step of steps) {
    const child = childValue(text, pos, step);
    if (child === null) break;
    pos = child;
    found = { offset: pos, length: valueEnd(text, pos) - pos };
  }
  return found;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

/** Offset of the member `key` (object) or element `key` (array) of the value at `at`. */
function childValue(text: string, at: number, key: string): number | null {
  const open = text[at];
  if (open !== '{' && open !== '[') return null;
  let i = skipSpace(text, at + 1);
  for (let index = 0; text[i] !== '}' && text[i] !== ']' && i < text.length; index++) {
    let name = String(index);
    if (open === '{') {
      const end = stringEnd(text, i);
      name = JSON.parse(text.slice(i, end)) as string;
      i = skipSpace(text, skipSpace(text, end) + 1); // past `:`
    }
    if (name === key) return i;
    i = skipSpace(text, valueEnd(text, i));
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return null;
}

function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Offset just past the JSON value starting at `i`. */
function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') j = stringEnd(text, j) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') if (--depth === 0) return j + 1;
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !/[\s,\]}]/.test(text[j] as string)) j++;
  return j;
}
