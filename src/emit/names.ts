// Identifiers of the generated program: `.nn` names (dotted, possibly
// clashing with TypeScript words) become valid, unique, readable identifiers.

const RESERVED = new Set([
  // TypeScript / JavaScript words
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof',
  'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void',
  'while', 'with', 'as', 'implements', 'interface', 'let', 'package', 'private', 'protected', 'public',
  'static', 'yield', 'await', 'async', 'of', 'type', 'any', 'number', 'string', 'boolean', 'undefined',
  'arguments', 'eval',
  // names the generated program itself uses
  'tf', 'rt', 'K', 'params', 'batch', 'training', 'rng', 'fwd', 'grads', 'state', 'process', 'console',
  'main', 'forward', 'backward', 'loss', 'prediction',
]);

/** `h.weight` → `h_weight`; anything that is not an identifier character becomes `_`. */
export function identifierFor(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_$]/g, '_');
  if (id === '' || /^[0-9]/.test(id)) id = `_${id}`;
  return id;
}

/** Hands out unique identifiers; a taken or reserved name gets a numeric suffix. */
export class NameTable {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = RESERVED) {
    for (const r of reserved) this.taken.add(r);
  }

  /** A fresh identifier close to `preferred`; `fallbackSuffix` disambiguates (e.g. the node id). */
  claim(preferred: string, fallbackSuffix?: string | number): string {
    const base = identifierFor(preferred);
    if (!this.taken.has(base)) {
      this.taken.add(base);
      return base;
    }
    const first = fallbackSuffix === undefined ? undefined : `${base}_${fallbackSuffix}`;
    if (first !== undefined && !this.taken.has(first)) {
      this.taken.add(first);
      return first;
    }
    for (let i = 2; ; i++) {
      const candidate = `${base}_${i}`;
      if (!this.taken.has(candidate)) {
        this.taken.add(candidate);
        return candidate;
      }
    }
  }

  /** Marks a name as used without renaming it (names fixed by the program's structure). */
  reserve(name: string): void {
    this.taken.add(name);
  }
}

/** A readable identifier for a scalar constant's value: 0.5 → `k0_5`, 1e-8 → `k1e_minus8`, -1 → `kMinus1`. */
export function constantName(value: number, dtype: 'f32' | 'i32'): string {
  const text = String(value)
    .replace(/^-/, 'Minus')
    .replace(/e-/, 'e_minus')
    .replace(/e\+/, 'e')
    .replace(/\./g, '_');
  return `k${text}${dtype === 'i32' ? '_i32' : ''}`;
}
