// The fused updates tfjs-node runs (one in-place TensorFlow training kernel per
// parameter, src/runtime/fused-update.ts) against the textbook updates the
// emitted rules are tested against: the same parameters and slots step by
// step, variables reloaded when the trainer hands in other tensors (a restored
// checkpoint), no tensor growth, and reads that outlive `dispose`.
import * as tf from '@tensorflow/tfjs';
import { loadNative } from '../support/native.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fusedRule, optimizerHyper } from '../../src/emit/sections/optimizers.js';
import { fusedUpdater, type FusedUpdater } from '../../src/runtime/fused-update.js';
import { CASES, reference } from '../emit/optimizer-harness.js';

const hasNative = await loadNative();

describe.skipIf(!hasNative)('fused updates on tfjs-node', () => {
  beforeAll(async () => void (await tf.setBackend('tensorflow')));
  afterAll(async () => void (await tf.setBackend('cpu')));

  it('is null on other backends (the trainer runs its written-out rule)', async () => {
    await tf.setBackend('cpu');
    expect(fusedUpdater('adam', { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })).toBeNull();
    await tf.setBackend('tensorflow');
  });

  for (const o of CASES.filter((c) => fusedRule(c) !== null)) {
    it(`${o.kind} ${JSON.stringify(o.hyper)} matches the textbook update and slots, reloading after a restore`, () => {
      const hyper = optimizerHyper(o);
      const updater = fusedUpdater(fusedRule(o)!, hyper) as FusedUpdater;
      const ref = reference(o, hyper);
      const slotCount = o.kind === 'adam' ? 2 : o.kind === 'sgd' ? 0 : 1;
      const init = hyper['initialAccumulator'] ?? 0;
      let seed = 5;
      const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
      let wRef = Array.from({ length: 6 }, rand);
      let w = tf.tensor(wRef, [2, 3]);
      let slots = Array.from({ length: slotCount }, () => tf.fill([2, 3], init));
      let settled = 0;
      for (let t = 1; t <= 6; t++) {
        if (t === 4) {
          // a restored checkpoint: new tensors with the same values replace the reads
          const fresh = [w, ...slots].map((x) => tf.tensor(x.dataSync(), x.shape));
          tf.dispose([w, ...slots]);
          [w, ...slots] = fresh as [tf.Tensor, ...tf.Tensor[]];
        }
        const gRef = Array.from({ length: 6 }, rand);
        const k = updater.scalars(o.lr, t);
        [w, ...slots] = updater.apply('w', w, tf.tensor(gRef, [2, 3]), slots, k);
        k.dispose();
        wRef = ref.step(wRef, gRef, t);
        Array.from(w.dataSync()).forEach((v, i) => expect(v, `step ${t}, element ${i}`).toBeCloseTo(wRef[i]!, 5));
        slots.forEach((s, j) => Array.from(s.dataSync()).forEach((v, i) => expect(v, `step ${t}, slot ${j}, element ${i}`).toBeCloseTo(ref.state[i]![j]!, 5)));
        if (t === 2) settled = tf.memory().numTensors;
        if (t > 2) expect(tf.memory().numTensors, `tensors after step ${t}`).toBe(settled);
      }
      updater.dispose();
      // the variables are gone; the reads the trainer holds stay valid
      expect(tf.memory().numTensors).toBe(settled - 1 - slotCount);
      expect(Array.from(w.dataSync())[0]).toBeCloseTo(wRef[0]!, 5);
      tf.dispose([w, ...slots]);
    });
  }

  it('keeps two parameters with equal initial slots independent (no shared buffers)', () => {
    const updater = fusedUpdater('adam', { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }) as FusedUpdater;
    const zeros = tf.zeros([4]);
    let a = [tf.ones([4]), zeros, zeros] as [tf.Tensor, tf.Tensor, tf.Tensor];
    const k = updater.scalars(0.1, 1);
    a = updater.apply('a', a[0], tf.fill([4], 2), [a[1], a[2]], k);
    k.dispose();
    // m = 0.1·2 and v = 0.001·4: one shared zeros buffer would have coupled them
    expect(a[1].dataSync()[0]).toBeCloseTo(0.2, 6);
    expect(a[2].dataSync()[0]).toBeCloseTo(0.004, 6);
    updater.dispose();
    tf.dispose(a);
  });
});
