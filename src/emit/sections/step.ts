// Section 5b: one training step — forward, backward, update — with the loss
// read back once. No tidy: the memory plan disposes every tensor explicitly.
import type { ProgramBuilder } from '../program.js';
import type { EmitContext, StepVariant } from '../context.js';
import { alias, constant, func, section } from '../build.js';
import { phaseList } from './forward.js';

export function emitTrainStep(out: ProgramBuilder, ctx: EmitContext): void {
  section(out, 'Training step');
  func(out, {
    name: 'readLoss',
    doc: 'Reads the loss back to the host (the one sync of a step): the mean of what `forward` hands on as `loss`, per-example losses or the scalar loss itself.',
    params: [['t', 'tf.Tensor']],
    returns: 'number',
    body: ['const values = t.dataSync();', 'let sum = 0;', 'for (const v of values) sum += v;', 'return sum / values.length;'],
  });
  const rng = ctx.usesRng;
  const params: [string, string][] = [['params', 'Params'], ['state', 'OptimizerState'], ['batch', 'Batch'], ['lr', 'number']];
  if (rng) params.push(['rng', 'rt.Rng']);
  alias(out, 'StepFn', `(${params.map(([n, t]) => `${n}: ${t}`).join(', ')}) => number`, 'A training step: updates `params` and `state` in place, returns the batch loss.');
  for (const v of ctx.variants) {
    const which = v.suffix === '' ? '' : ` (${phaseList(v)})`;
    const graph = graphable(v);
    if (graph) {
      constant(out, `STEP${v.suffix}`, `new rt.GraphStep('trainStep${v.suffix}')`, `The step's tensor work as one function of its inputs: on tfjs-node it is recorded once per batch shape and then runs as one TensorFlow graph (rt.GraphStep; plain calls elsewhere).`);
    }
    func(out, {
      name: `trainStep${v.suffix}`,
      doc: `Trains on one batch with learning rate \`lr\` and returns its loss${which}. Tensors live exactly as long as the step needs them.`,
      params,
      returns: 'number',
      body: graph ? graphStepBody(ctx, v, rng) : eagerStepBody(ctx, v, rng),
    });
  }
}

/** Whether a step is a function of parameters, batch, learning rate and its rng's draws (no running statistics to hand back). */
function graphable(v: StepVariant): boolean {
  return v.plan.updates.length === 0;
}

function eagerStepBody(ctx: EmitContext, v: StepVariant, rng: boolean): string[] {
  return [
    `const fwd = forward${v.suffix}(params, batch, true${rng ? ', rng' : ''});`,
    `const grads = backward${v.suffix}(params, batch, fwd${ctx.stepScaled ? ', lr' : ''});`,
    'const loss = readLoss(fwd.loss);',
    'tf.dispose([fwd.loss, fwd.prediction]);',
    `applyUpdate${v.suffix}(params, state, grads, lr);`,
    ...(v.plan.updates.length > 0 ? ['// Running statistics (batch_norm) take their new values.'] : []),
    ...v.plan.updates.flatMap((u) => [`params.${u.field}.dispose();`, `params.${u.field} = fwd.${u.name};`]),
    'return loss;',
  ];
}

/**
 * The step through `STEP.run`: inputs are every parameter and batch field
 * (and the loss gradient's factor as a tensor); outputs the loss and either
 * the new parameters (folded SGD: one subtraction per parameter, inside the
 * graph) or the gradients, which the optimizer (a stateful fused kernel on
 * tfjs-node) then applies.
 */
function graphStepBody(ctx: EmitContext, v: StepVariant, rng: boolean): string[] {
  const fields = [...v.plan.paramFields.values()].map((f) => `params.${f}`);
  const inputs = [...v.plan.inputFields.values()].map((f) => `batch.${f}`);
  const first = [...v.plan.inputFields.values()][0]!;
  // The loss gradient's factor (lr/B folded, else 1/B) is a tensor the runtime keeps per value: an input, so each step feeds the current one.
  const usesFactor = v.tg.graph.nodes.some((n) => n.op === 'softmax_cross_entropy_mean_grad');
  const factor = usesFactor ? [`rt.lossGradientFactor(${ctx.stepScaled ? 'lr' : '1'}, batch.${first}.shape[0]!)`] : [];
  const grads = v.plan.grads.map((g) => g.field);
  const run = [
    `const [lossTensor, ...out] = STEP${v.suffix}.run(() => [${[...fields, ...inputs, ...factor].join(', ')}], () => {`,
    `  const fwd = forward${v.suffix}(params, batch, true${rng ? ', rng' : ''});`,
    `  const grads = backward${v.suffix}(params, batch, fwd${ctx.stepScaled ? ', lr' : ''});`,
    '  if (fwd.prediction !== fwd.loss) fwd.prediction.dispose();',
  ];
  const read = ['const loss = readLoss(lossTensor);', 'lossTensor.dispose();'];
  // with dropout, the rng whose draws (the masks) a replay makes again, in the same order
  const close = rng ? '}, rng);' : '});';
  if (ctx.stepScaled) {
    return [
      ...run,
      '  // `lr` is already in the gradients (folded into the loss gradient): the update only subtracts.',
      `  const next = [${grads.map((f) => `rt.sub(params.${f}, grads.${f})`).join(', ')}];`,
      '  tf.dispose(Object.values(grads));',
      '  return [fwd.loss, ...next];',
      close,
      ...read,
      'state.step += 1;',
      ...grads.map((f, i) => `params.${f}.dispose();\nparams.${f} = out[${i}]!;`),
      'return loss;',
    ];
  }
  return [
    ...run,
    `  return [fwd.loss, ${grads.map((f) => `grads.${f}`).join(', ')}];`,
    close,
    ...read,
    `applyUpdate${v.suffix}(params, state, { ${grads.map((f, i) => `${f}: out[${i}]!`).join(', ')} }, lr);`,
    'return loss;',
  ];
}
