// Name checks inside expressions: references resolve, calls name a known
// callable, arguments match the callee's signature (names, count, kind).
import type * as A from '../syntax/ast.js';
import type { DiagnosticCode } from '../diagnostics/catalogue.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import { ACTIVATIONS, FUNCTIONS, INITIALISERS, LAYERS, METRICS, SCHEDULES, netCallable, type ParamSig, type Signature } from './signatures.js';
import { type Scope } from './scope.js';
import { didYouMean } from './suggest.js';

export interface ExprContext {
  scope: Scope;
  /** `net`: layers, functions and defs may be called; `loss`: functions and defs only. */
  callables: 'net' | 'loss';
  /** Names may come from a `use`d spec that was not loaded: unknown names are not errors. */
  openWorld: boolean;
  /** Names of `data { }` bindings, for `split(train, …)`. */
  dataScope?: Scope;
  /** Layer bindings whose parameters `params` values may name. */
  layerScope?: Scope;
}

type Callable = { name: string; params: readonly ParamSig[] };

export class ExprChecker {
  constructor(
    private readonly sink: DiagnosticSink,
    private readonly defs: ReadonlyMap<string, A.Def>,
  ) {}

  expr(e: A.Expr, ctx: ExprContext): void {
    switch (e.kind) {
      case 'number':
      case 'string':
        return;
      case 'ref':
        return this.ref(e, ctx);
      case 'call':
        return this.call(e, ctx);
      case 'binary':
        this.expr(e.left, ctx);
        return this.expr(e.right, ctx);
      case 'unary':
        return this.expr(e.operand, ctx);
      case 'duration':
        return this.expr(e.value, ctx);
      case 'list':
        return e.items.forEach((i) => this.expr(i, ctx));
      case 'object':
        return e.entries.forEach((en) => this.expr(en.value, ctx));
    }
  }

  ref(r: A.Ref, ctx: ExprContext): void {
    if (r.name.includes('*')) {
      this.sink.report('NNC3017', `a glob (\`${r.name}\`) can only name parameters, not a value`, r.span);
      return;
    }
    const head = r.name.split('.')[0] ?? r.name;
    const found = ctx.scope.lookup(head, r.span.offset);
    if (found.state === 'bound') return;
    if (found.state === 'later') {
      this.sink.report('NNC3001', `\`${head}\` is used before it is bound`, r.span, {
        related: [{ message: `\`${head}\` is bound here`, span: found.span }],
        hint: 'bindings run top to bottom: move this line below the binding',
      });
      return;
    }
    if (ctx.openWorld) return;
    const callable = this.callable(head, ctx);
    const hint = callable ? { hint: `\`${head}\` is a function: call it, e.g. \`${head}(…)\`` } : didYouMean(head, ctx.scope.all());
    this.sink.report('NNC3001', `undefined name \`${head}\``, r.span, hint);
  }

  call(c: A.Call, ctx: ExprContext): void {
    const callee = this.callable(c.callee.name, ctx);
    if (!callee) {
      const known = [...(ctx.callables === 'net' ? LAYERS.keys() : []), ...FUNCTIONS.keys(), ...this.defs.keys()];
      const misplaced = ctx.callables === 'loss' && LAYERS.has(c.callee.name);
      this.sink.report('NNC3003', misplaced ? `layer \`${c.callee.name}\` can only be used inside \`net { }\`` : `unknown layer or function \`${c.callee.name}\``, c.callee.span,
        misplaced ? { hint: 'bind it in `net { }` and use its name here' } : didYouMean(c.callee.name, known));
      // Named values (`activation: relu`) mean something only to the intended callee.
      c.args.filter((a) => a.name === null).forEach((a) => this.expr(a.value, ctx));
      return;
    }
    this.args(c, callee, ctx);
  }

  private callable(name: string, ctx: ExprContext): Callable | null {
    const def = this.defs.get(name);
    if (def) return { name, params: def.params.map((p) => ({ name: p.name.name, type: 'tensor', positional: true, ...(p.default ? { default: 0 } : {}) })) };
    const sig = ctx.callables === 'net' ? netCallable(name) : FUNCTIONS.get(name);
    return sig ?? null;
  }

  /** Matches a call's arguments to the callee's parameters and checks each value. */
  args(c: { args: A.Arg[]; span: A.Span }, callee: Callable, ctx: ExprContext): void {
    const given = new Map<string, A.Arg>();
    const positional = callee.params.filter((p) => p.positional);
    let next = 0;
    let sawNamed = false;
    for (const a of c.args) {
      let p: ParamSig | undefined;
      if (a.name) {
        sawNamed = true;
        p = callee.params.find((q) => q.name === a.name?.name);
        if (!p) {
          // The value is not checked: its meaning depends on the argument the user meant.
          this.sink.report('NNC3008', `\`${callee.name}\` has no argument \`${a.name.name}\``, a.name.span, didYouMean(a.name.name, callee.params.map((q) => q.name), 8));
          continue;
        }
      } else {
        const v = a.value;
        p = v.kind === 'ref' ? callee.params.find((q) => q.type === 'flag' && q.name === v.name) : undefined;
        if (!p) {
          if (sawNamed) {
            this.sink.report('NNC3010', 'a positional argument cannot follow named arguments', a.span, { hint: `write it as \`name: value\`; ${signatureText(callee)}` });
            continue;
          }
          p = positional[next];
          if (!p) {
            this.sink.report('NNC3011', `too many arguments: \`${callee.name}\` takes ${positional.length} positional argument${positional.length === 1 ? '' : 's'}`, a.span, { hint: signatureText(callee) });
            continue;
          }
          if (!p.variadic) next++;
        }
      }
      const first = given.get(p.name);
      if (first && !p.variadic) {
        this.sink.report('NNC3018', `argument \`${p.name}\` of \`${callee.name}\` is given twice`, a.span, { related: [{ message: 'first given here', span: first.span }] });
        continue;
      }
      given.set(p.name, a);
      if (p.type === 'flag' && !a.name) continue; // the bare word itself sets the flag
      this.value(a.value, p, ctx, callee.name);
    }
    for (const p of callee.params) {
      if (p.default === undefined && !given.has(p.name)) {
        this.sink.report('NNC3009', `\`${callee.name}\` needs argument \`${p.name}\``, c.span, { hint: signatureText(callee) });
      }
    }
  }

  /** Checks one value against the kind its parameter takes. */
  value(e: A.Expr, p: ParamSig, ctx: ExprContext, owner: string): void {
    const wrong = (what: string) => this.sink.report('NNC3010', `\`${p.name}\` of \`${owner}\` takes ${what}, got ${describe(e)}`, e.span);
    switch (p.type) {
      case 'tensor':
      case 'number':
      case 'int':
        if (e.kind === 'string' || e.kind === 'list' || e.kind === 'object' || e.kind === 'duration') return wrong(p.type === 'tensor' ? 'a value' : p.type === 'int' ? 'a whole number' : 'a number');
        if (p.type === 'int' && e.kind === 'number' && !Number.isInteger(e.value)) return wrong('a whole number');
        return this.expr(e, ctx);
      case 'string':
        return e.kind === 'string' ? undefined : wrong('a string in double quotes');
      case 'flag':
        return e.kind === 'ref' && (e.name === 'true' || e.name === 'false') ? undefined : wrong('`true` or `false`');
      case 'duration':
        return e.kind === 'duration' ? this.expr(e.value, ctx) : wrong('a duration such as `1 epoch` or `500 steps`');
      case 'durations':
        if (e.kind !== 'list') return wrong('a list of durations such as `[10 epochs, 20 epochs]`');
        return e.items.forEach((i) => this.value(i, { ...p, type: 'duration' }, ctx, owner));
      case 'shape':
        if (e.kind !== 'list') return wrong('a list of dimensions such as `[7, 7, 16]`');
        return e.items.forEach((i) => this.value(i, { ...p, type: 'int' }, ctx, owner));
      case 'ints':
        if (e.kind !== 'list') return wrong('a list of whole numbers such as `[5, 6, 7, 8, 9]`');
        return e.items.forEach((i) => this.value(i, { ...p, type: 'int' }, ctx, owner));
      case 'int_or_all':
        if (e.kind === 'ref' && e.name === 'all') return;
        return this.value(e, { ...p, type: 'int' }, ctx, owner);
      case 'activation':
        return this.word(e, ACTIVATIONS, 'NNC3004', 'activation', p, owner);
      case 'enum':
        return this.word(e, p.values ?? [], 'NNC3017', `value for \`${p.name}\``, p, owner);
      case 'initialiser':
        return this.named(e, INITIALISERS, 'NNC3013', 'initialiser', ctx);
      case 'schedule':
        return this.named(e, SCHEDULES, 'NNC3006', 'schedule', ctx);
      case 'metrics':
        if (e.kind !== 'list') return wrong('a list of metrics such as `[accuracy, macro_f1]`');
        return e.items.forEach((i) => this.word(i, METRICS, 'NNC3007', 'metric', p, owner));
      case 'source':
        return this.source(e, ctx, p, owner);
      case 'params':
        if (e.kind === 'list') return e.items.forEach((i) => this.value(i, p, ctx, owner));
        if (e.kind !== 'ref') return wrong('parameter names or globs such as `h` or `encoder.*`');
        return this.paramName(e.name, e.span, ctx);
    }
  }

  /** A bare word from a fixed list: an activation, a metric, an enum value. */
  private word(e: A.Expr, words: readonly string[], code: DiagnosticCode, what: string, p: ParamSig, owner: string): void {
    if (e.kind !== 'ref') {
      this.sink.report('NNC3010', `\`${p.name}\` of \`${owner}\` takes a name (${words.map((w) => `\`${w}\``).join(', ')}), got ${describe(e)}`, e.span);
      return;
    }
    if (!words.includes(e.name)) this.sink.report(code, `unknown ${what} \`${e.name}\``, e.span, didYouMean(e.name, words, 12));
  }

  /** An optimizer/schedule/initialiser: a bare name (`adam`) or a call (`adam(lr: 1e-3)`). */
  named(e: A.Expr, table: ReadonlyMap<string, Signature>, code: DiagnosticCode, what: string, ctx: ExprContext): void {
    const name = e.kind === 'ref' ? e.name : e.kind === 'call' ? e.callee.name : null;
    if (name === null) {
      this.sink.report('NNC3010', `expected ${article(what)} ${what} such as \`${[...table.keys()][0]}\`, got ${describe(e)}`, e.span);
      return;
    }
    const sig = table.get(name);
    const at = e.kind === 'call' ? e.callee.span : e.span;
    if (!sig) {
      this.sink.report(code, `unknown ${what} \`${name}\``, at, didYouMean(name, [...table.keys()], 12));
      return;
    }
    const numbersOnly: ExprContext = { ...ctx, scope: ctx.scope };
    this.args({ args: e.kind === 'call' ? e.args : [], span: e.span }, sig, numbersOnly);
  }

  private source(e: A.Expr, ctx: ExprContext, p: ParamSig, owner: string): void {
    if (e.kind !== 'ref') {
      this.sink.report('NNC3010', `\`${p.name}\` of \`${owner}\` takes the name of another data binding, got ${describe(e)}`, e.span);
      return;
    }
    const scope = ctx.dataScope;
    if (!scope) return;
    const found = scope.lookup(e.name, e.span.offset);
    if (found.state === 'unbound') this.sink.report('NNC3001', `undefined data source \`${e.name}\``, e.span, didYouMean(e.name, scope.all()));
  }

  /** `h`, `h.weight`, `encoder.*`, `all`: the leading layer name must exist (globs are checked later, against real parameters). */
  paramName(text: string, span: A.Span, ctx: ExprContext): void {
    const head = text.split('.')[0] ?? text;
    if (head.includes('*') || head === 'all' || ctx.openWorld || !ctx.layerScope) return;
    if (!ctx.layerScope.has(head)) {
      this.sink.report('NNC3016', `\`${text}\` matches no parameter: there is no layer \`${head}\``, span, didYouMean(head, ctx.layerScope.all()));
    }
  }
}

export function signatureText(c: Callable): string {
  const parts = c.params.map((p) => (p.positional ? (p.default === undefined ? p.name : `${p.name}?`) : `${p.name}:`) + (p.variadic ? '…' : ''));
  return `usage: ${c.name}(${parts.join(', ')})`;
}

function describe(e: A.Expr): string {
  switch (e.kind) {
    case 'string': return 'a string';
    case 'number': return `the number ${e.text}`;
    case 'list': return 'a list';
    case 'object': return 'an object `{ … }`';
    case 'duration': return 'a duration';
    case 'ref': return `\`${e.name}\``;
    case 'call': return `a call to \`${e.callee.name}\``;
    default: return 'an expression';
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
