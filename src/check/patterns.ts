// Parameter patterns of freeze/unfreeze, lr_scale, decay_scale, phases and
// `init from … map`: `h` (a layer: every `h.…` parameter, or the parameter
// `h` itself), `h.weight` (one parameter), globs with `*` (any run of
// characters, dots included) and `?` (one character), and `all`.
import type { Span } from '../syntax/ast.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import { closest } from './format.js';

export function patternRegExp(text: string): RegExp {
  const body = text
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}(\\..*)?$`);
}

export function matchPattern(text: string, names: readonly string[]): string[] {
  if (text === 'all') return names.slice();
  const re = patternRegExp(text);
  return names.filter((n) => re.test(n));
}

/**
 * The parameters `text` matches; a pattern matching none is an error
 * (NNC3016) with the closest layer or parameter name as a hint.
 */
export function resolvePattern(text: string, span: Span, names: readonly string[], sink: DiagnosticSink, what: string): string[] | null {
  const matched = matchPattern(text, names);
  if (matched.length > 0) return matched;
  const layers = new Set<string>();
  for (const n of names) {
    const parts = n.split('.');
    for (let i = 1; i < parts.length; i++) layers.add(parts.slice(0, i).join('.'));
  }
  const near = closest(text, [...layers, ...names]);
  sink.report('NNC3016', `${what} \`${text}\` matches no parameter`, span, {
    hint: near ? `did you mean \`${near}\`?` : `parameters: ${names.map((n) => `\`${n}\``).join(', ') || 'none'}`,
  });
  return null;
}
