// Section 7: checkpoints — parameters, optimizer state, position and RNG
// state in one file, written atomically by the runtime (`best` and `last`).
import type { ProgramBuilder } from '../program.js';
import type { EmitContext } from '../context.js';
import { func, record, section } from '../build.js';
import { emittedTemplate, fusedInit } from './optimizer.js';
import { textInput } from './text.js';

export function emitCheckpoints(out: ProgramBuilder, ctx: EmitContext): void {
  const slots = emittedTemplate(ctx).slots.map((s) => s.name);
  const text = textInput(ctx) !== null;
  section(out, 'Checkpoints', ['Tensors are keyed by `.nn` name; optimizer slots as `<slot>:<name>`.']);
  record(out, 'Run', 'A training run: everything a checkpoint saves and `--resume` restores.', [
    { name: 'params', type: 'Params' },
    { name: 'state', type: 'OptimizerState' },
    { name: 'rng', type: 'rt.Rng', doc: 'The generator for shuffles and dropout (its state is saved).' },
    { name: 'epoch', type: 'number', doc: 'Epochs completed.' },
    { name: 'step', type: 'number', doc: 'Updates applied over the whole run (drives the schedule).' },
    { name: 'bestLoss', type: 'number', doc: 'Best validation loss so far (training loss without a validation set).' },
    { name: 'staleEpochs', type: 'number', doc: 'Epochs since `bestLoss` last improved.' },
    ...(text ? [{ name: 'vocabulary', type: 'string[]', doc: 'Token of each id (saved in meta, so a reloaded model reads text with the same ids).' }] : []),
  ]);
  func(out, {
    name: 'checkpointTensors',
    doc: 'The named tensors of a checkpoint (shared with the run, not copies; the optimizer slots brought up to date first).',
    params: [['run', 'Run']],
    returns: 'Record<string, tf.Tensor>',
    body: [
      ...(slots.length > 0 ? ['syncOptimizerState(run.state);'] : []),
      'const tensors: Record<string, tf.Tensor> = {};',
      'for (const field of Object.keys(PARAM_NAMES) as (keyof Params)[]) tensors[PARAM_NAMES[field]] = run.params[field];',
      ...(slots.length > 0 ? ['for (const slot of SLOTS) {', '  for (const field of TRAINABLE) tensors[`${slot}:${PARAM_NAMES[field]}`] = run.state[slot][field];', '}'] : []),
      'return tensors;',
    ],
  });
  func(out, {
    name: 'expectedShapes',
    doc: 'The shape of every tensor a checkpoint of this model must hold.',
    params: [],
    returns: 'Record<string, number[]>',
    body: [
      'const shapes: Record<string, number[]> = {};',
      'for (const field of Object.keys(PARAM_NAMES) as (keyof Params)[]) shapes[PARAM_NAMES[field]] = PARAM_SHAPES[field];',
      ...(slots.length > 0 ? ['for (const slot of SLOTS) {', '  for (const field of TRAINABLE) shapes[`${slot}:${PARAM_NAMES[field]}`] = PARAM_SHAPES[field];', '}'] : []),
      'return shapes;',
    ],
  });
  func(out, {
    name: 'saveRun',
    isAsync: true,
    doc: 'Writes the run to `<dir>/<slot>.ckpt` (temp file + rename: a crash never leaves half a checkpoint).',
    params: [['dir', 'string'], ['slot', "'last' | 'best'"], ['run', 'Run']],
    returns: 'Promise<void>',
    body: [
      'await rt.saveCheckpoint(dir, slot, {',
      '  tensors: checkpointTensors(run),',
      '  epoch: run.epoch,',
      '  step: run.step,',
      '  rng: run.rng.state(),',
      `  meta: { model: MODEL, optimizerStep: run.state.step, bestLoss: run.bestLoss, staleEpochs: run.staleEpochs${text ? ', vocabulary: run.vocabulary' : ''} },`,
      '});',
    ],
  });
  emitRestore(out, slots, text, fusedInit(ctx));
}

function emitRestore(out: ProgramBuilder, slots: readonly string[], text: boolean, fused: string | null): void {
  const body = [
    "const ckpt = await rt.loadCheckpoint(dir, { slot: 'last', expect: expectedShapes() });",
    'const unused = new Set(Object.keys(ckpt.tensors));',
    'const take = (name: string): tf.Tensor => {',
    '  const t = ckpt.tensors[name];',
    '  if (t === undefined) throw new rt.CheckpointError(`${dir}: the checkpoint has no tensor ${name}`);',
    '  unused.delete(name);',
    '  return t;',
    '};',
    'const params = {} as Params;',
    'for (const field of Object.keys(PARAM_NAMES) as (keyof Params)[]) params[field] = take(PARAM_NAMES[field]);',
    'const meta = ckpt.meta;',
    fused === null
      ? "const state = { step: Number(meta['optimizerStep'] ?? ckpt.step) } as OptimizerState;"
      : `const state = { step: Number(meta['optimizerStep'] ?? ckpt.step), fused: ${fused} } as OptimizerState;`,
  ];
  if (slots.length > 0) {
    body.push(
      'for (const slot of SLOTS) {',
      '  state[slot] = {} as Record<Trainable, tf.Tensor>;',
      '  for (const field of TRAINABLE) state[slot][field] = take(`${slot}:${PARAM_NAMES[field]}`);',
      '}',
    );
  }
  body.push(
    '// Tensors this model does not use (e.g. from an older layout) are freed.',
    'for (const name of unused) ckpt.tensors[name]!.dispose();',
    'return {',
    '  params,',
    '  state,',
    '  rng: rt.Rng.fromState(ckpt.rng),',
    '  epoch: ckpt.epoch,',
    '  step: ckpt.step,',
    "  bestLoss: Number(meta['bestLoss'] ?? Infinity),",
    "  staleEpochs: Number(meta['staleEpochs'] ?? 0),",
    ...(text ? ['  vocabulary: rt.vocabularyFromMeta(meta, dir),'] : []),
    '};',
  );
  func(out, {
    name: 'restoreRun',
    isAsync: true,
    doc: 'Loads the `last` checkpoint of `dir` (shapes checked) to continue training where it stopped.',
    params: [['dir', 'string']],
    returns: 'Promise<Run>',
    body,
  });
}
