// VJPs of conv2d and the pools (NHWC): strides 1 and 2, both paddings, odd
// and non-square sizes, through the backward kernels.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, single, TOL, useCpu, type GradCase } from './harness.js';

beforeAll(useCpu);

function expectGood(c: GradCase): void {
  const r = checkGradients(c);
  expect(r.forward).toBeLessThan(TOL.forward);
  expect(r.vsTfjs).toBeLessThan(TOL.vsTfjs);
  expect(r.vsFiniteDiff).toBeLessThan(TOL.vsFiniteDiff);
}

type Pad = 'same' | 'valid';
const convCases: [number[], number[], number | [number, number], Pad][] = [
  [[5, 5, 2], [3, 3, 2, 3], 1, 'same'],
  [[5, 5, 2], [3, 3, 2, 3], 1, 'valid'],
  [[5, 5, 2], [3, 3, 2, 2], 2, 'same'],
  [[5, 5, 2], [3, 3, 2, 2], 2, 'valid'],
  [[6, 5, 1], [2, 3, 1, 2], [2, 1], 'same'],
  [[4, 4, 3], [1, 1, 3, 2], 1, 'valid'],
];

/** w with d-1 zero taps between neighbours, built from differentiable tfjs ops (tf.grads cannot do dilated conv2d). */
function dilate(w: tf.Tensor, d: number): tf.Tensor {
  const [kh, kw, ci, co] = w.shape as number[];
  const rows = tf.reshape(tf.pad(tf.expandDims(w, 1), [[0, 0], [0, d - 1], [0, 0], [0, 0], [0, 0]]), [kh! * d, kw!, ci!, co!]);
  const h = tf.slice(rows, [0, 0, 0, 0], [(kh! - 1) * d + 1, kw!, ci!, co!]);
  const cols = tf.reshape(tf.pad(tf.expandDims(h, 2), [[0, 0], [0, 0], [0, d - 1], [0, 0], [0, 0]]), [(kh! - 1) * d + 1, kw! * d, ci!, co!]);
  return tf.slice(cols, [0, 0, 0, 0], [(kh! - 1) * d + 1, (kw! - 1) * d + 1, ci!, co!]);
}

describe('dilated conv2d', () => {
  for (const padding of ['same', 'valid'] as const) {
    it(`f32[batch, 7, 6, 2] * filter [3, 2, 2, 3], dilations 2, ${padding}`, () => {
      expectGood({
        inputs: [{ shape: ['batch', 7, 6, 2] }, { shape: [3, 2, 2, 3] }],
        build: single('conv2d', { dilations: 2, padding }),
        reference: ([a, f]) => tf.conv2d(a as tf.Tensor4D, dilate(f!, 2) as tf.Tensor4D, 1, padding),
        batch: 3,
      });
    });
  }
});

describe('conv2d', () => {
  convCases.forEach(([x, w, strides, padding], k) => {
    it(`f32[batch, ${x}] * filter [${w}], strides ${strides}, ${padding}`, () => {
      expectGood({
        inputs: [{ shape: ['batch', ...x] }, { shape: w }],
        build: single('conv2d', { strides, padding }),
        reference: ([a, f]) => tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, strides, padding),
        batch: k % 2 ? 3 : 1,
      });
    });
  });
});

const poolCases: [number[], number | [number, number], number | [number, number], Pad][] = [
  [[5, 5, 2], 2, 2, 'valid'],
  [[5, 5, 2], 2, 2, 'same'],
  [[5, 5, 1], 3, 1, 'same'],
  [[4, 5, 2], [2, 3], [1, 2], 'same'],
];

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/**
 * avg_pool written so that tfjs differentiates it correctly: tf.grad of
 * tf.avgPool(…, 'same') on the cpu backend divides every window by its full
 * size, although the forward averages only the real cells. Here: zero-pad
 * explicitly (TensorFlow's split), pool 'valid', rescale by full/real cells.
 */
function avgPoolReference(x: tf.Tensor4D, size: [number, number], strides: [number, number], padding: Pad): tf.Tensor {
  if (padding === 'valid') return tf.avgPool(x, size, strides, 'valid');
  const [, h, w] = x.shape;
  const split = (n: number, k: number, s: number) => {
    const out = Math.ceil(n / s);
    const total = Math.max((out - 1) * s + k - n, 0);
    const before = Math.floor(total / 2);
    const cells = Array.from({ length: out }, (_, i) => Math.min(i * s - before + k, n) - Math.max(i * s - before, 0));
    return { before, after: total - before, cells };
  };
  const r = split(h, size[0], strides[0]);
  const c = split(w, size[1], strides[1]);
  const padded = tf.pad(x, [[0, 0], [r.before, r.after], [c.before, c.after], [0, 0]]);
  const scale = r.cells.map((a) => c.cells.map((b) => (size[0] * size[1]) / (a * b)));
  return tf.mul(tf.avgPool(padded, size, strides, 'valid'), tf.tensor4d(scale.flat(), [1, r.cells.length, c.cells.length, 1]));
}

describe('pools', () => {
  poolCases.forEach(([x, size, strides, padding], k) => {
    it(`max_pool f32[batch, ${x}] size ${size} strides ${strides} ${padding}`, () => {
      expectGood({
        inputs: [{ shape: ['batch', ...x], gen: 'distinct' }],
        build: single('max_pool', { size, strides, padding }),
        reference: ([a]) => tf.maxPool(a as tf.Tensor4D, size, strides, padding),
        batch: k % 2 ? 3 : 1,
      });
    });
    it(`avg_pool f32[batch, ${x}] size ${size} strides ${strides} ${padding}`, () => {
      expectGood({
        inputs: [{ shape: ['batch', ...x] }],
        build: single('avg_pool', { size, strides, padding }),
        reference: ([a]) => avgPoolReference(a as tf.Tensor4D, pair(size), pair(strides), padding),
        batch: k % 2 ? 3 : 1,
      });
    });
  });
  it('conv2d → avg_pool → global mean (a CNN block)', () => {
    expectGood({
      inputs: [{ shape: ['batch', 6, 6, 1] }, { shape: [3, 3, 1, 2] }],
      build: (g, xs) => single('mean', { axes: [1, 2] })(g, [single('avg_pool', { size: 2, strides: 2 })(g, [single('conv2d', { padding: 'same' })(g, xs)])]),
      reference: ([a, f]) => tf.mean(tf.avgPool(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, 1, 'same'), 2, 2, 'valid'), [1, 2]),
      batch: 3,
    });
  });
});
