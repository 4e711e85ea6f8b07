// Section 5b: one training step — forward, backward, update — with the loss
// read back once. No tidy: the memory plan disposes every tensor explicitly.
import type { ProgramBuilder } from '../program.js';
import type { EmitContext } from '../context.js';
import { alias, func, section } from '../build.js';
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
    func(out, {
      name: `trainStep${v.suffix}`,
      doc: `Trains on one batch with learning rate \`lr\` and returns its loss${which}. Tensors live exactly as long as the step needs them.`,
      params,
      returns: 'number',
      body: [
        `const fwd = forward${v.suffix}(params, batch, true${rng ? ', rng' : ''});`,
        `const grads = backward${v.suffix}(params, batch, fwd${ctx.stepScaled ? ', lr' : ''});`,
        'const loss = readLoss(fwd.loss);',
        'tf.dispose([fwd.loss, fwd.prediction]);',
        `applyUpdate${v.suffix}(params, state, grads, lr);`,
        ...(v.plan.updates.length > 0 ? ['// Running statistics (batch_norm) take their new values.'] : []),
        ...v.plan.updates.flatMap((u) => [`params.${u.field}.dispose();`, `params.${u.field} = fwd.${u.name};`]),
        'return loss;',
      ],
    });
  }
}
