// No tensor growth over 1,000 training steps, on every backend: committed
// trainers, running the generated step as `main` does, keep the same number of
// live tensors and bytes from step 10 to step 1,000 — the digits MLP on every
// backend, and the MNIST MLP (dropout, L2, Adam: fused kernels on tfjs-node)
// where a step is fast enough (not the pure-JS cpu backend). Small batches:
// the memory plan does not depend on the batch size.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../../src/runtime/backend.js';
import { Rng } from '../../src/runtime/rng.js';

interface Trainer {
  installConstants(): void;
  initParams(rng: Rng): Record<string, tf.Tensor>;
  initOptimizerState(params: Record<string, tf.Tensor>): unknown;
  disposeOptimizerState(state: unknown): void;
  trainStep(params: Record<string, tf.Tensor>, state: unknown, batch: Record<string, tf.Tensor>, lr: number, rng: Rng): number;
}

const STEPS = 1000;
const TRAINERS = {
  digits_mlp: { input: 'pixels', shape: [64] },
  mnist_mlp: { input: 'image', shape: [28, 28] },
};
const CASES: [keyof typeof TRAINERS, BackendName][] = [
  ['digits_mlp', 'cpu'],
  ['digits_mlp', 'wasm'],
  ['digits_mlp', 'node'],
  ['mnist_mlp', 'wasm'],
  ['mnist_mlp', 'node'],
];

describe('tensor growth over 1,000 steps', () => {
  for (const [name, backend] of CASES) {
    it(`${name} on ${backend}: the same tensors and bytes live at step 10 and step ${STEPS}`, async () => {
      const got = await initBackend(backend, () => {});
      if (got !== backend) return; // tfjs-node is optional (the wasm runs cover the fallback)
      const { input, shape } = TRAINERS[name];
      const m = (await import(pathToFileURL(join(process.cwd(), `generated/${name}/train.ts`)).href)) as Trainer;
      m.installConstants();
      const rng = new Rng(3);
      const params = m.initParams(rng);
      const state = m.initOptimizerState(params);
      const batches = [0, 1, 2].map((k) => {
        const r = new Rng(10 + k);
        const size = shape.reduce((a, b) => a * b, 1);
        const x = tf.tensor(Float32Array.from({ length: 4 * size }, () => r.uniform()), [4, ...shape]);
        const digit = tf.tensor(Int32Array.from({ length: 4 }, () => r.int(10)), [4], 'int32');
        return { [input]: x, digit };
      });
      let at10 = { numTensors: 0, numBytes: 0 };
      let loss = 0;
      for (let i = 1; i <= STEPS; i++) {
        loss = m.trainStep(params, state, batches[i % batches.length]!, 1e-3, rng);
        if (i === 10) at10 = { ...tf.memory() };
      }
      const end = tf.memory();
      expect(Number.isFinite(loss)).toBe(true);
      expect(end.numTensors, 'live tensors').toBe(at10.numTensors);
      expect(end.numBytes, 'live bytes').toBe(at10.numBytes);
      m.disposeOptimizerState(state);
      tf.dispose([...Object.values(params), ...batches.flatMap((b) => Object.values(b))]);
    });
  }
});
