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
import { wrapBinding } from '../../bench/measure.js';

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
        w = updater.apply('w', w, tf.tensor(gRef, [2, 3]), slots, k);
        k.dispose();
        wRef = ref.step(wRef, gRef, t);
        Array.from(w.dataSync()).forEach((v, i) => expect(v, `step ${t}, element ${i}`).toBeCloseTo(wRef[i]!, 5));
        // the slots are read back only on request: every other step here, and before the restore
        if (t % 2 === 1 && t !== 3) continue;
        slots = updater.slots('w', slots);
        slots.forEach((s, j) => Array.from(s.dataSync()).forEach((v, i) => expect(v, `step ${t}, slot ${j}, element ${i}`).toBeCloseTo(ref.state[i]![j]!, 5)));
        if (t === 2) settled = tf.memory().numTensors;
        if (t > 2) expect(tf.memory().numTensors, `tensors after step ${t}`).toBe(settled);
      }
      updater.dispose();
      // the variables and the kept scalar inputs are gone; the reads the trainer holds stay valid
      const scalarInputs = o.kind === 'adam' ? 2 : o.kind === 'sgd' ? 0 : 1; // the fixed ones (β1, β2; momentum; ε)
      expect(tf.memory().numTensors).toBe(settled - 1 - slotCount - scalarInputs);
      expect(Array.from(w.dataSync())[0]).toBeCloseTo(wRef[0]!, 5);
      tf.dispose([w, ...slots]);
    });
  }

  it('keeps two parameters with equal initial slots independent (no shared buffers)', () => {
    const updater = fusedUpdater('adam', { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }) as FusedUpdater;
    const zeros = tf.zeros([4]);
    const k = updater.scalars(0.1, 1);
    const w = updater.apply('a', tf.ones([4]), tf.fill([4], 2), [zeros, zeros], k);
    k.dispose();
    const a = [w, ...updater.slots('a', [zeros, zeros])] as [tf.Tensor, tf.Tensor, tf.Tensor];
    // m = 0.1·2 and v = 0.001·4: one shared zeros buffer would have coupled them
    expect(a[1].dataSync()[0]).toBeCloseTo(0.2, 6);
    expect(a[2].dataSync()[0]).toBeCloseTo(0.004, 6);
    updater.dispose();
    tf.dispose(a);
  });

  it('runs two kernels per step and parameter (the update and a read of the parameter), reading the slots only on request and uploading β1, β2 once', () => {
    const updater = fusedUpdater('adam', { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }) as FusedUpdater;
    const slots = [tf.zeros([3]), tf.zeros([3])];
    let w = tf.ones([3]);
    const grads = [tf.fill([3], 1), tf.fill([3], 2)];
    const k = updater.scalars(0.1, 1);
    w = updater.apply('w', w, grads[0]!, slots, k); // loads the variables
    const ops = countingOps(() => (w = updater.apply('w', w, grads[1]!, slots, k)));
    k.dispose();
    expect(ops).toEqual(['ResourceApplyAdam', 'ReadVariableOp']);
    expect(countingOps(() => updater.slots('w', slots))).toEqual(['ReadVariableOp', 'ReadVariableOp']);
    // later steps upload β1^t, β2^t, lr and ε·√(1−β2^t), not β1 and β2; two groups' scalars live side by side
    const [a, b] = [updater.scalars(0.1, 2), updater.scalars(0.05, 2)];
    expect(countingUploads(() => a)).toBe(4);
    expect(countingUploads(() => b)).toBe(4);
    expect(a.inputs[3]).toBe(b.inputs[3]);
    a.dispose();
    expect(b.inputs.every((t) => !t.isDisposed)).toBe(true);
    b.dispose();
    updater.dispose();
    tf.dispose([w, ...slots]);
  });
});

/** Host → TensorFlow tensor uploads while `f` runs (and reads its scalars' ids, which makes tfjs-node upload them). */
function countingUploads(f: () => { inputs: readonly tf.Tensor[] }): number {
  const backend = tf.backend() as unknown as { binding: object; getInputTensorIds(t: tf.Tensor[]): number[] };
  const original = backend.binding;
  let uploads = 0;
  backend.binding = wrapBinding(original, { createTensor: (_a, call) => (uploads++, call()) });
  try {
    backend.getInputTensorIds([...f().inputs]);
  } finally {
    backend.binding = original;
  }
  return uploads;
}

/** The TensorFlow ops `f` runs through tfjs-node's binding, by name. */
function countingOps(f: () => void): string[] {
  const backend = tf.backend() as unknown as { binding: object };
  const original = backend.binding;
  const names: string[] = [];
  backend.binding = wrapBinding(original, {
    executeOp: (a, call) => {
      names.push(String(a[0]));
      return call();
    },
  });
  try {
    f();
  } finally {
    backend.binding = original;
  }
  return names;
}
