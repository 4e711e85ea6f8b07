// The heart of the checker: evaluates net, def and loss expressions into a
// forward graph. Layers expand into primitives through `GraphBuilder.tryAdd`,
// so shape inference is exactly the ops' shape rules; a refused shape becomes
// a located diagnostic naming the layer, the values and both types.
import type { Call, Def, Expr, Span } from '../syntax/ast.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { Attrs, GraphInput, InitSpec, ParamInfo, TensorType, ValueId } from '../ir/types.js';
import type { OpKind } from '../ops/kinds.js';
import { GraphBuilder } from '../ir/builder.js';
import { closest, formatFrom, formatNumber, formatType } from './format.js';
import { exprText } from './exprText.js';
import { Env } from './env.js';
import type { TensorValue, Value } from './values.js';
import { callCallable } from './callables.js';
import { expandDefBody } from './defs.js';

/** Where an expression is evaluated: a net or def body builds layers; a loss may call loss functions. */
export type Mode = 'net' | 'loss';

export interface Frame {
  scope: Env;
  /** Parameter namespace: '' at top level, the def call's binding (`r`) inside a def body. */
  base: string;
  /** Parameter-name prefix of the binding being expanded (`h`, `r.y`); '' outside any binding. */
  prefix: string;
  /** Human label recorded on nodes (the binding name). */
  label: string;
  /** Count of anonymous layer calls per callee in this binding, for `h.dense_1`-style names. */
  anonymous: Map<string, number>;
  /** Nesting depth of def expansion (a recursion guard). */
  depth: number;
  mode: Mode;
}

/** What a target value means for the loss functions. */
export interface TargetInfo {
  name: string;
  kind: 'class' | 'binary' | 'regression';
  classes: number | null;
  span: Span;
}


export const MAX_DEF_DEPTH = 32;

export class Expander {
  readonly b = new GraphBuilder();
  readonly params: ParamInfo[] = [];
  readonly inputs: GraphInput[] = [];
  readonly targets = new Map<ValueId, TargetInfo>();
  /** State parameters' new values after a training step (batch_norm's running statistics). */
  readonly updates: Record<string, ValueId> = {};
  /** Values of bindings swapped by `replace` (a new head may redefine an inherited class count). */
  readonly replaced = new Set<ValueId>();
  /** Targets declared in a `use`d spec rather than the one being checked. */
  readonly inheritedTargets = new Set<ValueId>();
  /** The def calls being expanded, outermost first (for "called here" notes). */
  private readonly calls: { def: string; text: string; span: Span }[] = [];
  /** Defs already reported as recursive (said once, not at every call). */
  private readonly recursive = new Set<string>();

  constructor(
    readonly sink: DiagnosticSink,
    readonly defs: ReadonlyMap<string, Def>,
    /** The spec spans several files (`use`): provenance names the file as well as the line. */
    readonly multiFile = false,
  ) {}

  type(v: TensorValue | ValueId): TensorType {
    return this.b.type(typeof v === 'number' ? v : v.id);
  }

  /** "f32[batch, 28, 28] from `image` (line 4)". */
  describe(v: TensorValue): string {
    return `${formatType(this.type(v))} from ${formatFrom(v.name, v.span, this.multiFile)}`;
  }

  origin(span: Span | null, label: string | null) {
    return { phase: 'forward' as const, span, of: null, label };
  }

  /**
   * Adds an op over tensor values. A shape rule's refusal is reported at `span`
   * as "<who>: <rule's words>; got <each input's type and provenance>".
   */
  op(op: OpKind, ins: readonly TensorValue[], attrs: Attrs, at: { span: Span; label: string; who: string; name?: string }): TensorValue | null {
    const r = this.b.tryAdd(
      op,
      ins.map((v) => v.id),
      attrs,
      this.origin(at.span, at.label),
    );
    if (typeof r === 'number') return { kind: 'tensor', id: r, name: at.name ?? at.who, span: at.span };
    const code = /rank/i.test(r.error) ? 'NNC3021' : /dtype|float|expects (f32|i32)/i.test(r.error) ? 'NNC3022' : 'NNC3020';
    const sides = ins.length === 2 ? ['left', 'right'] : ins.map((_, i) => `input ${i + 1}`);
    const from = ins.map((v, i) => `${ins.length > 1 ? `${sides[i]}: ` : 'from '}${formatFrom(v.name, v.span, this.multiFile)}`).join('; ');
    const inBinding = at.label && at.label !== at.who ? ` in \`${at.label}\`` : '';
    const message = `${at.who}${inBinding}: ${stripOpPrefix(r.error, op)}${from ? ` (${from})` : ''}`;
    const extra: { hint?: string; related?: { message: string; span: Span }[] } = { related: this.callSites() };
    // The language has no cast: a dtype refusal gets a hint about what i32 values are for.
    const hint = code === 'NNC3022' ? 'i32 values are class labels or token ids; arithmetic and layers take f32 values' : (r.hint ?? DEFAULT_HINTS[op]);
    if (hint) extra.hint = hint;
    this.sink.report(code, message, at.span, extra);
    return null;
  }

  /** "in `residual(x, 32)`, called here" notes for an error inside def bodies, innermost first. */
  callSites(): { message: string; span: Span }[] {
    return this.calls
      .slice()
      .reverse()
      .map((c) => ({ message: `in \`${c.text}\`, called here`, span: c.span }));
  }

  /** A scalar f32 constant node. */
  constant(value: number, span: Span, label: string): TensorValue {
    const id = this.b.add('const', [], { value }, this.origin(span, label));
    return { kind: 'tensor', id, name: formatNumber(value), span };
  }

  addInput(name: string, role: 'input' | 'target', type: TensorType, span: Span): TensorValue {
    const id = this.b.add('input', [], { name, dtype: type.dtype, shape: type.shape.slice() }, this.origin(span, name));
    this.inputs.push({ name, id, type, role });
    return { kind: 'tensor', id, name, span };
  }

  hasParam(name: string): boolean {
    return this.params.some((p) => p.name === name);
  }

  /** A trainable parameter `name` (dotted) of a static shape; a repeated name is reported. */
  addParam(name: string, shape: number[], init: InitSpec, span: Span, label: string, opts: { state?: boolean } = {}): TensorValue | null {
    if (this.hasParam(name)) {
      this.sink.report('NNC3002', `parameter \`${name}\` is created twice`, span, {
        hint: 'bind each layer call to its own name, or give params in a def distinct names',
      });
      return null;
    }
    const id = this.b.add('param', [], { name, dtype: 'f32', shape }, this.origin(span, label));
    const info: ParamInfo = { name, id, type: { dtype: 'f32', shape }, init, trainable: !opts.state, lrScale: 1, decayScale: 1, span };
    if (opts.state) info.state = true;
    this.params.push(info);
    return { kind: 'tensor', id, name, span };
  }

  /** The parameter prefix for a layer call: the binding's own name, or `binding.layer_N` for a nested call. */
  layerPrefix(frame: Frame, callee: string, given: string | undefined): string {
    if (given !== undefined) return given;
    const n = (frame.anonymous.get(callee) ?? 0) + 1;
    frame.anonymous.set(callee, n);
    return frame.prefix ? `${frame.prefix}.${callee}_${n}` : `${callee}_${n}`;
  }

  /**
   * Evaluates `e`. `prefix` is given only for the root call of a binding, whose
   * parameters take the binding's name. Null: an error was reported.
   */
  evaluate(e: Expr, frame: Frame, prefix?: string): Value | null {
    switch (e.kind) {
      case 'number':
        return { kind: 'number', value: e.value, span: e.span };
      case 'string':
        return { kind: 'string', value: e.value, span: e.span };
      case 'ref':
        return this.lookup(e.name, e.span, frame);
      case 'list': {
        const items: Value[] = [];
        let ok = true;
        for (const i of e.items) {
          const v = this.evaluate(i, frame);
          if (v) items.push(v);
          else ok = false;
        }
        return ok ? { kind: 'list', items, span: e.span } : null;
      }
      case 'unary': {
        const v = this.evaluate(e.operand, frame);
        if (v === null) return null;
        if (v.kind === 'number') return { kind: 'number', value: -v.value, span: e.span };
        const t = this.asTensor(v, '-');
        return t && this.op('neg', [t], {}, { span: e.span, label: frame.label, who: 'unary minus', name: exprText(e) });
      }
      case 'binary':
        return this.binary(e, frame);
      case 'call':
        return callCallable(this, e, frame, prefix);
      case 'duration':
        this.sink.report('NNC3010', `a duration (\`${exprText(e)}\`) has no meaning here`, e.span, { hint: 'durations belong in schedules: `cosine(warmup: 1 epoch)`' });
        return null;
      case 'object':
        this.sink.report('NNC3010', 'an object literal has no meaning here', e.span);
        return null;
    }
  }

  private lookup(name: string, span: Span, frame: Frame): Value | null {
    if (name.includes('.')) {
      // `h.weight`: a parameter, named relative to the current def (if any).
      const full = frame.base ? `${frame.base}.${name}` : name;
      const p = this.params.find((q) => q.name === full);
      if (p) return { kind: 'tensor', id: p.id, name: p.name, span: p.span };
      const head = name.split('.')[0]!;
      if (frame.scope.lookup(head) === 'poisoned') return null;
      const names = this.params.map((q) => q.name);
      const near = names.filter((n) => n.startsWith(head + '.'));
      this.sink.report('NNC3015', `unknown parameter \`${name}\``, span, {
        hint: didYouMeanParam(name, names) ?? (near.length ? `\`${head}\` has ${near.map((n) => `\`${n}\``).join(', ')}` : `parameters: ${names.map((n) => `\`${n}\``).join(', ') || 'none'}`),
      });
      return null;
    }
    const slot = frame.scope.lookup(name);
    if (slot === 'poisoned') return null;
    if (slot !== undefined && 'forbidden' in slot) {
      this.sink.report('NNC3010', slot.forbidden, span, { hint: slot.hint });
      return null;
    }
    if (slot !== undefined) return slot;
    return { kind: 'symbol', name, span };
  }

  /** A tensor operand, or a reported error naming what was found instead. */
  asTensor(v: Value, where: string): TensorValue | null {
    if (v.kind === 'tensor') return v;
    if (v.kind === 'symbol') {
      this.sink.report('NNC3001', `undefined name \`${v.name}\``, v.span);
      return null;
    }
    const got = v.kind === 'number' ? `the number ${formatNumber(v.value)}` : v.kind === 'string' ? `the string "${v.value}"` : v.kind === 'init' ? `the initialiser ${v.init}` : 'a list';
    this.sink.report('NNC3010', `\`${where}\` needs a tensor here, got ${got}`, v.span);
    return null;
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, frame: Frame): Value | null {
    const l = this.evaluate(e.left, frame);
    const r = this.evaluate(e.right, frame);
    if (l === null || r === null) return null;
    if (l.kind === 'number' && r.kind === 'number' && e.op !== '@') {
      const value = e.op === '+' ? l.value + r.value : e.op === '-' ? l.value - r.value : e.op === '*' ? l.value * r.value : l.value / r.value;
      if (!Number.isFinite(value)) {
        this.sink.report('NNC3017', `\`${exprText(e)}\` is not a finite number`, e.span);
        return null;
      }
      return { kind: 'number', value, span: e.span };
    }
    const at = { span: e.span, label: frame.label, who: `\`${exprText(e)}\``, name: exprText(e) };
    const toTensor = (v: Value): TensorValue | null =>
      v.kind === 'number' && e.op !== '@' ? this.constant(v.value, v.span, frame.label) : this.asTensor(v, e.op);
    const a = toTensor(l);
    const b = toTensor(r);
    if (a === null || b === null) return null;
    switch (e.op) {
      case '+':
        return this.op('add', [a, b], {}, at);
      case '-':
        return this.op('sub', [a, b], {}, at);
      case '*':
        return this.op('mul', [a, b], {}, at);
      case '/':
        return this.op('div', [a, b], {}, at);
      case '@':
        return this.op('matmul', [a, b], { transposeA: false, transposeB: false }, at);
    }
  }

  /** Calls a `def` layer: binds its parameters, creates its `param`s under `prefix`, expands its body. */
  callDef(def: Def, call: Call, frame: Frame, prefix: string, argValues: Map<string, Value>): Value | null {
    // A def has no conditionals, so calling itself (directly or not) never ends.
    const cycle = this.calls.findIndex((c) => c.def === def.name.name);
    if (cycle >= 0 || frame.depth >= MAX_DEF_DEPTH) {
      if (this.recursive.has(def.name.name)) return null;
      this.recursive.add(def.name.name);
      const path = [...this.calls.slice(Math.max(0, cycle)).map((c) => c.def), def.name.name].join(' → ');
      this.sink.report('NNC3017', `def \`${def.name.name}\` calls itself (${path}), so its expansion never ends`, call.span, { related: this.callSites() });
      return null;
    }
    const scope = new Env();
    for (const [k, v] of argValues) scope.bind(k, v);
    const inner: Frame = { scope, base: prefix, prefix, label: prefix, anonymous: new Map(), depth: frame.depth + 1, mode: 'net' };
    this.calls.push({ def: def.name.name, text: exprText(call), span: call.span });
    try {
      return expandDefBody(this, def, inner);
    } finally {
      this.calls.pop();
    }
  }
}

/** Hints for shape refusals whose op gives none. */
const ELEMENTWISE = 'elementwise operands need equal shapes, or shapes that broadcast (a missing or size-1 axis stretches)';
const DEFAULT_HINTS: Partial<Record<OpKind, string>> = {
  add: ELEMENTWISE,
  sub: ELEMENTWISE,
  mul: ELEMENTWISE,
  div: ELEMENTWISE,
  matmul: 'in a @ b, the last dimension of a must equal the first dimension of b',
};

function stripOpPrefix(error: string, op: string): string {
  return error.startsWith(`${op}: `) ? error.slice(op.length + 2) : error;
}

function didYouMeanParam(name: string, names: readonly string[]): string | undefined {
  const best = closest(name, names);
  return best === null ? undefined : `did you mean \`${best}\`?`;
}
