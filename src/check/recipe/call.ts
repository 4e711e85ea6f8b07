// Reads a recipe statement whose value is a call (`adam(lr: 1e-3)`) or a bare
// name (`adam`, all defaults), checking the callee against a table.
import type { Expr, Span } from '../../syntax/ast.js';
import type { DiagnosticCode } from '../../diagnostics/catalogue.js';
import type { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import { matchArgs, type Given, type ParamSlot } from '../args.js';
import { didYouMean } from '../format.js';
import { StaticArgs } from './args.js';
import { describeStatic, staticValue, type Static } from './static.js';

export interface RecipeCall<K extends string> {
  kind: K;
  args: StaticArgs;
  span: Span;
}

export function readRecipeCall<K extends string>(
  what: string,
  e: Expr,
  table: Readonly<Record<K, readonly ParamSlot[]>>,
  unknownCode: DiagnosticCode,
  sink: DiagnosticSink,
): RecipeCall<K> | null {
  const names = Object.keys(table) as K[];
  const callee = e.kind === 'call' ? e.callee.name : e.kind === 'ref' ? e.name : null;
  const calleeSpan = e.kind === 'call' ? e.callee.span : e.span;
  if (callee === null) {
    const v = staticValue(e, sink);
    if (v) sink.report('NNC3010', `${what} must be one of ${names.join(', ')}, got ${describeStatic(v)}`, e.span, { hint: `e.g. ${names[0]}(…)` });
    return null;
  }
  if (!(names as string[]).includes(callee)) {
    sink.report(unknownCode, `unknown ${what} \`${callee}\``, calleeSpan, { hint: didYouMean(callee, names) ?? `${what}s: ${names.join(', ')}` });
    return null;
  }
  const kind = callee as K;
  if (e.kind !== 'call') return { kind, args: new StaticArgs(callee, e.span, new Map(), sink), span: e.span };
  const m = matchArgs<Static>(callee, e, table[kind], (x) => staticValue(x, sink), sink);
  if (!m) return null;
  return { kind, args: new StaticArgs(callee, e.span, m.given as Map<string, Given<Static>>, sink), span: e.span };
}
