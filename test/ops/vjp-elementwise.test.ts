// VJPs of the elementwise primitives, with broadcasting and odd batch sizes.
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

const binary = {
  add: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b),
  sub: (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b),
  mul: (a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b),
  div: (a: tf.Tensor, b: tf.Tensor) => tf.div(a, b),
};

// Shape pairs: same shape, trailing broadcast, size-1 stretching on both sides, scalar.
const pairs: [(string | number)[], (string | number)[]][] = [
  [['batch', 4], ['batch', 4]],
  [['batch', 4], [4]],
  [['batch', 1], [1, 3]],
  [[], ['batch', 3]],
  [[3], ['batch', 2, 1]],
];

describe('binary elementwise VJPs', () => {
  for (const [op, ref] of Object.entries(binary) as [keyof typeof binary, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][]) {
    pairs.forEach(([sa, sb], k) => {
      it(`${op}: f32[${sa}] with f32[${sb}]`, () => {
        expectGood({
          inputs: [{ shape: sa }, { shape: sb, gen: op === 'div' ? 'away0' : 'normal' }],
          build: single(op),
          reference: ([a, b]) => ref(a!, b!),
          batch: k % 2 ? 5 : 3,
          seed: k + 10,
        });
      });
    });
  }
  it('mul(x, x) accumulates both contributions', () => {
    expectGood({ inputs: [{ shape: ['batch', 3] }], build: (g, [x]) => single('mul')(g, [x!, x!]), reference: ([x]) => tf.mul(x!, x!) });
  });
});

const unary: [string, Record<string, unknown>, 'normal' | 'positive' | 'away0', (x: tf.Tensor) => tf.Tensor][] = [
  ['neg', {}, 'normal', (x) => tf.neg(x)],
  ['square', {}, 'normal', (x) => tf.square(x)],
  ['sqrt', {}, 'positive', (x) => tf.sqrt(x)],
  ['exp', {}, 'normal', (x) => tf.exp(x)],
  ['log', {}, 'positive', (x) => tf.log(x)],
  ['pow', { exponent: 3 }, 'normal', (x) => tf.pow(x, 3)],
  ['pow', { exponent: 2 }, 'normal', (x) => tf.pow(x, 2)],
  ['pow', { exponent: -1 }, 'positive', (x) => tf.pow(x, -1)],
  ['pow', { exponent: 0.5 }, 'positive', (x) => tf.pow(x, 0.5)],
  ['pow', { exponent: 1.5 }, 'positive', (x) => tf.pow(x, 1.5)],
  ['pow', { exponent: 1 }, 'normal', (x) => tf.pow(x, 1)],
  ['relu', {}, 'away0', (x) => tf.relu(x)],
  ['sigmoid', {}, 'normal', (x) => tf.sigmoid(x)],
  ['tanh', {}, 'normal', (x) => tf.tanh(x)],
  ['abs', {}, 'away0', (x) => tf.abs(x)],
  ['cast', { dtype: 'f32' }, 'normal', (x) => tf.cast(x, 'float32')],
];

describe('unary elementwise VJPs', () => {
  unary.forEach(([op, attrs, gen, ref], k) => {
    it(`${op}${JSON.stringify(attrs)} on f32[batch, 2, 3]`, () => {
      expectGood({
        inputs: [{ shape: ['batch', 2, 3], gen }],
        build: single(op as never, attrs),
        reference: ([x]) => ref(x!),
        batch: k % 2 ? 5 : 3,
        seed: 30 + k,
      });
    });
  });
});
