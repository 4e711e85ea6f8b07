// Plain data → TypeScript literal text, for the configuration the trainer
// embeds (spec recipe, data sources, schedule). Deterministic: keys keep their
// order; short values stay on one line, long ones break one entry per line.

export type Plain = null | boolean | number | string | readonly Plain[] | { readonly [key: string]: Plain | undefined };

const MAX_LINE = 90;

export function literal(value: Plain, indent = ''): string {
  const flat = flatLiteral(value);
  if (flat.length + indent.length <= MAX_LINE || !isContainer(value)) return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => `${inner}${literal(v, inner)},\n`).join('')}${indent}]`;
  }
  const entries = Object.entries(value as Record<string, Plain | undefined>).filter(([, v]) => v !== undefined);
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${literal(v as Plain, inner)},\n`).join('')}${indent}}`;
}

function isContainer(v: Plain): boolean {
  return v !== null && typeof v === 'object';
}

function flatLiteral(value: Plain): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => flatLiteral(v)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, Plain | undefined>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${key(k)}: ${flatLiteral(v as Plain)}`).join(', ')} }`;
}

export function numberLiteral(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}

export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function key(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : quote(k);
}
