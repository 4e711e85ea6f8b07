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
 * cross-entropy as one fused kernel (on tfjs-node) and one multiply by 1/B.
 * 1/B is uploaded per call, not cached: a cached scalar would be a tensor that
 * outlives the step, and callers check that a step leaves the count unchanged.
 */
export function softmaxCrossEntropyMeanGrad(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  const nb = native.nativeBackend();
  return withTemps((t) => {
    const inverse = t(tf.scalar(1 / logits.shape[0]!));
    if (nb) return tf.mul(t(native.sparseSoftmaxCrossEntropy(nb, logits, labels, 1)), inverse);
    const classes = logits.shape[logits.rank - 1]!;
    return tf.mul(t(tf.sub(t(tf.softmax(logits)), t(oneHot(labels, classes)))), inverse);
  });
}
