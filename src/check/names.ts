// Name resolution over the AST: every name is bound once (SSA) and before use,
// every called layer/function/optimizer/schedule/source/initialiser/metric and
// every key exists, with a "did you mean" hint for typos. Pure: reads the AST,
// reports to the sink. Shapes are the next stage's business.
import type * as A from '../syntax/ast.js';
import { DiagnosticSink } from '../diagnostics/diagnostic.js';
import { ExprChecker, type ExprContext } from './name-exprs.js';
import { Scope } from './scope.js';
import { DATA_SOURCES, DATA_SPLITS, INITIALISERS as INITIALISERS_TABLE, LAYERS, FUNCTIONS, OPTIMIZERS, PHASE_KEYS, SCHEDULES, SETTINGS, TENSOR_TYPES, TRAIN_KEYS, TYPES, type ParamSig } from './signatures.js';
import { didYouMean } from './suggest.js';

export interface NameCheckOptions {
  /** Specs named by `use`, already parsed: their bindings count as bound. Without them, `use` makes unknown names unverifiable. */
  imported?: readonly A.Spec[];
}

/** Statements a spec may give at most once. */
const SINGLETONS = new Set(['model', 'use', 'net', 'data', 'train', 'phases', 'init_from']);

export function checkNames(spec: A.Spec, sink: DiagnosticSink, options: NameCheckOptions = {}): void {
  const local = new DiagnosticSink();
  new NameChecker(spec, local, options).run();
  // Checks run in several passes; report in source order (stable for equal offsets).
  sink.items.push(...[...local.items].sort((a, b) => (a.span?.offset ?? 0) - (b.span?.offset ?? 0)));
}

class NameChecker {
  private readonly globals = new Scope();
  /** Net bindings (layers) whose parameters freeze/lr_scale may name. */
  private readonly layers = new Scope();
  private readonly defs = new Map<string, A.Def>();
  private readonly exprs: ExprChecker;
  private readonly openWorld: boolean;
  private readonly hasUse: boolean;

  constructor(
    private readonly spec: A.Spec,
    private readonly sink: DiagnosticSink,
    private readonly options: NameCheckOptions,
  ) {
    this.hasUse = spec.statements.some((s) => s.kind === 'use');
    this.openWorld = this.hasUse && (options.imported?.length ?? 0) === 0;
    this.exprs = new ExprChecker(sink, this.defs);
  }

  run(): void {
    this.singletons();
    this.required();
    this.bindGlobals();
    const net: ExprContext = { scope: this.globals, callables: 'net', openWorld: this.openWorld, layerScope: this.layers };
    for (const s of this.spec.statements) {
      switch (s.kind) {
        case 'input':
        case 'target':
          this.typeExpr(s.type);
          break;
        case 'def':
          this.def(s);
          break;
        case 'net':
          s.body.forEach((b) => this.exprs.expr(b.value, net));
          break;
        case 'setting':
          this.setting(s);
          break;
        case 'data':
          this.data(s);
          break;
        case 'train':
          this.keyed(s.body, TRAIN_KEYS, 'train', net);
          break;
        case 'phases':
          this.phases(s, net);
          break;
        case 'replace':
          this.replace(s, net);
          break;
        case 'freeze':
        case 'unfreeze':
          [...s.targets, ...(s.except ?? [])].forEach((p) => this.exprs.paramName(p.text, p.span, net));
          break;
        case 'lr_scale':
        case 'decay_scale':
          this.exprs.paramName(s.group.text, s.group.span, net);
          this.exprs.value(s.factor, { name: 'factor', type: 'number', positional: true }, net, s.kind);
          break;
        case 'model':
        case 'use':
        case 'init_from':
          break; // checkpoint names are matched when the checkpoint is read
      }
    }
  }

  private singletons(): void {
    const first = new Map<string, A.Statement>();
    for (const s of this.spec.statements) {
      const key = s.kind === 'setting' ? `setting:${s.key.name}` : SINGLETONS.has(s.kind) ? s.kind : null;
      if (key === null) continue;
      const prior = first.get(key);
      if (!prior) {
        first.set(key, s);
        continue;
      }
      const what = s.kind === 'setting' ? `\`${s.key.name} = …\`` : s.kind === 'init_from' ? '`init from`' : `\`${s.kind}\``;
      this.sink.report('NNC3012', `${what} is given twice`, s.kind === 'setting' ? s.key.span : s.span, {
        related: [{ message: 'first given here', span: prior.kind === 'setting' ? prior.key.span : prior.span }],
        hint: 'a spec has one of each; merge the two',
      });
    }
  }

  private required(): void {
    const first = this.spec.statements[0];
    if (!first) return; // an empty file is reported by the parser
    const has = (kind: A.Statement['kind']) => this.spec.statements.some((s) => s.kind === kind);
    const at = { ...first.span, length: 0 };
    if (!has('model')) this.sink.report('NNC2004', 'the spec has no `model NAME` declaration', at, { hint: 'start the spec with e.g. `model mnist_mlp`' });
    if (this.hasUse) return; // net and loss may come from the used spec
    if (!has('net')) this.sink.report('NNC2004', 'the spec has no `net { … }` block', at, { hint: 'describe the network in `net { x = … }`, or `use "base.nn"` to reuse one' });
    if (!this.spec.statements.some((s) => s.kind === 'setting' && s.key.name === 'loss')) {
      this.sink.report('NNC2004', 'the spec has no `loss = …` setting', at, { hint: 'e.g. `loss = cross_entropy(logits, label)`' });
    }
  }

  /** Inputs, targets, net bindings and defs share one namespace; each name is bound once. */
  private bindGlobals(): void {
    // What the spec says itself overrides what it inherits (as `use` does in the checker):
    // its own input/target of a name, its own def of a name, its own whole `net { }`.
    const own = this.spec.statements;
    const ownIo = new Set(own.flatMap((s) => (s.kind === 'input' || s.kind === 'target' ? [s.name.name] : [])));
    const ownDefs = new Set(own.flatMap((s) => (s.kind === 'def' ? [s.name.name] : [])));
    const ownNet = own.some((s) => s.kind === 'net');
    for (const spec of this.options.imported ?? []) {
      for (const s of spec.statements) {
        if ((s.kind === 'input' || s.kind === 'target') && !ownIo.has(s.name.name)) this.globals.bind(s.name.name, s.name.span, false);
        if (s.kind === 'net' && !ownNet) for (const b of s.body) (this.globals.bind(b.name.name, b.name.span, false), this.layers.bind(b.name.name, b.name.span, false));
        if (s.kind === 'def' && !ownDefs.has(s.name.name)) this.defs.set(s.name.name, s);
      }
    }
    for (const s of this.spec.statements) {
      if (s.kind === 'input' || s.kind === 'target') this.bindOnce(this.globals, s.name, false);
      if (s.kind === 'net') for (const b of s.body) if (this.bindOnce(this.globals, b.name, true)) this.layers.bind(b.name.name, b.name.span, true);
      if (s.kind === 'def') {
        const builtin = LAYERS.has(s.name.name) || FUNCTIONS.has(s.name.name);
        const prior = this.defs.get(s.name.name);
        if (builtin) this.sink.report('NNC3002', `\`${s.name.name}\` is a built-in; a \`def\` cannot redefine it`, s.name.span, { hint: `name it e.g. \`my_${s.name.name}\`` });
        else if (prior) this.sink.report('NNC3002', `\`def ${s.name.name}\` is defined twice`, s.name.span, { related: [{ message: 'first defined here', span: prior.name.span }] });
        else this.defs.set(s.name.name, s);
      }
    }
  }

  /** Binds a name; reports NNC3002 when it is already bound. Returns whether it was new. */
  private bindOnce(scope: Scope, name: A.Ident, ordered: boolean): boolean {
    const prior = scope.bind(name.name, name.span, ordered);
    if (prior === null) return true;
    this.sink.report('NNC3002', `\`${name.name}\` is bound twice`, name.span, {
      related: [{ message: 'first bound here', span: prior }],
      hint: 'names are bound once; give the new value its own name',
    });
    return false;
  }

  private typeExpr(t: A.TypeExpr): void {
    const sig = TYPES.get(t.name.name);
    if (!sig) {
      this.sink.report('NNC3019', `unknown type \`${t.name.name}\``, t.name.span, didYouMean(t.name.name, [...TYPES.keys()], 8));
      return;
    }
    const ctx: ExprContext = { scope: new Scope(), callables: 'loss', openWorld: false };
    if (TENSOR_TYPES.has(sig.name)) {
      if (t.dims === null) this.sink.report('NNC3010', `\`${sig.name}\` needs its dimensions, e.g. \`${sig.name}[28, 28]\``, t.span);
      else t.dims.forEach((d) => this.exprs.value(d, { name: 'dimension', type: 'int', positional: true }, ctx, sig.name));
    } else if (t.dims !== null) {
      this.sink.report('NNC3010', `\`${sig.name}\` takes no dimensions`, t.span, { hint: sig.doc });
    }
    if (t.args !== null || sig.params.some((p) => p.default === undefined)) this.exprs.args({ args: t.args ?? [], span: t.span }, sig, ctx);
  }

  private def(d: A.Def): void {
    const local = new Scope();
    for (const p of d.params) this.bindOnce(local, p.name, false);
    for (const st of d.body) if (st.kind !== 'return') this.bindOnce(local, st.name, true);
    const ctx: ExprContext = { scope: local, callables: 'net', openWorld: false };
    const returns = d.body.filter((s) => s.kind === 'return');
    if (returns.length === 0) this.sink.report('NNC2004', `\`def ${d.name.name}\` has no \`return\``, d.name.span, { hint: 'end the body with `return <expression>`' });
    for (const extra of returns.slice(1)) this.sink.report('NNC3012', `\`def ${d.name.name}\` returns twice`, extra.span);
    for (const p of d.params) if (p.default) this.exprs.expr(p.default, ctx);
    for (const st of d.body) {
      if (st.kind === 'param') {
        st.shape.forEach((e) => this.exprs.value(e, { name: 'shape', type: 'int', positional: true }, ctx, `param ${st.name.name}`));
        if (st.init) this.exprs.named(st.init, INITIALISERS_TABLE, 'NNC3013', 'initialiser', ctx);
      } else this.exprs.expr(st.value, ctx);
    }
  }

  private setting(s: A.Setting): void {
    const ctx: ExprContext = { scope: this.globals, callables: 'loss', openWorld: this.openWorld };
    switch (s.key.name) {
      case 'loss':
        return this.exprs.expr(s.value, ctx);
      case 'optimizer':
        return this.exprs.named(s.value, OPTIMIZERS, 'NNC3005', 'optimizer', ctx);
      case 'schedule':
        return this.exprs.named(s.value, SCHEDULES, 'NNC3006', 'schedule', ctx);
      default:
        this.sink.report('NNC2002', `unknown setting \`${s.key.name}\``, s.key.span, didYouMean(s.key.name, SETTINGS, 8));
    }
  }

  private data(block: A.DataBlock): void {
    const dataScope = new Scope();
    for (const b of block.body) {
      if (!(DATA_SPLITS as readonly string[]).includes(b.name.name)) {
        this.sink.report('NNC2002', `unknown data split \`${b.name.name}\``, b.name.span, didYouMean(b.name.name, DATA_SPLITS, 3));
      }
      this.bindOnce(dataScope, b.name, true);
    }
    const ctx: ExprContext = { scope: new Scope(), callables: 'loss', openWorld: false, dataScope };
    for (const b of block.body) this.exprs.named(b.value, DATA_SOURCES, 'NNC3014', 'data source', ctx);
  }

  /** `train { }` and each phase: known keys, each once, each with a value of its kind. */
  private keyed(obj: A.ObjectLit, keys: readonly ParamSig[], what: string, ctx: ExprContext): void {
    const seen = new Map<string, A.Entry>();
    for (const e of obj.entries) {
      const key = keys.find((k) => k.name === e.key.name);
      if (!key) {
        this.sink.report('NNC2002', `unknown key \`${e.key.name}\` in \`${what}\``, e.key.span, didYouMean(e.key.name, keys.map((k) => k.name), 8));
        continue;
      }
      const prior = seen.get(key.name);
      if (prior) {
        this.sink.report('NNC3018', `key \`${key.name}\` is given twice`, e.key.span, { related: [{ message: 'first given here', span: prior.key.span }] });
        continue;
      }
      seen.set(key.name, e);
      this.exprs.value(e.value, key, ctx, what);
    }
  }

  private phases(p: A.PhasesBlock, ctx: ExprContext): void {
    const labels = new Map<string, A.Entry>();
    for (const e of p.body.entries) {
      const prior = labels.get(e.key.name);
      if (prior) this.sink.report('NNC3018', `phase \`${e.key.name}\` is given twice`, e.key.span, { related: [{ message: 'first given here', span: prior.key.span }] });
      else labels.set(e.key.name, e);
      if (e.value.kind !== 'object') {
        this.sink.report('NNC3010', `phase \`${e.key.name}\` must be \`{ epochs: …, … }\``, e.value.span);
        continue;
      }
      this.keyed(e.value, PHASE_KEYS, `phase ${e.key.name}`, ctx);
    }
  }

  private replace(r: A.Replace, ctx: ExprContext): void {
    const name = r.binding.name;
    if (!this.openWorld && !this.layers.has(name.name)) {
      this.sink.report('NNC3001', `there is no layer \`${name.name}\` to replace`, name.span, didYouMean(name.name, this.layers.all()));
    }
    this.exprs.expr(r.binding.value, { ...ctx, scope: this.globals });
  }
}


