// Section 5b: one training step — forward, backward, update — with the loss
// read back once. No tidy: the memory plan disposes every tensor explicitly.
import type { SourceFile } from 'ts-morph';
import type { EmitContext } from '../context.js';
import { func, section } from '../build.js';

export function emitTrainStep(sf: SourceFile, ctx: EmitContext): void {
  section(sf, 'Training step');
  func(sf, {
    name: 'readScalar',
    doc: 'Reads a scalar tensor back to the host (the one sync of a step).',
    params: [['t', 'tf.Tensor']],
    returns: 'number',
    body: ['return t.dataSync()[0]!;'],
  });
  const rng = ctx.plan.usesRng;
  func(sf, {
    name: 'trainStep',
    doc: 'Trains on one batch with learning rate `lr` and returns its loss. Tensors live exactly as long as the step needs them.',
    params: [['params', 'Params'], ['state', 'OptimizerState'], ['batch', 'Batch'], ['lr', 'number'], ...(rng ? [['rng', 'rt.Rng'] as [string, string]] : [])],
    returns: 'number',
    body: [
      `const fwd = forward(params, batch, true${rng ? ', rng' : ''});`,
      'const grads = backward(params, batch, fwd);',
      'const loss = readScalar(fwd.loss);',
      'tf.dispose([fwd.loss, fwd.prediction]);',
      'applyUpdate(params, state, grads, lr);',
      'return loss;',
    ],
  });
}
