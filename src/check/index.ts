// checkModel: from a validated, name-checked Spec to a CheckedModel — the
// forward graph (layers expanded into primitives, every value typed, the
// scalar loss), the parameters with names, initialisers and training rules,
// and the training recipe as plain configuration with defaults filled in.
import { withFrozenStatistics } from './layers/batch-norm.js';
import type { Def, FreezeStmt, InitFrom, NetBlock, Replace, ScaleStmt, Setting, Spec, Statement } from '../syntax/ast.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { ValueId } from '../ir/types.js';
import type { CheckedModel, InitFromConfig } from './model.js';
import { Env } from './env.js';
import { Expander } from './expander.js';
import { declareInput } from './inputs.js';
import { expandLoss } from './loss.js';
import { expandNet } from './net.js';
import { resolvePattern } from './patterns.js';
import { readData } from './recipe/data.js';
import { readOptimizer } from './recipe/optimizer.js';
import { readPhases } from './recipe/phases.js';
import { readSchedule } from './recipe/schedule.js';
import { readTrain } from './recipe/train.js';
import { applyFreezes, applyScales } from './training-rules.js';
import { withUses, type ResolveUse } from './use.js';
import { didYouMean } from './format.js';
import { SETTINGS } from './signatures.js';
import { checkClassSelections } from './class-selection.js';

export type { CheckedModel } from './model.js';

export interface CheckOptions {
  /** Reads and front-ends `use "base.nn"` relative to the file that says it (the CLI provides it). */
  resolveUse?: ResolveUse;
}

export function checkModel(spec: Spec, sink: DiagnosticSink, opts: CheckOptions = {}): CheckedModel | null {
  const errorsBefore = sink.errorCount;
  const firstNew = sink.items.length;
  const stmts = withUses(spec, sink, opts.resolveUse);
  const one = <K extends Statement['kind']>(kind: K, what: string) => single(stmts, kind, what, sink);

  const modelDecl = one('model', '`model`');
  const name = modelDecl?.name.name ?? baseName(spec.file);
  const net = one('net', 'the `net` block');
  const dataBlock = one('data', 'the `data` block');
  const trainBlock = one('train', 'the `train` block');
  const phasesBlock = one('phases', 'the `phases` block');
  const initFrom = one('init_from', '`init from`');
  const settings = settingsOf(stmts, sink);

  const ex = new Expander(sink, defsOf(stmts, sink), stmts.some((s) => s.span.file !== spec.file));
  const env = new Env();
  for (const s of stmts) {
    if (s.kind !== 'input' && s.kind !== 'target') continue;
    if (env.has(s.name.name)) {
      sink.report('NNC3002', `\`${s.name.name}\` is declared twice`, s.name.span);
      continue;
    }
    const v = declareInput(ex, s);
    env.bind(s.name.name, v ?? 'poisoned');
    if (v && s.span.file !== spec.file) ex.inheritedTargets.add(v.id);
    if (v && s.kind === 'target') {
      env.bind(s.name.name, { forbidden: `\`${s.name.name}\` is a target: the net cannot read it`, hint: 'targets are compared with predictions in `loss = …`' });
    }
  }
  if (!stmts.some((s) => s.kind === 'input')) sink.report('NNC2004', 'the spec declares no `input`', null, { hint: 'e.g. `input image: f32[28, 28]`' });

  let outputs = new Map<string, { id: ValueId }>();
  let fresh: string[] = [];
  if (net === null) {
    sink.report('NNC2004', 'the spec has no `net { … }` block', modelDecl?.span ?? null, { hint: 'describe the network: `net { logits = dense(x, 10) }`' });
  } else {
    const r = expandNet(ex, net, stmts.filter((s): s is Replace => s.kind === 'replace'), env);
    outputs = r.outputs;
    fresh = r.fresh;
  }
  for (const t of ex.inputs) if (t.role === 'target') env.bind(t.name, { kind: 'tensor', id: t.id, name: t.name, span: ex.b.nodes[t.id]!.origin.span });

  const lossSetting = settings.get('loss') ?? null;
  let loss: ValueId | null = null;
  if (lossSetting === null) {
    sink.report('NNC2004', 'the spec has no `loss = …`', modelDecl?.span ?? null, { hint: 'e.g. `loss = cross_entropy(logits, digit)`' });
  } else if (net !== null) {
    loss = expandLoss(ex, lossSetting, env)?.id ?? null;
  }

  if (loss !== null && net !== null) warnUnused(ex, net, outputs, loss, sink);

  applyFreezes(ex.params, stmts.filter((s): s is FreezeStmt => s.kind === 'freeze' || s.kind === 'unfreeze'), sink);
  applyScales(ex.params, stmts.filter((s): s is ScaleStmt => s.kind === 'lr_scale' || s.kind === 'decay_scale'), sink);

  const firstTarget = ex.inputs.find((i) => i.role === 'target');
  const targetInfo = firstTarget ? ex.targets.get(firstTarget.id) : undefined;
  const classes = targetInfo?.classes ?? null;

  const optimizer = readOptimizer(settings.get('optimizer') ?? null, sink);
  const schedule = readSchedule(settings.get('schedule') ?? null, sink);
  const data = readData(dataBlock, sink);
  if (data !== null && data !== 'error') checkClassSelections(data, classes, targetInfo?.name ?? 'the target', sink);
  const train = readTrain(trainBlock, classes !== null, sink, targetInfo?.kind === 'binary');
  const phases = readPhases(phasesBlock, ex.params, sink);
  const init = readInitFrom(initFrom, ex.params.map((p) => p.name), fresh, sink);
  if (optimizer && train?.clipNorm != null) optimizer.clipNorm = train.clipNorm;
  // The parameters' starting state is that of the first phase.
  if (phases && phases.length > 0) {
    const first = new Set(phases[0]!.trainable);
    for (const p of ex.params) p.trainable = first.has(p.name);
  }

  sortNewDiagnostics(sink, firstNew, spec.file);
  if (sink.errorCount > errorsBefore || loss === null || !optimizer || !schedule || data === 'error' || !train || !phases || init === 'error') return null;
  const outs: Record<string, ValueId> = {};
  for (const [k, v] of outputs) outs[k] = v.id;
  // `prediction` is the last binding, unless the net names one itself.
  const last = [...outputs.values()].pop();
  if (last && !outputs.has('prediction')) outs['prediction'] = last.id;
  return {
    name,
    file: spec.file,
    forward: withFrozenStatistics({ graph: ex.b.build(), inputs: ex.inputs, params: ex.params, loss, outputs: outs, ...(Object.keys(ex.updates).length > 0 ? { updates: ex.updates } : {}) }),
    classes,
    optimizer,
    schedule,
    data,
    train: train.train,
    phases,
    initFrom: init,
  };
}

/** NNC3030: a net binding that neither the loss nor the prediction (the last binding) depends on. */
function warnUnused(ex: Expander, net: NetBlock, outputs: ReadonlyMap<string, { id: ValueId }>, loss: ValueId, sink: DiagnosticSink): void {
  const last = [...outputs.values()].pop();
  const used = new Set<ValueId>();
  const stack = last ? [loss, last.id] : [loss];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (used.has(id)) continue;
    used.add(id);
    stack.push(...ex.b.nodes[id]!.inputs);
  }
  for (const b of net.body) {
    const out = outputs.get(b.name.name);
    if (out && !used.has(out.id)) {
      sink.report('NNC3030', `\`${b.name.name}\` is computed but neither the loss nor the prediction uses it`, b.name.span, { hint: 'remove it, or use it in a later binding' });
    }
  }
}

/**
 * The checker works in stages (net, loss, rules, recipe); its diagnostics are
 * shown in source order, those located in used specs first.
 */
function sortNewDiagnostics(sink: DiagnosticSink, start: number, file: string): void {
  const fresh = sink.items.splice(start);
  const rank = (d: (typeof fresh)[number]) => (d.span === null ? [2, 0] : [d.span.file === file ? 1 : 0, d.span.offset]);
  fresh.sort((a, b) => {
    const [fa, oa] = rank(a);
    const [fb, ob] = rank(b);
    return fa! - fb! || oa! - ob!;
  });
  sink.items.push(...fresh);
}

function baseName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.(nn|json)$/, '').replace(/[^A-Za-z0-9_]/g, '_');
}

/** The one statement of `kind`, reporting repeats (NNC3012). */
function single<K extends Statement['kind']>(stmts: readonly Statement[], kind: K, what: string, sink: DiagnosticSink): Extract<Statement, { kind: K }> | null {
  const all = stmts.filter((s): s is Extract<Statement, { kind: K }> => s.kind === kind);
  for (const dup of all.slice(1)) sink.report('NNC3012', `${what} is given twice`, dup.span, { related: [{ message: 'first given here', span: all[0]!.span }] });
  return all[0] ?? null;
}

function settingsOf(stmts: readonly Statement[], sink: DiagnosticSink): Map<string, Setting> {
  const out = new Map<string, Setting>();
  for (const s of stmts) {
    if (s.kind !== 'setting') continue;
    if (!(SETTINGS as readonly string[]).includes(s.key.name)) {
      sink.report('NNC2002', `unknown setting \`${s.key.name}\``, s.key.span, { hint: didYouMean(s.key.name, SETTINGS) ?? `settings: ${SETTINGS.join(', ')}` });
      continue;
    }
    const prior = out.get(s.key.name);
    if (prior) sink.report('NNC3012', `\`${s.key.name}\` is given twice`, s.span, { related: [{ message: 'first given here', span: prior.span }] });
    else out.set(s.key.name, s);
  }
  return out;
}

function defsOf(stmts: readonly Statement[], sink: DiagnosticSink): Map<string, Def> {
  const out = new Map<string, Def>();
  for (const s of stmts) {
    if (s.kind !== 'def') continue;
    const prior = out.get(s.name.name);
    if (prior) sink.report('NNC3002', `def \`${s.name.name}\` is defined twice`, s.name.span, { related: [{ message: 'first defined here', span: prior.span }] });
    else out.set(s.name.name, s);
  }
  return out;
}

function readInitFrom(s: InitFrom | null, names: readonly string[], fresh: string[], sink: DiagnosticSink): InitFromConfig | null | 'error' {
  if (s === null) return null;
  let ok = true;
  for (const m of s.map ?? []) {
    if (!resolvePattern(m.to.text, m.to.span, names, sink, 'init from … map')) ok = false;
  }
  if (s.path.value === '') {
    sink.report('NNC3017', '`init from` needs a checkpoint path', s.path.span);
    ok = false;
  }
  if (!ok) return 'error';
  return {
    path: s.path.value,
    map: (s.map ?? []).map((m) => ({ to: m.to.text, from: m.from.text })),
    allowUnmatched: (s.allowUnmatched ?? []).map((p) => p.text),
    fresh,
    span: s.span,
  };
}
