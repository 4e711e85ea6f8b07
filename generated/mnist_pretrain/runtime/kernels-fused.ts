// Fused kernels the optimisation passes create (src/passes/fold-mean.ts), so a
// training step runs fewer kernels and uploads fewer scalars. Each returns ONE
// new tensor and disposes its temporaries, like every helper in kernels.ts.
import * as tf from '@tensorflow/tfjs-core';
import * as native from './kernels-native.js';
import { withTemps } from './kernels-support.js';
// A cycle (kernels.ts re-exports this file), harmless: oneHot is only called, never read at load time.
import { oneHot } from './kernels.js';

/**
 * (softmax(logits) − onehot(labels)) / B: the gradient of the batch-mean
 * cross-entropy as one multiply by 1/B of the loss kernel's gradient half (on
 * tfjs-node, where the forward pass's kernel already made it, and 1/B is
 * uploaded once per batch size), else a few portable kernels.
 */
export function softmaxCrossEntropyMeanGrad(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb) return withTemps((t) => tf.mul(t(native.softmaxCrossEntropyGradient(nb, logits, labels)), native.constantScalar(nb, 1 / logits.shape[0]!)));
  return withTemps((t) => {
    const inverse = t(tf.scalar(1 / logits.shape[0]!));
    const classes = logits.shape[logits.rank - 1]!;
    return tf.mul(t(tf.sub(t(tf.softmax(logits)), t(oneHot(labels, classes)))), inverse);
  });
}
