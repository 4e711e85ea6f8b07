// Property test: the broadcasting binary ops' VJPs on random shape pairs
// (ranks 0–3, size-1 stretching on either side, the symbolic batch axis at odd
// sizes), against tf.grads and finite differences. Seeded: reproducible.
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dim } from '../../src/ir/types.js';
import { checkGradients, single, TOL, useCpu } from './harness.js';

beforeAll(useCpu);

/** An output shape, and two operand shapes that broadcast into it. */
const shapePair = fc
  .record({
    dims: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 }),
    batched: fc.boolean(),
    dropA: fc.integer({ min: 0, max: 3 }),
    dropB: fc.integer({ min: 0, max: 3 }),
    onesA: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    onesB: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  })
  .map(({ dims, batched, dropA, dropB, onesA, onesB }) => {
    const out: Dim[] = batched ? ['batch', ...dims] : dims;
    const operand = (drop: number, ones: boolean[]) => out.slice(Math.min(drop, out.length)).map((d, i) => (ones[i] ? 1 : d));
    return [operand(dropA, onesA), operand(dropB, onesB)] as const;
  });

const ops = {
  add: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b),
  sub: (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b),
  mul: (a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b),
  div: (a: tf.Tensor, b: tf.Tensor) => tf.div(a, b),
};

describe('random broadcasting shapes', () => {
  for (const [op, ref] of Object.entries(ops) as [keyof typeof ops, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][]) {
    it(`${op}`, () => {
      fc.assert(
        fc.property(shapePair, fc.constantFrom(1, 3, 5), ([sa, sb], batch) => {
          const r = checkGradients({
            inputs: [{ shape: sa }, { shape: sb, gen: op === 'div' ? 'away0' : 'normal' }],
            build: single(op),
            reference: ([a, b]) => ref(a!, b!),
            batch,
          });
          expect(r.forward).toBeLessThan(TOL.forward);
          expect(r.vsTfjs).toBeLessThan(TOL.vsTfjs);
          expect(r.vsFiniteDiff).toBeLessThan(TOL.vsFiniteDiff);
        }),
        { seed: 20261128, numRuns: 25 },
      );
    });
  }
});
