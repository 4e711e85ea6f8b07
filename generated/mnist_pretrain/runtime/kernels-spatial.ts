// Backward kernels of convolution and pooling (NHWC) that tfjs registers but
// does not export as ops, each made exact on every backend: wasm lacks
// Conv2DBackpropFilter and has a flawed MaxPoolGrad; AvgPoolGrad divides
// 'same' windows by their full size on cpu and wasm. Flaws are probed once
// per backend, so TensorFlow's own kernels run wherever they are right.
import * as tf from '@tensorflow/tfjs-core';
import * as native from './kernels-native.js';
import { hasFlaw, hasKernel, matMulFastPath, samePadding, withTemps } from './kernels-support.js';

type Pad = 'same' | 'valid';

/**
 * dL/dfilter of tf.conv2d (NHWC); from slices and matmuls where the backend
 * lacks the kernel (wasm). Dilated (stride 1): the gradient of the dilated
 * filter, of which the real taps are every d-th.
 */
export function conv2dBackpropFilter(x: tf.Tensor, dy: tf.Tensor, filterShape: number[], strides: [number, number], pad: Pad, dilations: [number, number] = [1, 1]): tf.Tensor {
  const [dh, dw] = dilations;
  const [kh, kw, cin, cout] = filterShape as [number, number, number, number];
  const shape = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, cin, cout];
  const nb = native.nativeBackend();
  const full = nb !== null
    ? native.conv2dBackpropFilter(nb, x, dy, shape, strides, pad)
    : hasKernel('Conv2DBackpropFilter')
    ? (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat: 'NHWC', filterShape: shape }) as tf.Tensor)
    : conv2dBackpropFilterBySlices(x, dy, shape, strides, pad);
  if (dh === 1 && dw === 1) return full;
  return withTemps((t) => tf.stridedSlice(t(full), [0, 0, 0, 0], shape, [dh, dw, 1, 1]));
}

/** dL/dx of tf.conv2d (tf.conv2dTranspose), with the input shape kept rather than uploaded on tfjs-node. */
export function conv2dTranspose(dy: tf.Tensor, w: tf.Tensor, inputShape: [number, number, number, number], strides: [number, number], pad: Pad): tf.Tensor {
  const nb = native.nativeBackend();
  if (nb !== null) return native.conv2dBackpropInput(nb, dy, w, inputShape, strides, pad);
  return tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, inputShape, strides, pad);
}

/** dL/dx of a dilated tf.conv2d (stride 1): the transposed convolution with the dilated filter. */
export function conv2dBackpropInput(dy: tf.Tensor, w: tf.Tensor, inputShape: [number, number, number, number], pad: Pad, dilations: [number, number]): tf.Tensor {
  return withTemps((t) => tf.conv2dTranspose(dy as tf.Tensor4D, t(dilateFilter(w, dilations)) as tf.Tensor4D, inputShape, 1, pad));
}

/** The filter with d-1 zero taps between neighbours: a d-dilated convolution with w is a plain one with this. */
export function dilateFilter(w: tf.Tensor, [dh, dw]: [number, number]): tf.Tensor {
  const [kh, kw, cin, cout] = w.shape as [number, number, number, number];
  const [eh, ew] = [(kh - 1) * dh + 1, (kw - 1) * dw + 1];
  const src = w.dataSync();
  const out = new Float32Array(eh * ew * cin * cout);
  const cell = cin * cout;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) out.set(src.subarray((i * kw + j) * cell, (i * kw + j + 1) * cell), (i * dh * ew + j * dw) * cell);
  }
  return tf.tensor4d(out, [eh, ew, cin, cout]);
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
        taps.push(t(matMulFastPath(t(tf.reshape(patch, [-1, cin])), dy2, true, false)));
      }
    }
    return tf.reshape(t(tf.stack(taps)), filterShape);
  });
}

/** tf.maxPool; on tfjs-node with oneDNN, its kernel, keeping the workspace that makes `maxPoolGrad` ~10× faster. */
export function maxPool(x: tf.Tensor, filterSize: [number, number], strides: [number, number], pad: Pad): tf.Tensor {
  const nb = native.nativeBackend();
  const y = nb ? native.maxPoolKeepingWorkspace(nb, x, filterSize, strides, pad) : null;
  return y ?? tf.maxPool(x as tf.Tensor4D, filterSize, strides, pad);
}

/**
 * dL/dx of tf.maxPool, from its input x and output y: from the workspace
 * `maxPool` kept, on tfjs-node with oneDNN. Where the backend's kernel is
 * flawed (wasm: windows whose max is negative, or that reach into 'same'
 * padding, get no gradient) it is computed in JS instead.
 */
export function maxPoolGrad(dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor, filterSize: [number, number], strides: [number, number], pad: Pad): tf.Tensor {
  const nb = native.nativeBackend();
  const fast = nb ? native.maxPoolGradFromWorkspace(nb, dy, x, y, filterSize, strides, pad) : null;
  if (fast !== null) return fast;
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
