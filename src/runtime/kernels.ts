// Runtime helpers for generated trainers: the ops for which the public tfjs
// API has no single kernel. Lowerings call them as `rt.xxx(...)`. This file is
// copied next to each generated program, so it imports only tfjs (and the
// runtime's own Rng type). Every helper returns ONE new tensor and
// disposes its temporaries itself, so callers can dispose results at their
// last use without wrapping steps in tf.tidy. On tfjs-node some helpers run
// one raw TensorFlow kernel instead (kernels-native.ts); on backends with
// flawed or missing kernels they fall back to exact versions (probed once).
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './rng.js';
import * as native from './kernels-native.js';

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

/** Per-example cross-entropy of integer labels: logsumexp(logits) - logits[label]. */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb) return native.sparseSoftmaxCrossEntropy(nb, logits, labels, 0);
  const classes = logits.shape[logits.rank - 1]!;
  return withTemps((t) => {
    const picked = t(tf.sum(t(tf.mul(logits, t(oneHot(labels, classes)))), -1));
    return tf.sub(t(tf.logSumExp(logits, -1)), picked);
  });
}

/** (softmax(logits) - onehot(labels)) * dy[:, None]. */
export function softmaxCrossEntropyGrad(logits: tf.Tensor, labels: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb) return withTemps((t) => tf.mul(t(native.sparseSoftmaxCrossEntropy(nb, logits, labels, 1)), t(tf.reshape(dy, [-1, 1]))));
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

/**
 * tf.unsortedSegmentSum for ids of any rank (the ids' axes of data are
 * flattened). Backends without the kernel (wasm) sum in JS: one read-back,
 * one upload, exact.
 */
export function unsortedSegmentSum(data: tf.Tensor, ids: tf.Tensor, segments: number): tf.Tensor {
  const rows = data.shape.slice(ids.rank);
  if (!hasKernel('UnsortedSegmentSum')) return unsortedSegmentSumInJs(data, ids, segments);
  if (ids.rank === 1) return tf.unsortedSegmentSum(data, ids as tf.Tensor1D, segments);
  return withTemps((t) => tf.unsortedSegmentSum(t(tf.reshape(data, [-1, ...rows])), t(tf.reshape(ids, [-1])) as tf.Tensor1D, segments));
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

/** Whether the active backend has a kernel (wasm lacks a few backward ones). */
function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

// Backward kernels that tfjs registers but does not export as ops.
type Pad = 'same' | 'valid';

/** dL/dfilter of tf.conv2d (NHWC); from slices and matmuls where the backend lacks the kernel (wasm). */
export function conv2dBackpropFilter(x: tf.Tensor, dy: tf.Tensor, filterShape: number[], strides: [number, number], pad: Pad): tf.Tensor {
  if (!hasKernel('Conv2DBackpropFilter')) return conv2dBackpropFilterBySlices(x, dy, filterShape, strides, pad);
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat: 'NHWC', filterShape }) as tf.Tensor;
}

/**
 * The same from public ops: for each filter tap (i, j), the strided slice of
 * the (padded) input it meets, times dy: dW[i, j] = patchᵀ @ dy, [in, out].
 */
export function conv2dBackpropFilterBySlices(x: tf.Tensor, dy: tf.Tensor, filterShape: number[], strides: [number, number], pad: Pad): tf.Tensor {
  const [kh, kw, cin, cout] = filterShape as [number, number, number, number];
  const [batch, h, w] = x.shape as number[];
  const [, oh, ow] = dy.shape as number[];
  const [sh, sw] = strides;
  return withTemps((t) => {
    let xp = x;
    if (pad === 'same') {
      const padH = Math.max((oh! - 1) * sh + kh - h!, 0);
      const padW = Math.max((ow! - 1) * sw + kw - w!, 0);
      const top = Math.floor(padH / 2);
      const left = Math.floor(padW / 2);
      xp = t(tf.pad(x, [[0, 0], [top, padH - top], [left, padW - left], [0, 0]]));
    }
    const dy2 = t(tf.reshape(dy, [-1, cout]));
    const taps: tf.Tensor[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const end = [batch!, i + (oh! - 1) * sh + 1, j + (ow! - 1) * sw + 1, cin];
        const patch = t(tf.stridedSlice(xp, [0, i, j, 0], end, [1, sh, sw, 1]));
        taps.push(t(tf.matMul(t(tf.reshape(patch, [-1, cin])), dy2, true, false)));
      }
    }
    return tf.reshape(t(tf.stack(taps)), filterShape);
  });
}

/**
 * dL/dx of tf.maxPool, from its input x and output y. Where the backend's
 * kernel is flawed (wasm: windows whose max is negative, or that reach into
 * 'same' padding, get no gradient) it is computed in JS instead.
 */
export function maxPoolGrad(dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor, filterSize: [number, number], strides: [number, number], pad: Pad): tf.Tensor {
  if (maxPoolGradFlawed()) return maxPoolGradInJs(dy, x, filterSize, strides, pad);
  return tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize, strides, pad }) as tf.Tensor;
}

/** Routes each window's dy to its first maximal cell (TensorFlow's tie rule); exact. */
export function maxPoolGradInJs(dy: tf.Tensor, x: tf.Tensor, filterSize: [number, number], strides: [number, number], pad: Pad): tf.Tensor {
  const [batch, h, w, c] = x.shape as [number, number, number, number];
  const [, oh, ow] = dy.shape as number[] as [number, number, number];
  const [kh, kw] = filterSize;
  const [sh, sw] = strides;
  const top = pad === 'same' ? samePadding(h, oh, kh, sh)[0] : 0;
  const left = pad === 'same' ? samePadding(w, ow, kw, sw)[0] : 0;
  const xs = x.dataSync();
  const g = dy.dataSync();
  const dx = new Float32Array(x.size);
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let u = 0; u < kh; u++) {
            const r = i * sh - top + u;
            if (r < 0 || r >= h) continue;
            for (let v = 0; v < kw; v++) {
              const col = j * sw - left + v;
              if (col < 0 || col >= w) continue;
              const idx = ((n * h + r) * w + col) * c + ch;
              if (at < 0 || xs[idx]! > best) {
                best = xs[idx]!;
                at = idx;
              }
            }
          }
          if (at >= 0) dx[at]! += g[((n * oh + i) * ow + j) * c + ch]!;
        }
      }
    }
  }
  return tf.tensor(dx, x.shape, 'float32');
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
  const [before] = samePadding(size, out, k, stride);
  return Array.from({ length: out }, (_, i) => Math.min(i * stride - before + k, size) - Math.max(i * stride - before, 0));
}

/** Kernel flaws found on the active backend, probed once per backend and kernel. */
const flaws = new Map<string, boolean>();

function hasFlaw(name: string, probe: () => boolean): boolean {
  const key = `${tf.getBackend()}/${name}`;
  let flawed = flaws.get(key);
  if (flawed === undefined) {
    flawed = tf.tidy(probe);
    flaws.set(key, flawed);
  }
  return flawed;
}

/** True when AvgPoolGrad divides 'same' windows by their full size (cpu, wasm). */
function avgPoolGradIgnoresPadding(): boolean {
  // Two rows, window 2, 'same': the second window holds one real cell, so dx[1] = 1/2 + 1/1 = 1.5.
  return hasFlaw('AvgPoolGrad', () => {
    const dx = tf.engine().runKernel('AvgPoolGrad', { dy: tf.ones([1, 2, 1, 1]), input: tf.zeros([1, 2, 1, 1]) }, { filterSize: [2, 1], strides: [1, 1], pad: 'same' }) as tf.Tensor;
    return Math.abs(dx.dataSync()[1]! - 1.5) > 1e-6;
  });
}

/** True when MaxPoolGrad drops windows with a negative max or reaching into 'same' padding (wasm). */
function maxPoolGradFlawed(): boolean {
  // All negative, 3×3, 2×2 windows, stride 2, 'same': the maxima are cells 1, 2, 6 and 8.
  return hasFlaw('MaxPoolGrad', () => {
    const x = tf.tensor4d([-3, -2, -1, -4, -5, -6, -7, -8, -9], [1, 3, 3, 1]);
    const y = tf.maxPool(x, 2, 2, 'same');
    const dx = tf.engine().runKernel('MaxPoolGrad', { dy: tf.ones(y.shape), input: x, output: y }, { filterSize: [2, 2], strides: [2, 2], pad: 'same' }) as tf.Tensor;
    return Array.from(dx.dataSync()).join() !== '0,1,1,0,0,0,1,0,1';
  });
}

/** True when tf.oneHot(…, 'float32') writes integer bit patterns (wasm). */
function oneHotFloatBroken(): boolean {
  return hasFlaw('OneHot', () => tf.oneHot(tf.tensor1d([0], 'int32'), 2, 1, 0, 'float32').dataSync()[0] !== 1);
}

/** TensorFlow's split of 'same' padding along one axis: [before, after]. */
function samePadding(size: number, out: number, k: number, stride: number): [number, number] {
  const total = Math.max((out - 1) * stride + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
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
