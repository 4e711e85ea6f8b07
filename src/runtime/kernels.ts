// Runtime helpers for generated trainers: the ops for which the public tfjs
// API has no single kernel. Lowerings call them as `rt.xxx(...)`. This file is
// copied next to each generated program, so it imports only tfjs (and the
// runtime's own Rng type). Every helper returns ONE new tensor and
// disposes its temporaries itself, so callers can dispose results at their
// last use without wrapping steps in tf.tidy.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './rng.js';

/** Computes f over temporaries, then disposes them (the result is kept). */
function withTemps(f: (keep: <T extends tf.Tensor>(t: T) => T) => tf.Tensor): tf.Tensor {
  const temps: tf.Tensor[] = [];
  const result = f((t) => {
    temps.push(t);
    return t;
  });
  for (const t of temps) if (t !== result) t.dispose();
  return result;
}

/** dy * [y > 0], from relu's output y ≥ 0: sign(y) is exactly the 0/1 mask (and cheaper than tf.step). */
export function reluGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return withTemps((t) => tf.mul(dy, t(tf.sign(y))));
}

/** dy * y * (1 - y) written as dy * (y - y²): no scalar upload. */
export function sigmoidGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return withTemps((t) => tf.mul(dy, t(tf.sub(y, t(tf.square(y))))));
}

/** dy * (1 - y²) written as dy - dy * y²: no scalar upload. */
export function tanhGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return withTemps((t) => tf.sub(dy, t(tf.mul(dy, t(tf.square(y))))));
}

/** softmax along any axis (tf.softmax only takes the last one). */
export function softmax(x: tf.Tensor, axis: number): tf.Tensor {
  return withTemps((t) => tf.exp(t(logSoftmax(x, axis))));
}

/** x - logsumexp(x) along any axis. */
export function logSoftmax(x: tf.Tensor, axis: number): tf.Tensor {
  return withTemps((t) => tf.sub(x, t(tf.logSumExp(x, axis, true))));
}

/** Per-example cross-entropy of integer labels: logsumexp(logits) - logits[label]. */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  const classes = logits.shape[logits.rank - 1]!;
  return withTemps((t) => {
    const picked = t(tf.sum(t(tf.mul(logits, t(tf.oneHot(labels, classes, 1, 0, 'float32')))), -1));
    return tf.sub(t(tf.logSumExp(logits, -1)), picked);
  });
}

/** (softmax(logits) - onehot(labels)) * dy[:, None]. */
export function softmaxCrossEntropyGrad(logits: tf.Tensor, labels: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  const classes = logits.shape[logits.rank - 1]!;
  return withTemps((t) => {
    const diff = t(tf.sub(t(tf.softmax(logits)), t(tf.oneHot(labels, classes, 1, 0, 'float32'))));
    return tf.mul(diff, t(tf.reshape(dy, [-1, 1])));
  });
}

/** max(x, 0) - x*y + log(1 + e^-|x|): no overflow for large |x|. */
export function sigmoidCrossEntropy(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return withTemps((t) => {
    const softplus = t(tf.log1p(t(tf.exp(t(tf.neg(t(tf.abs(x))))))));
    return tf.add(t(tf.sub(t(tf.relu(x)), t(tf.mul(x, y)))), softplus);
  });
}

/** (sigmoid(x) - y) * dy. */
export function sigmoidCrossEntropyGrad(x: tf.Tensor, y: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  return withTemps((t) => tf.mul(t(tf.sub(t(tf.sigmoid(x)), y)), dy));
}

/** Per-example mean squared error over every axis but the first. */
export function meanSquaredError(pred: tf.Tensor, target: tf.Tensor): tf.Tensor {
  if (pred.rank <= 1) return tf.squaredDifference(pred, target);
  const axes = [...Array(pred.rank).keys()].slice(1);
  return withTemps((t) => tf.mean(t(tf.squaredDifference(pred, target)), axes));
}

/** Σx² (no ½). */
export function sumOfSquares(x: tf.Tensor): tf.Tensor {
  return withTemps((t) => tf.sum(t(tf.square(x))));
}

/** tf.broadcastTo where -1 keeps x's own size of that (right-aligned) axis. */
export function broadcastTo(x: tf.Tensor, shape: number[]): tf.Tensor {
  const lead = shape.length - x.rank;
  return tf.broadcastTo(x, shape.map((d, i) => (d === -1 ? x.shape[i - lead]! : d)));
}

/**
 * Inverted-dropout mask of x's shape: 0 with probability `rate`, else
 * 1/(1-rate), drawn from the trainer's `rng` while training; all ones
 * otherwise. Drawn in JS (one uint32 per element) and uploaded once: cheaper
 * than the several kernels of a tensor RNG, and reproducible from the seed.
 */
export function dropoutMask(x: tf.Tensor, rate: number, training: boolean, rng: Pick<Rng, 'nextUint32'>): tf.Tensor {
  if (!training || rate === 0) return tf.onesLike(x);
  const keep = 1 / (1 - rate);
  const threshold = rate * 4294967296;
  const values = new Float32Array(x.size);
  for (let i = 0; i < values.length; i++) values[i] = rng.nextUint32() < threshold ? 0 : keep;
  return tf.tensor(values, x.shape, 'float32');
}

/** tf.unsortedSegmentSum for ids of any rank: flattens the ids' axes of data first. */
export function unsortedSegmentSum(data: tf.Tensor, ids: tf.Tensor, segments: number): tf.Tensor {
  if (ids.rank === 1) return tf.unsortedSegmentSum(data, ids as tf.Tensor1D, segments);
  const rows = data.shape.slice(ids.rank);
  return withTemps((t) => tf.unsortedSegmentSum(t(tf.reshape(data, [-1, ...rows])), t(tf.reshape(ids, [-1])) as tf.Tensor1D, segments));
}

// Backward kernels that tfjs registers but does not export as ops.
type Pad = 'same' | 'valid';

/** dL/dfilter of tf.conv2d (NHWC). */
export function conv2dBackpropFilter(x: tf.Tensor, dy: tf.Tensor, filterShape: number[], strides: [number, number], pad: Pad): tf.Tensor {
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat: 'NHWC', filterShape }) as tf.Tensor;
}

/** dL/dx of tf.maxPool, from its input x and output y. */
export function maxPoolGrad(dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor, filterSize: [number, number], strides: [number, number], pad: Pad): tf.Tensor {
  return tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize, strides, pad }) as tf.Tensor;
}

/**
 * dL/dx of tf.avgPool. With 'same' padding an average covers only the real
 * cells of its window, but the cpu backend's AvgPoolGrad divides by the full
 * window size (TensorFlow's own kernel, on tfjs-node, does not). Where the
 * kernel has that flaw (probed once per backend), dy is first scaled by
 * window size / real cells, which makes the result exact.
 */
export function avgPoolGrad(dy: tf.Tensor, x: tf.Tensor, filterSize: [number, number], strides: [number, number], pad: Pad): tf.Tensor {
  const kernel = (g: tf.Tensor) => tf.engine().runKernel('AvgPoolGrad', { dy: g, input: x }, { filterSize, strides, pad }) as tf.Tensor;
  if (pad === 'valid' || !avgPoolGradIgnoresPadding()) return kernel(dy);
  const [, h, w] = x.shape as number[];
  const [, oh, ow] = dy.shape as number[];
  const rows = sameWindowCells(h!, oh!, filterSize[0], strides[0]);
  const cols = sameWindowCells(w!, ow!, filterSize[1], strides[1]);
  const scale = new Float32Array(oh! * ow!);
  rows.forEach((r, i) => cols.forEach((c, j) => (scale[i * ow! + j] = (filterSize[0] * filterSize[1]) / (r * c))));
  return withTemps((t) => kernel(t(tf.mul(dy, t(tf.tensor4d(scale, [1, oh!, ow!, 1]))))));
}

/** Real (unpadded) cells of each 'same' window along one axis, TensorFlow's padding split. */
function sameWindowCells(size: number, out: number, k: number, stride: number): number[] {
  const before = Math.floor(Math.max((out - 1) * stride + k - size, 0) / 2);
  return Array.from({ length: out }, (_, i) => Math.min(i * stride - before + k, size) - Math.max(i * stride - before, 0));
}

const avgPoolGradFlaw = new Map<string, boolean>();

/** True when this backend's AvgPoolGrad divides 'same' windows by their full size. */
function avgPoolGradIgnoresPadding(): boolean {
  const backend = tf.getBackend();
  let flawed = avgPoolGradFlaw.get(backend);
  if (flawed === undefined) {
    // Two rows, window 2, 'same': the second window holds one real cell, so dx[1] = 1/2 + 1/1 = 1.5.
    flawed = tf.tidy(() => {
      const dx = tf.engine().runKernel('AvgPoolGrad', { dy: tf.ones([1, 2, 1, 1]), input: tf.zeros([1, 2, 1, 1]) }, { filterSize: [2, 1], strides: [1, 1], pad: 'same' }) as tf.Tensor;
      return Math.abs(dx.dataSync()[1]! - 1.5) > 1e-6;
    });
    avgPoolGradFlaw.set(backend, flawed);
  }
  return flawed;
}
