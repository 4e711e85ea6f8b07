// How the checker names types, values and places in messages, so every
// diagnostic speaks the same way: `f32[batch, 28, 28]`, "`image` (line 4)",
// and suggests names exactly as the name checker does (suggest.ts).
import type { Span } from '../syntax/ast.js';
import { closest } from './suggest.js';

export { closest } from './suggest.js';
export { formatType } from '../ir/shapes.js';

/**
 * "`image` (line 4)": where a value was bound, for shape messages. With
 * `withFile` (a spec that uses others) the file is named: "(mnist-mlp.nn:4)".
 */
export function formatFrom(name: string, span: Span | null, withFile = false): string {
  if (!span) return `\`${name}\``;
  return `\`${name}\` (${withFile ? `${span.file.split(/[\\/]/).pop()}:${span.line}` : `line ${span.line}`})`;
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
