// Fused kernels the optimisation passes create (src/passes/fold-mean.ts), so a
// training step runs fewer kernels and uploads fewer scalars. Each returns ONE
// new tensor and disposes its temporaries, like every helper in kernels.ts.
import * as tf from '@tensorflow/tfjs-core';
import * as native from './kernels-native.js';
import { withTemps } from './kernels-support.js';
// A cycle (kernels.ts re-exports this file), harmless: oneHot is only called, never read at load time.
import { oneHot } from './kernels.js';

/**
 * The tensor `softmaxCrossEntropyMeanGrad` multiplies by on tfjs-node,
 * stepSize / rows, kept until the value changes: the very tensor, so a
 * recorded graph step (graph-step.ts) can take it as an input and be fed the
 * current one each step.
 */
export function lossGradientFactor(stepSize: number, rows: number): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb === null) throw new Error('lossGradientFactor: only the tfjs-node path keeps this factor as a tensor');
  return native.latestScalar(nb, 'loss gradient factor', stepSize / rows);
}

/**
 * (softmax(logits) − onehot(labels)) · stepSize / B: the gradient of the
 * batch-mean cross-entropy (times the step size folded into it, 1 when none)
 * as one multiply of the loss kernel's gradient half (on tfjs-node, where the
 * forward pass's kernel already made it, and the factor is uploaded only when
 * it changes), else a few portable kernels.
 */
export function softmaxCrossEntropyMeanGrad(logits: tf.Tensor, labels: tf.Tensor, stepSize = 1): tf.Tensor {
  const factor = stepSize / logits.shape[0]!;
  const nb = native.nativeBackend();
  if (nb) return withTemps((t) => native.elementwise(nb, 'Mul', [t(native.softmaxCrossEntropyGradient(nb, logits, labels)), lossGradientFactor(stepSize, logits.shape[0]!)]));
  return withTemps((t) => {
    const inverse = t(tf.scalar(factor));
    const classes = logits.shape[logits.rank - 1]!;
    return tf.mul(t(tf.sub(t(tf.softmax(logits)), t(oneHot(labels, classes)))), inverse);
  });
}
