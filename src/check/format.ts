// How the checker names types, values and places in messages, so every
// diagnostic speaks the same way: `f32[batch, 28, 28]`, "`image` (line 4)".
import type { Span } from '../syntax/ast.js';
import type { TensorType } from '../ir/types.js';

export function formatType(t: TensorType): string {
  return `${t.dtype}[${t.shape.join(', ')}]`;
}

/**
 * "`image` (line 4)": where a value was bound, for shape messages. With
 * `withFile` (a spec that uses others) the file is named: "(mnist-mlp.nn:4)".
 */
export function formatFrom(name: string, span: Span | null, withFile = false): string {
  if (!span) return `\`${name}\``;
  return `\`${name}\` (${withFile ? `${span.file.split(/[\\/]/).pop()}:${span.line}` : `line ${span.line}`})`;
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within a small edit distance, or null. */
export function closest(name: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best !== null && bestD <= limit ? best : null;
}

/** " did you mean `x`?"-style hint text, or undefined when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const c = closest(name, candidates);
  return c === null ? undefined : `did you mean \`${c}\`?`;
}

/** A number as a user wrote it would read it (no float noise like 0.30000000000000004). */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}
