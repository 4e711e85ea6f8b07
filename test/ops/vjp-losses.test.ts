// VJPs of the normalisers, the fused losses, l2 and dropout.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, FORWARD, single, TOL, useCpu, type GradCase } from './harness.js';
import * as rt from '../../src/runtime/kernels.js';
import { Rng } from '../../src/runtime/rng.js';

beforeAll(useCpu);

function expectGood(c: GradCase): void {
  const r = checkGradients(c);
  expect(r.forward).toBeLessThan(TOL.forward);
  expect(r.vsTfjs).toBeLessThan(TOL.vsTfjs);
  expect(r.vsFiniteDiff).toBeLessThan(TOL.vsFiniteDiff);
}

/** softmax / log-softmax along any axis, written from tfjs primitives for the reference. */
const refLogSoftmax = (x: tf.Tensor, axis: number) => tf.sub(x, tf.logSumExp(x, axis, true));

describe('softmax and log_softmax', () => {
  const cases: [(string | number)[], number][] = [
    [['batch', 4], -1],
    [['batch', 4], 1],
    [['batch', 3], 0],
    [['batch', 3, 2], 1],
  ];
  cases.forEach(([shape, axis], k) => {
    it(`softmax f32[${shape}] axis ${axis}`, () => {
      expectGood({ inputs: [{ shape }], build: single('softmax', { axis }), reference: ([x]) => tf.exp(refLogSoftmax(x!, axis)), batch: 3 + 2 * (k % 2) });
    });
    it(`log_softmax f32[${shape}] axis ${axis}`, () => {
      expectGood({ inputs: [{ shape }], build: single('log_softmax', { axis }), reference: ([x]) => refLogSoftmax(x!, axis), batch: 3 + 2 * (k % 2) });
    });
  });
});

describe('fused losses', () => {
  it('softmax_cross_entropy(logits f32[batch, 5], labels i32[batch])', () => {
    expectGood({
      inputs: [{ shape: ['batch', 5] }, { shape: ['batch'], dtype: 'i32', gen: { labels: 5 } }],
      build: single('softmax_cross_entropy'),
      reference: ([logits, labels]) => tf.neg(tf.sum(tf.mul(tf.oneHot(labels!, 5).toFloat(), tf.logSoftmax(logits!)), -1)),
      batch: 7,
    });
  });
  it('mean over the batch of softmax_cross_entropy (1/N read at run time)', () => {
    expectGood({
      inputs: [{ shape: ['batch', 3] }, { shape: ['batch'], dtype: 'i32', gen: { labels: 3 } }],
      build: (g, xs) => single('mean')(g, [single('softmax_cross_entropy')(g, xs)]),
      reference: ([logits, labels]) => tf.mean(tf.neg(tf.sum(tf.mul(tf.oneHot(labels!, 3).toFloat(), tf.logSoftmax(logits!)), -1))),
      batch: 5,
    });
  });
  it('sigmoid_cross_entropy: gradients to logits and to soft labels', () => {
    expectGood({
      inputs: [{ shape: ['batch', 3] }, { shape: ['batch', 3], gen: 'unit' }],
      build: single('sigmoid_cross_entropy'),
      reference: ([x, y]) => tf.neg(tf.add(tf.mul(y!, tf.log(tf.sigmoid(x!))), tf.mul(tf.sub(1, y!), tf.log(tf.sub(1, tf.sigmoid(x!)))))),
      batch: 5,
    });
  });
  for (const shape of [['batch', 3], ['batch'], ['batch', 2, 2]] as (string | number)[][]) {
    it(`mse on f32[${shape}]`, () => {
      const axes = shape.length > 1 ? [...Array(shape.length).keys()].slice(1) : undefined;
      expectGood({
        inputs: [{ shape }, { shape }],
        build: single('mse'),
        reference: ([p, t]) => (axes ? tf.mean(tf.squaredDifference(p!, t!), axes) : tf.squaredDifference(p!, t!)),
        batch: 5,
      });
    });
  }
  it('l2 is Σx² (no ½)', () => {
    expectGood({ inputs: [{ shape: [3, 4] }], build: single('l2'), reference: ([x]) => tf.sum(tf.square(x!)) });
  });
});

describe('dropout = mul(x, dropout_mask(x))', () => {
  for (const training of [true, false]) {
    it(`training=${training}: the backward reuses the forward's mask`, () => {
      expectGood({
        inputs: [{ shape: ['batch', 6] }],
        build: (g, [x]) => g.add('mul', [x!, g.add('dropout_mask', [x!], { rate: 0.5 }, FORWARD)], {}, FORWARD),
        // The same mask the interpreter draws (the harness seeds each run with Rng(99)).
        reference: ([x]) => tf.mul(x!, rt.dropoutMask(x!, 0.5, training, new Rng(99))),
        training,
        batch: 5,
      });
    });
  }
});
