// The kernels helpers build from public ops where a backend lacks one (wasm:
// Conv2DBackpropFilter, UnsortedSegmentSum), checked against the cpu kernels.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as rt from '../../src/runtime/kernels.js';
import { useCpu } from './harness.js';

beforeAll(useCpu);

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = Array.from(a.dataSync());
  const y = b.dataSync();
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!)), 0);
}

describe('conv2d backprop filter from slices', () => {
  const cases: [[number, number, number, number], [number, number, number, number], [number, number], 'same' | 'valid'][] = [
    [[2, 5, 5, 2], [3, 3, 2, 3], [1, 1], 'same'],
    [[2, 5, 5, 2], [3, 3, 2, 3], [1, 1], 'valid'],
    [[3, 6, 5, 1], [2, 3, 1, 2], [2, 1], 'same'],
    [[1, 7, 7, 2], [3, 3, 2, 4], [2, 2], 'valid'],
    [[1, 7, 7, 2], [3, 3, 2, 4], [2, 2], 'same'],
  ];
  for (const [xs, fs, strides, pad] of cases) {
    it(`x [${xs}], filter [${fs}], strides ${strides}, ${pad}`, () => {
      const x = tf.randomNormal(xs, 0, 1, 'float32', 3);
      const y = tf.conv2d(x as tf.Tensor4D, tf.zeros(fs) as tf.Tensor4D, strides, pad);
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 4);
      const kernel = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat: 'NHWC', filterShape: fs }) as tf.Tensor;
      const before = tf.memory().numTensors;
      const ours = rt.conv2dBackpropFilterBySlices(x, dy, fs, strides, pad);
      expect(tf.memory().numTensors).toBe(before + 1); // no leaked temporaries
      expect(maxDiff(ours, kernel)).toBeLessThan(1e-4);
    });
  }
});

describe('max pool gradient in JS', () => {
  const cases: [[number, number, number, number], [number, number], [number, number], 'same' | 'valid'][] = [
    [[2, 5, 5, 3], [2, 2], [2, 2], 'valid'],
    [[2, 5, 5, 3], [2, 2], [2, 2], 'same'],
    [[1, 6, 5, 2], [3, 2], [1, 2], 'same'],
    [[3, 7, 7, 4], [3, 3], [2, 2], 'valid'],
  ];
  for (const [xs, size, strides, pad] of cases) {
    it(`x [${xs}], window ${size}, strides ${strides}, ${pad} (negative values included)`, () => {
      const x = tf.randomNormal(xs, 0, 1, 'float32', 7);
      const y = tf.maxPool(x as tf.Tensor4D, size, strides, pad);
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 8);
      const kernel = tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: size, strides, pad }) as tf.Tensor;
      expect(maxDiff(rt.maxPoolGradInJs(dy, x, size, strides, pad), kernel)).toBeLessThan(1e-6);
    });
  }
});

describe('unsorted segment sum in JS', () => {
  it('matches tf.unsortedSegmentSum, dropping out-of-range ids', () => {
    const data = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 5);
    const ids = tf.tensor2d([[0, 2, 2, 5], [1, 0, -1, 2], [4, 4, 4, 0]], [3, 4], 'int32');
    const ours = rt.unsortedSegmentSumInJs(data, ids, 5);
    const keep = tf.cast(tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, 5)), 'float32');
    const ref = tf.unsortedSegmentSum(tf.mul(tf.reshape(data, [-1, 2]), tf.reshape(keep, [-1, 1])), tf.reshape(tf.clipByValue(ids, 0, 4), [-1]) as tf.Tensor1D, 5);
    expect(maxDiff(ours, ref)).toBeLessThan(1e-5);
  });
});
