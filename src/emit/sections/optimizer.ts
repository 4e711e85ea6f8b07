// Section 5: the optimizer update, written out per parameter: state only for
// trainable parameters, the learning rate from the schedule each step, the
// per-parameter lr_scale folded into per-group scalars uploaded once a step.
import type { ProgramBuilder } from '../program.js';
import type { OptimizerConfig } from '../../check/model.js';
import type { ParamInfo } from '../../ir/types.js';
import type { EmitContext, StepVariant } from '../context.js';
import { constant, func, record, section } from '../build.js';
import { literal, numberLiteral, type Plain } from '../literal.js';
import { fusedRule, optimizerHyper, optimizerTemplate, STEP_SCALED_SGD, weightDecay, type OptimizerTemplate } from './optimizers.js';

/** The `OPTIMIZER` literal of the configuration section. */
export function emitOptimizerConfig(out: ProgramBuilder, ctx: EmitContext): void {
  const o = ctx.model.optimizer;
  const value: Plain = { kind: o.kind, lr: o.lr, ...optimizerHyper(o), weightDecay: weightDecay(o), clipNorm: o.clipNorm };
  constant(out, 'OPTIMIZER', `${literal(value)} as const`, `Optimizer: ${o.kind}, hyperparameters with defaults filled in.`);
}

/** Scalars of the optimizer that never change: uploaded once, with the graph's constants. */
export function optimizerConstants(ctx: EmitContext): { name: string; expr: string; doc: string }[] {
  const t = emittedTemplate(ctx);
  const list = t.constants.map((c) => ({ name: c.name, expr: `tf.scalar(${c.value})`, doc: c.value }));
  if (ctx.model.optimizer.clipNorm !== null) list.push({ name: 'clipNorm', expr: 'tf.scalar(OPTIMIZER.clipNorm)', doc: 'OPTIMIZER.clipNorm' });
  return list;
}

/** The update rule the trainer writes out: the spec's, or SGD taking steps the compiler already scaled by lr. */
export function emittedTemplate(ctx: EmitContext): OptimizerTemplate {
  return ctx.stepScaled ? STEP_SCALED_SGD : optimizerTemplate(ctx.model.optimizer);
}

export function emitOptimizer(out: ProgramBuilder, ctx: EmitContext): void {
  const t = emittedTemplate(ctx);
  section(out, `Optimizer: ${t.kind}`, [t.rule]);
  emitState(out, ctx, t);
  if (t.stepScalars.length > 0) emitStepScalars(out, t);
  emitRule(out, ctx, t);
  if (ctx.model.optimizer.clipNorm !== null) emitClipping(out);
  for (const v of ctx.variants) emitApplyUpdate(out, ctx, t, v);
}

/** The `fused` field's initial value, or null when the rule has no fused kernel. */
export function fusedInit(ctx: EmitContext): string | null {
  const rule = ctx.stepScaled ? null : fusedRule(ctx.model.optimizer);
  return rule === null ? null : `rt.fusedUpdater('${rule}', OPTIMIZER)`;
}

function emitState(out: ProgramBuilder, ctx: EmitContext, t: OptimizerTemplate): void {
  const fused = fusedInit(ctx);
  record(out, 'OptimizerState', 'Optimizer state: the update count and one tensor per slot and trainable parameter.', [
    { name: 'step', type: 'number', doc: 'Updates applied so far.' },
    ...t.slots.map((s) => ({ name: s.name, type: 'Record<Trainable, tf.Tensor>', doc: s.doc })),
    ...(fused === null
      ? []
      : [{ name: 'fused', type: 'rt.FusedUpdater | null', doc: 'On tfjs-node: the same rule as one in-place TensorFlow kernel per parameter (null elsewhere).' }]),
  ]);
  const slotInit = (init: number, p: ParamInfo) =>
    init === 0 ? `tf.zerosLike(params.${ctx.field(p)})` : `tf.fill(PARAM_SHAPES.${ctx.field(p)}, ${numberLiteral(init)})`;
  const body = ['return {', '  step: 0,'];
  for (const s of t.slots) {
    body.push(`  ${s.name}: {`, ...ctx.trainable.map((p) => `    ${ctx.field(p)}: ${slotInit(s.init, p)},`), '  },');
  }
  if (fused !== null) body.push(`  fused: ${fused},`);
  body.push('};');
  func(out, { name: 'initOptimizerState', doc: 'Fresh optimizer state for `params`.', params: [['params', 'Params']], returns: 'OptimizerState', body });
  const disposals = [
    ...(t.slots.length > 0 ? [`tf.dispose([${t.slots.map((s) => `...Object.values(state.${s.name})`).join(', ')}]);`] : []),
    ...(fused !== null ? ['state.fused?.dispose();'] : []),
  ];
  func(out, {
    name: 'disposeOptimizerState',
    doc: 'Frees the state tensors (when a new phase starts a fresh optimizer).',
    params: [['state', 'OptimizerState']],
    returns: 'void',
    body: disposals.length > 0 ? disposals : ['void state; // sgd keeps no tensors'],
  });
  emitSyncState(out, t, fused !== null);
  const slotNames = t.slots.map((s) => s.name);
  constant(out, 'SLOTS', literal(slotNames), 'The state slots, as named in checkpoints (`<slot>:<parameter>`).', `readonly (${slotNames.length > 0 ? slotNames.map((s) => `'${s}'`).join(' | ') : 'never'})[]`);
}

/** `syncOptimizerState`: brings the state's slot tensors up to date from the fused kernels' variables (before a checkpoint reads them). */
function emitSyncState(out: ProgramBuilder, t: OptimizerTemplate, fused: boolean): void {
  const refs = t.slots.map((s) => `state.${s.name}[field]`);
  const reads = fused && refs.length > 0;
  const body = reads
    ? [
        'const fused = state.fused;',
        'if (fused === null) return;',
        `for (const field of TRAINABLE) [${refs.join(', ')}] = fused.slots(field, [${refs.join(', ')}]);`,
      ]
    : [`void state; // ${refs.length === 0 ? `${t.kind} keeps no slots` : 'the slots are always up to date'}`];
  func(out, {
    name: 'syncOptimizerState',
    doc: reads
      ? "Brings the state's slot tensors up to date before they are read: on tfjs-node the fused kernels keep the slots in TensorFlow variables and do not read them back each step."
      : "Brings the state's slot tensors up to date before they are read (nothing to do for this optimizer).",
    params: [['state', 'OptimizerState']],
    returns: 'void',
    body,
  });
}

function emitStepScalars(out: ProgramBuilder, t: OptimizerTemplate): void {
  record(
    out,
    'StepScalars',
    "One step's scalars for one parameter group.",
    t.stepScalars.map((s) => ({ name: s.name, type: 'tf.Scalar', doc: s.doc })),
  );
  const uses = (v: string) => t.stepScalars.some((s) => new RegExp(`\\b${v}\\b`).test(s.expr));
  const params: [string, string][] = [['lr', 'number']];
  if (uses('decay')) params.push(['decay', 'number']);
  if (uses('t')) params.push(['t', 'number']);
  func(out, {
    name: 'stepScalars',
    doc: 'Computes the step scalars on the host and uploads each once (`lr` is the group\'s rate, `t` the 1-based update number).',
    params,
    returns: 'StepScalars',
    body: ['return {', ...t.stepScalars.map((s) => `  ${s.name}: tf.scalar(${s.expr}),`), '};'],
  });
}

function emitRule(out: ProgramBuilder, ctx: EmitContext, t: OptimizerTemplate): void {
  const slots = t.slots.map((s) => s.name);
  func(out, {
    name: t.kind,
    doc: `One ${t.kind} update of a parameter \`w\` with gradient \`g\`: ${t.rule}. Disposes its inputs and returns the new tensors.`,
    params: [
      ['w', 'tf.Tensor'],
      ['g', 'tf.Tensor'],
      ...slots.map((s): [string, string] => [s, 'tf.Tensor']),
      ...(t.stepScalars.length > 0 ? [['k', 'StepScalars'] as [string, string]] : []),
    ],
    returns: slots.length === 0 ? 'tf.Tensor' : `[${['tf.Tensor', ...slots.map(() => 'tf.Tensor')].join(', ')}]`,
    body: ruleStatements(ctx.model.optimizer, t),
  });
}

/** The body of the update function `(w, g, ...slots, k)` of an optimizer (template `t`, by default the spec's own), coupled L2 decay included. */
export function ruleStatements(o: OptimizerConfig, t: OptimizerTemplate = optimizerTemplate(o)): string[] {
  const decayed = weightDecay(o) > 0 && t.kind !== 'adamw';
  const prelude = decayed
    ? ['// L2 weight decay: the gradient of ½·decay·‖w‖² is decay·w.', 'const decayTerm = tf.mul(w, k.decay);', 'const grad = tf.add(g, decayTerm);', 'tf.dispose([g, decayTerm]);']
    : [];
  return [...prelude, ...t.body(decayed ? 'grad' : 'g')];
}

function emitClipping(out: ProgramBuilder): void {
  out.addFunction({
    name: 'clipByGlobalNorm',
    docs: ['Rescales the gradients so their global L2 norm is at most `OPTIMIZER.clipNorm`, on the device (no read-back).'],
    typeParameters: [{ name: 'G', constraint: 'Record<string, tf.Tensor>' }],
    parameters: [{ name: 'grads', type: 'G' }],
    returnType: 'G',
    statements: [
      'const names = Object.keys(grads) as (keyof G)[];',
      'const squaredNorms: tf.Tensor[] = [];',
      'for (const name of names) {',
      '  const squared = tf.square(grads[name]);',
      '  squaredNorms.push(tf.sum(squared));',
      '  squared.dispose();',
      '}',
      'const total = tf.addN(squaredNorms);',
      'const norm = tf.sqrt(total);',
      '// factor = clip / max(norm, clip): 1 when the norm is already small enough.',
      'const bounded = tf.maximum(norm, K.clipNorm);',
      'const factor = tf.div(K.clipNorm, bounded);',
      'const clipped = {} as G;',
      'for (const name of names) clipped[name] = tf.mul(grads[name], factor) as G[keyof G];',
      'tf.dispose([...squaredNorms, total, norm, bounded, factor, ...Object.values(grads)]);',
      'return clipped;',
    ],
  });
}

function emitApplyUpdate(out: ProgramBuilder, ctx: EmitContext, t: OptimizerTemplate, v: StepVariant): void {
  const groups = parameterGroups(ctx.trainable.filter((p) => v.trainable.includes(p.name)));
  const usesDecay = t.stepScalars.some((s) => /\bdecay\b/.test(s.expr));
  const usesT = t.stepScalars.some((s) => /\bt\b/.test(s.expr));
  const body: string[] = ['state.step += 1;'];
  if (ctx.model.optimizer.clipNorm !== null) body.push('grads = clipByGlobalNorm(grads);');
  if (fusedInit(ctx) !== null) body.push(...fusedBranch(ctx, t, groups));
  if (t.stepScalars.length === 0) {
    body.push('// `lr` is already in the gradients: `backward` folded it into the loss gradient.');
    for (const p of groups.flatMap((g) => g.params)) body.push(updateStatement(ctx, t, p, null));
  } else {
    groups.forEach((g, i) => {
      const args = [groupRate(g)];
      if (usesDecay) args.push(g.decayScale === 1 ? 'OPTIMIZER.weightDecay' : `OPTIMIZER.weightDecay * ${numberLiteral(g.decayScale)}`);
      if (usesT) args.push('state.step');
      const what = groups.length === 1 ? '' : ` // ${g.params.map((p) => p.name).join(', ')}`;
      body.push(`const ${groupName(i)} = stepScalars(${args.join(', ')});${what}`);
    });
    for (const [i, g] of groups.entries()) {
      for (const p of g.params) body.push(updateStatement(ctx, t, p, groupName(i)));
    }
    if (groups.length === 1) body.push(`tf.dispose(Object.values(${groupName(0)}));`);
    else if (groups.length > 1) body.push(`tf.dispose([${groups.map((_, i) => `...Object.values(${groupName(i)})`).join(', ')}]);`);
  }
  const which = v.suffix === '' ? 'every trainable parameter' : `the parameters of \`backward${v.suffix}\``;
  func(out, {
    name: `applyUpdate${v.suffix}`,
    doc: `Applies one update to ${which} with learning rate \`lr\`; consumes \`grads\`.`,
    params: [['params', 'Params'], ['state', 'OptimizerState'], ['grads', `Grads${v.suffix}`], ['lr', 'number']],
    returns: 'void',
    body,
  });
}

/** On tfjs-node: every parameter through the fused kernel, then return. */
function fusedBranch(ctx: EmitContext, t: OptimizerTemplate, groups: Group[]): string[] {
  const body = ['const fused = state.fused;', 'if (fused !== null) {'];
  groups.forEach((g, i) => body.push(`  const ${groupName(i, 'f')} = fused.scalars(${groupRate(g)}, state.step);`));
  for (const [i, g] of groups.entries()) {
    for (const p of g.params) {
      const f = ctx.field(p);
      const slots = slotRefs(t, f);
      body.push(`  params.${f} = fused.apply('${f}', params.${f}, grads.${f}, [${slots.join(', ')}], ${groupName(i, 'f')});`);
    }
  }
  groups.forEach((_, i) => body.push(`  ${groupName(i, 'f')}.dispose();`));
  body.push('  return;', '}');
  return body;
}

function updateStatement(ctx: EmitContext, t: OptimizerTemplate, p: ParamInfo, k: string | null): string {
  const f = ctx.field(p);
  const slots = slotRefs(t, f);
  const call = `${t.kind}(${[`params.${f}`, `grads.${f}`, ...slots, ...(k === null ? [] : [k])].join(', ')});`;
  return slots.length === 0 ? `params.${f} = ${call}` : `[${[`params.${f}`, ...slots].join(', ')}] = ${call}`;
}

interface Group {
  lrScale: number;
  decayScale: number;
  params: ParamInfo[];
}

/** Trainable parameters grouped by (lr scale, decay scale), in order of first appearance. */
function parameterGroups(trainable: readonly ParamInfo[]): Group[] {
  const groups: Group[] = [];
  for (const p of trainable) {
    let g = groups.find((x) => x.lrScale === p.lrScale && x.decayScale === p.decayScale);
    if (!g) groups.push((g = { lrScale: p.lrScale, decayScale: p.decayScale, params: [] }));
    g.params.push(p);
  }
  return groups;
}

/** The optimizer state of parameter field `f`, one expression per slot. */
function slotRefs(t: OptimizerTemplate, f: string): string[] {
  return t.slots.map((s) => `state.${s.name}.${f}`);
}

/** A group's learning rate: `lr`, times its lr_scale. */
function groupRate(g: Group): string {
  return g.lrScale === 1 ? 'lr' : `lr * ${numberLiteral(g.lrScale)}`;
}

/** The variable holding group i's step scalars: k, k2, … (f, f2, … for the fused kernels'). */
function groupName(i: number, prefix = 'k'): string {
  return i === 0 ? prefix : `${prefix}${i + 1}`;
}
