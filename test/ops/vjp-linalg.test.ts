// VJPs of matmul (every transpose combination), reshape, transpose, broadcasts
// and reductions, including reductions over the symbolic batch axis.
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

describe('matmul', () => {
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      it(`transposeA=${ta} transposeB=${tb}`, () => {
        expectGood({
          inputs: [{ shape: ta ? [4, 'batch'] : ['batch', 4] }, { shape: tb ? [3, 4] : [4, 3] }],
          build: single('matmul', { transposeA: ta, transposeB: tb }),
          reference: ([a, b]) => tf.matMul(a!, b!, ta, tb),
          batch: 5,
        });
      });
    }
  }
  // A smooth activation: finite differences across a relu kink would be meaningless.
  it('a dense layer: sigmoid(x @ w + b)', () => {
    expectGood({
      inputs: [{ shape: ['batch', 4] }, { shape: [4, 3] }, { shape: [3] }],
      build: (g, [x, w, b]) => single('sigmoid')(g, [single('add')(g, [single('matmul')(g, [x!, w!]), b!])]),
      reference: ([x, w, b]) => tf.sigmoid(tf.add(tf.matMul(x!, w!), b!)),
      batch: 7,
    });
  });
});

describe('shape ops', () => {
  it('reshape f32[batch, 2, 3] → [batch, 6]', () => {
    expectGood({
      inputs: [{ shape: ['batch', 2, 3] }],
      build: single('reshape', { shape: ['batch', 6] }),
      reference: ([x]) => tf.reshape(x!, [-1, 6]),
    });
  });
  it('reshape f32[batch] → [batch, 1]', () => {
    expectGood({ inputs: [{ shape: ['batch'] }], build: single('reshape', { shape: ['batch', 1] }), reference: ([x]) => tf.reshape(x!, [-1, 1]), batch: 5 });
  });
  it('transpose f32[batch, 2, 3] by [2, 0, 1]', () => {
    expectGood({ inputs: [{ shape: ['batch', 2, 3] }], build: single('transpose', { perm: [2, 0, 1] }), reference: ([x]) => tf.transpose(x!, [2, 0, 1]) });
  });
  it('transpose defaults to reversing the axes', () => {
    expectGood({ inputs: [{ shape: [2, 'batch'] }], build: single('transpose'), reference: ([x]) => tf.transpose(x!) });
  });
  it('broadcast f32[batch, 1] → [batch, 4]', () => {
    expectGood({ inputs: [{ shape: ['batch', 1] }], build: single('broadcast', { shape: ['batch', 4] }), reference: ([x]) => tf.broadcastTo(x!, [x!.shape[0]!, 4]), batch: 5 });
  });
  it('broadcast f32[3] → [2, 3]', () => {
    expectGood({ inputs: [{ shape: [3] }], build: single('broadcast', { shape: [2, 3] }), reference: ([x]) => tf.broadcastTo(x!, [2, 3]) });
  });
  it('broadcast_like stretches f32[1, 3] to the batch of f32[batch, 3]', () => {
    expectGood({
      inputs: [{ shape: [1, 3] }, { shape: ['batch', 3] }],
      build: single('broadcast_like'),
      // `like` lends only its shape: its gradient is zero, which tf.grads also reports.
      reference: ([x, like]) => tf.add(tf.broadcastTo(x!, like!.shape), tf.mul(like!, 0)),
      batch: 5,
    });
  });
});

const reductions: [string, Record<string, unknown>, (string | number)[], (x: tf.Tensor) => tf.Tensor][] = [
  ['every axis', {}, ['batch', 3], (x) => x],
  ['axis 1', { axes: [1] }, ['batch', 3], (x) => x],
  ['axis -1 keepDims', { axes: [-1], keepDims: true }, ['batch', 3], (x) => x],
  ['the batch axis', { axes: [0] }, ['batch', 3], (x) => x],
  ['the batch axis keepDims', { axes: [0], keepDims: true }, ['batch', 3], (x) => x],
  ['axes [0, 2] of rank 3', { axes: [0, 2] }, ['batch', 2, 3], (x) => x],
  ['axes [1, 2] of rank 3', { axes: [1, 2] }, ['batch', 2, 3], (x) => x],
  ['every axis keepDims', { keepDims: true }, ['batch', 2], (x) => x],
];

describe('sum and mean', () => {
  for (const op of ['sum', 'mean'] as const) {
    reductions.forEach(([name, attrs, shape], k) => {
      it(`${op} over ${name}`, () => {
        const axes = attrs['axes'] as number[] | undefined;
        const keep = attrs['keepDims'] === true;
        expectGood({
          inputs: [{ shape }],
          build: single(op, attrs),
          reference: ([x]) => (op === 'sum' ? tf.sum(x!, axes, keep) : tf.mean(x!, axes, keep)),
          batch: k % 2 ? 5 : 3,
        });
      });
    });
  }
});

describe('embeddings', () => {
  it('gather(table f32[6, 3], ids i32[batch, 4]) accumulates repeated ids', () => {
    expectGood({
      inputs: [{ shape: [6, 3] }, { shape: ['batch', 4], dtype: 'i32', gen: { labels: 6 } }],
      build: single('gather'),
      reference: ([table, ids]) => tf.gather(table!, ids!),
      batch: 5,
    });
  });
  it('unsorted_segment_sum(data f32[batch, 2, 3], ids i32[batch, 2]; 4)', () => {
    expectGood({
      inputs: [{ shape: ['batch', 2, 3] }, { shape: ['batch', 2], dtype: 'i32', gen: { labels: 4 } }],
      build: single('unsorted_segment_sum', { segments: 4 }),
      reference: ([data, ids]) => tf.unsortedSegmentSum(tf.reshape(data!, [-1, 3]), tf.reshape(ids!, [-1]) as tf.Tensor1D, 4),
      batch: 3,
    });
  });
});

describe('slicing and joining', () => {
  it('slice f32[batch, 6] → [batch, 2] at column 3', () => {
    expectGood({ inputs: [{ shape: ['batch', 6] }], build: single('slice', { begin: [0, 3], size: ['batch', 2] }), reference: ([x]) => tf.slice(x!, [0, 3], [-1, 2]), batch: 5 });
  });
  it('slice f32[4, 5, 3] in the middle of every axis', () => {
    expectGood({ inputs: [{ shape: [4, 5, 3] }], build: single('slice', { begin: [1, 2, 0], size: [2, 3, 2] }), reference: ([x]) => tf.slice(x!, [1, 2, 0], [2, 3, 2]) });
  });
  it('pad f32[batch, 3] by (1, 2) columns', () => {
    expectGood({ inputs: [{ shape: ['batch', 3] }], build: single('pad', { paddings: [0, 0, 1, 2] }), reference: ([x]) => tf.pad(x!, [[0, 0], [1, 2]]) });
  });
  it('concat of three parts along the last axis', () => {
    expectGood({
      inputs: [{ shape: ['batch', 2] }, { shape: ['batch', 1] }, { shape: ['batch', 3] }],
      build: single('concat', { axis: 1 }),
      reference: (xs) => tf.concat(xs, 1),
      batch: 5,
    });
  });
  it('concat along the first axis', () => {
    expectGood({ inputs: [{ shape: [2, 3] }, { shape: [1, 3] }], build: single('concat', { axis: 0 }), reference: (xs) => tf.concat(xs, 0) });
  });
});

describe('max', () => {
  const cases: [Record<string, unknown>, (string | number)[], number[] | undefined, boolean][] = [
    [{ axes: [1] }, ['batch', 4], [1], false],
    [{ axes: [0] }, ['batch', 3], [0], false],
    [{}, ['batch', 3], undefined, false],
    [{ axes: [1, 2], keepDims: true }, ['batch', 2, 3], [1, 2], true],
  ];
  cases.forEach(([attrs, shape, axes, keep], k) => {
    it(`max ${JSON.stringify(attrs)} of f32[${shape}]`, () => {
      expectGood({ inputs: [{ shape, gen: 'distinct' }], build: single('max', attrs), reference: ([x]) => tf.max(x!, axes, keep), batch: k % 2 ? 5 : 3 });
    });
  });
});
