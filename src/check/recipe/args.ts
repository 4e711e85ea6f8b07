// Typed readers over static recipe arguments (call arguments or object
// entries): each wrong kind or out-of-range value is a located NNC3010/3017.
import type { Span } from '../../syntax/ast.js';
import type { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import type { Duration } from '../model.js';
import { numberProblem, type Given, type NumberRule } from '../args.js';
import { didYouMean, formatNumber } from '../format.js';
import { describeStatic, type Static } from './static.js';

export class StaticArgs {
  constructor(
    /** "adam", "train", "phase 2": how messages name the owner. */
    readonly owner: string,
    readonly span: Span,
    readonly given: ReadonlyMap<string, Given<Static>>,
    private readonly sink: DiagnosticSink,
  ) {}

  has(name: string): boolean {
    return this.given.has(name);
  }

  raw(name: string): Static | undefined {
    return this.given.get(name)?.value;
  }

  spanOf(name: string): Span {
    return this.given.get(name)?.span ?? this.span;
  }

  private bad(name: string, expected: string, v: Static, hint?: string): null {
    this.sink.report('NNC3010', `${this.owner}: \`${name}\` must be ${expected}, got ${describeStatic(v)}`, v.span, hint ? { hint } : {});
    return null;
  }

  number(name: string, fallback: number, rule?: NumberRule): number | null;
  number(name: string, fallback: null, rule?: NumberRule): number | null;
  number(name: string, fallback: number | null, rule: NumberRule = {}): number | null {
    const g = this.given.get(name);
    if (g === undefined) return fallback;
    if (g.value.kind !== 'number') return this.bad(name, rule.integer ? 'an integer' : 'a number', g.value, rule.hint);
    const problem = numberProblem(g.value.value, rule);
    if (problem) {
      this.sink.report('NNC3017', `${this.owner}: \`${name}\` must be ${problem}, got ${formatNumber(g.value.value)}`, g.value.span, rule.hint ? { hint: rule.hint } : {});
      return null;
    }
    return g.value.value;
  }

  /** A duration (`1 epoch`, `500 steps`): positive; whole steps. */
  duration(name: string): Duration | null | undefined {
    const g = this.given.get(name);
    if (g === undefined) return undefined;
    return readDuration(g.value, `${this.owner}: \`${name}\``, this.sink);
  }

  string(name: string, fallback: string | null): string | null {
    const g = this.given.get(name);
    if (g === undefined) return fallback;
    if (g.value.kind !== 'string' || g.value.value === '') return this.bad(name, 'a non-empty string', g.value);
    return g.value.value;
  }

  symbol<T extends string>(name: string, allowed: readonly T[], fallback: T): T | null {
    const g = this.given.get(name);
    if (g === undefined) return fallback;
    return readSymbol(g.value, allowed, `${this.owner}: \`${name}\``, this.sink);
  }

  bool(name: string, fallback: boolean): boolean | null {
    const g = this.given.get(name);
    if (g === undefined) return fallback;
    const v = g.value;
    if (v.kind === 'symbol' && (v.name === 'true' || v.name === 'false')) return v.name === 'true';
    return this.bad(name, 'true or false', v);
  }
}

export function readDuration(v: Static, what: string, sink: DiagnosticSink): Duration | null {
  if (v.kind !== 'duration') {
    sink.report('NNC3010', `${what} must be a duration, got ${describeStatic(v)}`, v.span, {
      hint: v.kind === 'number' ? `write \`${formatNumber(v.value)} epoch\` or \`${formatNumber(v.value)} steps\`` : 'e.g. `1 epoch` or `500 steps`',
    });
    return null;
  }
  const d = v.value;
  const ok = d.value > 0 && Number.isFinite(d.value) && (d.unit === 'epoch' || Number.isInteger(d.value));
  if (!ok) {
    sink.report('NNC3017', `${what} must be ${d.unit === 'step' ? 'a positive whole number of steps' : 'a positive number of epochs'}, got ${formatNumber(d.value)} ${d.unit}`, v.span);
    return null;
  }
  return d;
}

export function readSymbol<T extends string>(v: Static, allowed: readonly T[], what: string, sink: DiagnosticSink, code: 'NNC3017' | 'NNC3007' = 'NNC3017'): T | null {
  const text = v.kind === 'symbol' ? v.name : v.kind === 'string' ? v.value : null;
  if (text !== null && (allowed as readonly string[]).includes(text)) return text as T;
  if (text === null) {
    sink.report('NNC3010', `${what} must be one of ${allowed.join(', ')}, got ${describeStatic(v)}`, v.span);
  } else {
    sink.report(code, `${what}: unknown value \`${text}\``, v.span, { hint: didYouMean(text, allowed) ?? `one of ${allowed.join(', ')}` });
  }
  return null;
}

/**
 * Reads an object literal's entries against the allowed keys; unknown keys
 * (with a did-you-mean) and repeated keys are errors.
 */
export function objectArgs(owner: string, v: Static, keys: readonly string[], sink: DiagnosticSink): StaticArgs | null {
  if (v.kind !== 'object') {
    sink.report('NNC3010', `${owner} must be an object \`{ key: value, … }\`, got ${describeStatic(v)}`, v.span);
    return null;
  }
  const given = new Map<string, Given<Static>>();
  let ok = true;
  for (const e of v.entries) {
    if (!keys.includes(e.key)) {
      sink.report('NNC3008', `${owner} has no setting \`${e.key}\``, e.keySpan, { hint: didYouMean(e.key, keys) ?? `settings: ${keys.join(', ')}` });
      ok = false;
    } else if (given.has(e.key)) {
      sink.report('NNC3018', `${owner}: \`${e.key}\` is given twice`, e.keySpan);
      ok = false;
    } else {
      given.set(e.key, { value: e.value, span: e.keySpan });
    }
  }
  return ok ? new StaticArgs(owner, v.span, given, sink) : null;
}
