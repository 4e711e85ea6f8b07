// The emitted update rules, run as emitted (the function bodies and host
// scalar expressions), against textbook formulas of each optimizer over a few
// steps: the folded forms (lr in per-step scalars, bias corrections folded
// into two scalars, decoupled decay) must give the same parameters, and the
// slots must hold what the textbook keeps (Adam's m and v as PyTorch keeps them).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { optimizerHyper } from '../../src/emit/sections/optimizers.js';
import { CASES, emitted, reference } from './optimizer-harness.js';

describe('emitted optimizer updates', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const o of CASES) {
    it(`${o.kind} ${JSON.stringify(o.hyper)} matches the textbook update over 5 steps, leaking nothing`, () => {
      const rule = emitted(o);
      const ref = reference(o, optimizerHyper(o));
      let seed = 3;
      const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
      let wRef = Array.from({ length: 6 }, rand);
      let w = tf.tensor(wRef);
      let slots = rule.slots.map((s) => tf.fill([6], s.init));
      const before = tf.memory().numTensors;
      for (let t = 1; t <= 5; t++) {
        const gRef = Array.from({ length: 6 }, rand);
        [w, slots] = rule.step(w, tf.tensor(gRef), slots, t);
        wRef = ref.step(wRef, gRef, t);
        const got = Array.from(w.dataSync());
        got.forEach((v, i) => expect(v, `step ${t}, element ${i}`).toBeCloseTo(wRef[i]!, 5));
        slots.forEach((slot, j) => Array.from(slot.dataSync()).forEach((v, i) => expect(v, `step ${t}, slot ${j}, element ${i}`).toBeCloseTo(ref.state[i]![j]!, 5)));
      }
      // the rule disposes its inputs: only the new parameter and slots stay alive
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([w, ...slots]);
    });
  }
});
