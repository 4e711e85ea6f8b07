// Binding a call's positional and named arguments to a callee's parameter
// list, then reading them back as the kinds a layer needs, each misuse a
// located diagnostic ("dense: `units` must be a positive integer, got 0").
import type { Call, Expr, Span } from '../syntax/ast.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import { didYouMean, formatNumber } from './format.js';
import { describeValue, type TensorValue, type Value } from './values.js';

export interface ParamSlot {
  name: string;
  required: boolean;
  /** Takes every remaining positional argument (`l2(a, b, …)`). */
  rest?: boolean;
  /** Only by name (`activation: relu`), never by position. */
  named?: boolean;
}

export interface Given<V = Value> {
  value: V;
  span: Span;
}

export class BoundArgs {
  constructor(
    readonly callee: string,
    readonly callSpan: Span,
    private readonly given: Map<string, Given>,
    readonly rest: Given[],
    private readonly sink: DiagnosticSink,
  ) {}

  has(name: string): boolean {
    return this.given.has(name);
  }

  span(name: string): Span {
    return this.given.get(name)?.span ?? this.callSpan;
  }

  raw(name: string): Value | undefined {
    return this.given.get(name)?.value;
  }

  private bad(name: string, expected: string, v: Value): null {
    this.sink.report('NNC3010', `${this.callee}: \`${name}\` must be ${expected}, got ${describeValue(v)}`, this.span(name));
    return null;
  }

  tensor(name: string): TensorValue | null {
    const v = this.given.get(name)?.value;
    if (v === undefined) return null;
    if (v.kind === 'tensor') return v;
    if (v.kind === 'symbol') {
      this.sink.report('NNC3001', `undefined name \`${v.name}\``, v.span);
      return null;
    }
    return this.bad(name, 'a tensor', v);
  }

  /** A number, checked against a range; `fallback` when the argument is absent. */
  number(name: string, fallback: number | null, rule: NumberRule = {}): number | null {
    const g = this.given.get(name);
    if (g === undefined) return fallback;
    if (g.value.kind !== 'number') return this.bad(name, rule.integer ? 'an integer' : 'a number', g.value);
    const problem = numberProblem(g.value.value, rule);
    if (problem) {
      this.sink.report('NNC3017', `${this.callee}: \`${name}\` must be ${problem}, got ${formatNumber(g.value.value)}`, g.span, rule.hint ? { hint: rule.hint } : {});
      return null;
    }
    return g.value.value;
  }

  /** One of a fixed set of bare names (`activation: relu`). */
  symbol<T extends string>(name: string, allowed: readonly T[], fallback: T | null): T | null {
    const g = this.given.get(name);
    if (g === undefined) return fallback;
    const v = g.value;
    const text = v.kind === 'symbol' ? v.name : v.kind === 'string' ? v.value : null;
    if (text === null) return this.bad(name, `one of ${allowed.join(', ')}`, v);
    if ((allowed as readonly string[]).includes(text)) return text as T;
    const hint = didYouMean(text, allowed) ?? `one of ${allowed.join(', ')}`;
    this.sink.report('NNC3017', `${this.callee}: unknown ${name} \`${text}\``, g.span, { hint });
    return null;
  }

  bool(name: string, fallback: boolean): boolean | null {
    const g = this.given.get(name);
    if (g === undefined) return fallback;
    const v = g.value;
    if (v.kind === 'symbol' && (v.name === 'true' || v.name === 'false')) return v.name === 'true';
    return this.bad(name, 'true or false', v);
  }

  string(name: string, fallback: string | null): string | null {
    const g = this.given.get(name);
    if (g === undefined) return fallback;
    if (g.value.kind !== 'string') return this.bad(name, 'a string', g.value);
    return g.value.value;
  }
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  /** Exclusive bounds: `rate` is in [0, 1), `fraction` in (0, 1). */
  above?: number;
  below?: number;
  hint?: string;
}

/** What is wrong with `n` under `rule`, as "a positive integer"-style text, or null. */
export function numberProblem(n: number, rule: NumberRule): string | null {
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || n >= rule.min) &&
    (rule.max === undefined || n <= rule.max) &&
    (rule.above === undefined || n > rule.above) &&
    (rule.below === undefined || n < rule.below);
  if (ok) return null;
  return describeRule(rule);
}

function describeRule(rule: NumberRule): string {
  const what = rule.integer ? 'an integer' : 'a number';
  if (rule.integer && rule.min === 1 && rule.max === undefined) return 'a positive integer';
  if (!rule.integer && rule.above === 0 && rule.below === undefined && rule.max === undefined) return 'a positive number';
  if (rule.min === 0 && rule.max === undefined && rule.below === undefined) return `${rule.integer ? 'an integer' : 'a number'} ≥ 0`;
  const lo = rule.min !== undefined ? `[${rule.min}` : rule.above !== undefined ? `(${rule.above}` : '(-∞';
  const hi = rule.max !== undefined ? `${rule.max}]` : rule.below !== undefined ? `${rule.below})` : '∞)';
  return `${what} in ${lo}, ${hi}`;
}

/** Arguments matched to slots: named values, plus the rest of the positionals for a `rest` slot. */
export interface Matched<V> {
  given: Map<string, Given<V>>;
  rest: Given<V>[];
}

/**
 * Matches `call`'s arguments to `slots`: positionals in order, then named.
 * Every argument is evaluated (so all errors are reported); null if any failed.
 */
export function matchArgs<V>(
  callee: string,
  call: Call,
  slots: readonly ParamSlot[],
  evaluate: (e: Expr) => V | null,
  sink: DiagnosticSink,
): Matched<V> | null {
  const given = new Map<string, Given<V>>();
  const rest: Given<V>[] = [];
  let ok = true;
  let position = 0;
  const restSlot = slots.find((s) => s.rest);
  const fixed = slots.filter((s) => !s.rest);
  const positional = fixed.filter((s) => !s.named);
  for (const arg of call.args) {
    const value = evaluate(arg.value);
    if (value === null) ok = false;
    if (arg.name === null) {
      const slot = positional[position];
      if (slot === undefined) {
        if (restSlot) {
          if (value !== null) rest.push({ value, span: arg.value.span });
          continue;
        }
        sink.report('NNC3011', `${callee} takes at most ${positional.length} positional argument(s), got ${call.args.filter((a) => a.name === null).length}`, arg.span, {
          hint: usage(callee, slots),
        });
        ok = false;
        continue;
      }
      position++;
      if (value !== null) given.set(slot.name, { value, span: arg.value.span });
      continue;
    }
    const name = arg.name.name;
    const slot = fixed.find((s) => s.name === name);
    if (!slot) {
      const hint = didYouMean(name, fixed.map((s) => s.name)) ?? (fixed.length ? `${callee} takes ${fixed.map((s) => s.name).join(', ')}` : `${callee} takes no named arguments`);
      sink.report('NNC3008', `${callee} has no argument \`${name}\``, arg.name.span, { hint });
      ok = false;
      continue;
    }
    if (given.has(name) || (!slot.named && positional.indexOf(slot) < position)) {
      sink.report('NNC3018', `${callee}: argument \`${name}\` is given twice`, arg.name.span);
      ok = false;
      continue;
    }
    if (value !== null) given.set(name, { value, span: arg.value.span });
  }
  if (!ok) return null;
  for (const slot of fixed) {
    if (slot.required && !given.has(slot.name)) {
      sink.report('NNC3009', `${callee} is missing its argument \`${slot.name}\``, call.span, {
        hint: usage(callee, slots),
      });
      ok = false;
    }
  }
  if (restSlot?.required && rest.length === 0) {
    sink.report('NNC3009', `${callee} needs at least one argument`, call.span);
    ok = false;
  }
  return ok ? { given, rest } : null;
}

/** `matchArgs` for net and loss values, with typed readers. */
export function bindArgs(
  callee: string,
  call: Call,
  slots: readonly ParamSlot[],
  evaluate: (e: Expr) => Value | null,
  sink: DiagnosticSink,
): BoundArgs | null {
  const m = matchArgs(callee, call, slots, evaluate, sink);
  return m && new BoundArgs(callee, call.span, m.given, m.rest, sink);
}

/** `dense(x, units, activation: …)`: how a callable is called, for hints. */
export function usage(callee: string, slots: readonly ParamSlot[]): string {
  return `${callee}(${slots.map((s) => (s.rest ? `${s.name}…` : s.named ? `${s.name}: …` : s.name)).join(', ')})`;
}
