// Runtime helpers for generated trainers: the ops for which the public tfjs
// API has no single kernel. Lowerings call them as `rt.xxx(...)`. This file is
// copied next to each generated program, so it imports only tfjs (and the
// runtime's own Rng type). Every helper returns ONE new tensor and
// disposes its temporaries itself, so callers can dispose results at their
// last use without wrapping steps in tf.tidy. On tfjs-node some helpers run
// one raw TensorFlow kernel instead (kernels-native.ts); on backends with
// flawed or missing kernels they fall back to exact versions, probed once per
// backend (kernels-support.ts). Convolution and pooling gradients live in
// kernels-spatial.ts, re-exported here.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './rng.js';
import * as native from './kernels-native.js';
import { graphFeed } from './graph-capture.js';
import { hasFlaw, hasKernel, matMulFastPath, withTemps } from './kernels-support.js';

export * from './kernels-spatial.js';
export * from './kernels-recurrent.js';
export * from './kernels-fused.js';

/**
 * op(a) @ op(b) for rank-2 a and b, avoiding each backend's slow path: on
 * tfjs-node the MatMul kernel (tf.matMul runs BatchMatMulV2, 3–4× slower here),
 * on wasm no transpose flag (matMulFastPath).
 */
export function matMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb) return native.matMul(nb, a, b, transposeA, transposeB);
  return matMulFastPath(a, b, transposeA, transposeB);
}

/** Tensors the runtime holds between calls (cached constants, a pending loss gradient): not leaks. */
export const heldTensors = native.heldTensors;

/**
 * tf's own elementwise op, or on tfjs-node (float32 inputs) the same
 * TensorFlow kernel called directly, without the engine's per-op overhead.
 */
function direct<A extends tf.Tensor[]>(op: 'Add' | 'Sub' | 'Mul' | 'Relu', portable: (...xs: A) => tf.Tensor): (...xs: A) => tf.Tensor {
  return (...xs) => {
    const nb = native.nativeBackend();
    return nb && xs.every((x) => x.dtype === 'float32') ? native.elementwise(nb, op, xs) : portable(...xs);
  };
}

/** tf.add(a, b); on tfjs-node one Add kernel called directly. */
export const add = direct('Add', (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b));
/** tf.sub(a, b), as `add`. */
export const sub = direct('Sub', (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b));
/** tf.mul(a, b), as `add`. */
export const mul = direct('Mul', (a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b));
/** tf.relu(x), as `add`. */
export const relu = direct('Relu', (x: tf.Tensor) => tf.relu(x));

/** tf.sum(x, axes, keepDims); on tfjs-node one kernel with no per-call upload of the axes (BiasAddGrad for a bias gradient). */
export function sum(x: tf.Tensor, axes?: number[], keepDims = false): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb && x.dtype === 'float32') return native.reduce(nb, 'Sum', x, axes, keepDims);
  return tf.sum(x, axes, keepDims);
}

/** tf.mean(x, axes, keepDims); on tfjs-node one kernel (tfjs-node's own adds a cast and an axes upload). */
export function mean(x: tf.Tensor, axes?: number[], keepDims = false): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb && x.dtype === 'float32') return native.reduce(nb, 'Mean', x, axes, keepDims);
  return tf.mean(x, axes, keepDims);
}

/** dy * [y > 0], from relu's output y ≥ 0: sign(y) is exactly the 0/1 mask (and cheaper than tf.step). */
export function reluGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb) return native.reluGrad(nb, dy, y);
  return withTemps((t) => tf.mul(dy, t(tf.sign(y))));
}

/** dy * y * (1 - y) written as dy * (y - y²): no scalar upload. */
export function sigmoidGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb) return native.sigmoidGrad(nb, dy, y);
  return withTemps((t) => tf.mul(dy, t(tf.sub(y, t(tf.square(y))))));
}

/** dy * (1 - y²) written as dy - dy * y²: no scalar upload. */
export function tanhGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb) return native.tanhGrad(nb, dy, y);
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

/** f32 one-hot rows of integer labels (an out-of-range label gives a zero row). */
export function oneHot(labels: tf.Tensor, depth: number): tf.Tensor {
  if (!oneHotFloatBroken()) return tf.oneHot(labels, depth, 1, 0, 'float32');
  return withTemps((t) => tf.cast(t(tf.oneHot(labels, depth)), 'float32'));
}

/** True when tf.oneHot(…, 'float32') writes integer bit patterns (wasm). */
function oneHotFloatBroken(): boolean {
  return hasFlaw('OneHot', () => tf.oneHot(tf.tensor1d([0], 'int32'), 2, 1, 0, 'float32').dataSync()[0] !== 1);
}

/** Per-example cross-entropy of integer labels: logsumexp(logits) - logits[label]. */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb) return native.softmaxCrossEntropyLoss(nb, logits, labels);
  const classes = logits.shape[logits.rank - 1]!;
  return withTemps((t) => {
    const picked = t(tf.sum(t(tf.mul(logits, t(oneHot(labels, classes)))), -1));
    return tf.sub(t(tf.logSumExp(logits, -1)), picked);
  });
}

/** (softmax(logits) - onehot(labels)) * dy[:, None]. */
export function softmaxCrossEntropyGrad(logits: tf.Tensor, labels: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb) return withTemps((t) => tf.mul(t(native.softmaxCrossEntropyGradient(nb, logits, labels)), t(tf.reshape(dy, [-1, 1]))));
  const classes = logits.shape[logits.rank - 1]!;
  return withTemps((t) => {
    const diff = t(tf.sub(t(tf.softmax(logits)), t(oneHot(labels, classes))));
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
  return withTemps((t) => sum(t(tf.square(x))));
}

/** tf.gather(table, ids) along axis 0; on tfjs-node without tfjs-node's read of the ids to the host (TensorFlow checks their range). */
export function gather(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  const nb = native.nativeBackend();
  return nb !== null && ids.dtype === 'int32' ? native.gather(nb, table, ids) : tf.gather(table, ids);
}

/** tf.scalar(1 / n); on tfjs-node a handle on a kept constant (no upload per call). */
export function inverseCount(n: number): tf.Tensor {
  const nb = native.nativeBackend();
  return nb !== null ? native.inverseCount(nb, n) : tf.scalar(1 / n);
}

/** tf.reshape (`shape` may hold one -1), with the shape kept rather than uploaded on tfjs-node. */
export function reshape(x: tf.Tensor, shape: number[]): tf.Tensor {
  const nb = native.nativeBackend();
  return nb !== null ? native.reshape(nb, x, shape) : tf.reshape(x, shape);
}

/** tf.broadcastTo where -1 keeps x's own size of that (right-aligned) axis. */
export function broadcastTo(x: tf.Tensor, shape: number[]): tf.Tensor {
  const lead = shape.length - x.rank;
  const full = shape.map((d, i) => (d === -1 ? x.shape[i - lead]! : d));
  const nb = native.nativeBackend();
  return nb !== null && x.dtype === 'float32' ? native.broadcastTo(nb, x, full) : tf.broadcastTo(x, full);
}

/**
 * Inverted-dropout mask of x's shape: 0 with probability `rate`, else
 * 1/(1-rate), while training; all ones otherwise. One draw from the trainer's
 * `rng` seeds a mulberry32 stream for the mask's cells (drawn in JS, uploaded
 * once: cheaper than the several kernels of a tensor RNG, and reproducible
 * from the trainer's seed and RNG state).
 */
export function dropoutMask(x: tf.Tensor, rate: number, training: boolean, rng: Pick<Rng, 'nextUint32'>): tf.Tensor {
  if (!training || rate === 0) return tf.onesLike(x);
  const shape = x.shape;
  const size = x.size;
  const draw = (r: Pick<Rng, 'nextUint32'>) => tf.tensor(dropoutValues(size, rate, r), shape, 'float32');
  // a recorded graph step takes the mask as a per-call feed, drawn again from the step's rng each replay
  return graphFeed(draw(rng), rng, draw);
}

function dropoutValues(size: number, rate: number, rng: Pick<Rng, 'nextUint32'>): Float32Array {
  const keep = 1 / (1 - rate);
  const threshold = rate * 4294967296;
  const values = new Float32Array(size);
  let state = rng.nextUint32() | 0;
  for (let i = 0; i < values.length; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values[i] = (t ^ (t >>> 14)) >>> 0 < threshold ? 0 : keep;
  }
  return values;
}

/**
 * tf.unsortedSegmentSum for ids of any rank (the ids' axes of data are
 * flattened). Backends without the kernel (wasm) sum in JS: one read-back,
 * one upload, exact.
 */
export function unsortedSegmentSum(data: tf.Tensor, ids: tf.Tensor, segments: number): tf.Tensor {
  const rows = data.shape.slice(ids.rank);
  // The cpu kernel loops over segments with three tensor ops each (a 4000-word
  // embedding: 12 000 ops per step); summing in JS is exact and far faster there.
  if (!hasKernel('UnsortedSegmentSum') || tf.getBackend() === 'cpu') return unsortedSegmentSumInJs(data, ids, segments);
  const nb = native.nativeBackend();
  const sumBy =
    nb !== null && data.dtype === 'float32' && ids.dtype === 'int32'
      ? (d: tf.Tensor, i: tf.Tensor) => native.unsortedSegmentSum(nb, d, i, segments)
      : (d: tf.Tensor, i: tf.Tensor) => tf.unsortedSegmentSum(d, i as tf.Tensor1D, segments);
  if (ids.rank === 1) return sumBy(data, ids);
  return withTemps((t) => sumBy(t(reshape(data, [-1, ...rows])), t(reshape(ids, [-1]))));
}

export function unsortedSegmentSumInJs(data: tf.Tensor, ids: tf.Tensor, segments: number): tf.Tensor {
  const rows = data.shape.slice(ids.rank);
  const width = rows.reduce((a, b) => a * b, 1);
  const values = data.dataSync();
  const index = ids.dataSync();
  const out = new Float32Array(segments * width);
  for (let i = 0; i < index.length; i++) {
    const s = index[i]!;
    if (s < 0 || s >= segments) continue;
    for (let k = 0; k < width; k++) out[s * width + k]! += values[i * width + k]!;
  }
  return tf.tensor(out, [segments, ...rows], 'float32');
}

/** Gradient of a max over `axes` (normalised): dy shared equally among the maxima. */
export function maxGrad(dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor, axes: number[]): tf.Tensor {
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return withTemps((t) => {
    const hits = t(tf.cast(t(tf.equal(x, t(tf.reshape(y, kept)))), 'float32'));
    const share = t(tf.div(t(tf.reshape(dy, kept)), t(tf.sum(hits, axes, true))));
    return tf.mul(hits, share);
  });
}
