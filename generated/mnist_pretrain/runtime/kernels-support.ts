// Plumbing shared by the runtime kernels (not part of the `rt` namespace):
// temporaries, kernel lookup and the per-backend probes for flawed kernels.
import * as tf from '@tensorflow/tfjs-core';

/** Computes f over temporaries, then disposes them (the result is kept). */
export function withTemps(f: (keep: <T extends tf.Tensor>(t: T) => T) => tf.Tensor): tf.Tensor {
  const temps: tf.Tensor[] = [];
  const result = f((t) => {
    temps.push(t);
    return t;
  });
  for (const t of temps) if (t !== result) t.dispose();
  return result;
}

/** Whether the active backend has a kernel (wasm lacks a few backward ones). */
export function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** Kernel flaws found on the active backend, probed once per backend and kernel. */
const flaws = new Map<string, boolean>();

export function hasFlaw(name: string, probe: () => boolean): boolean {
  const key = `${tf.getBackend()}/${name}`;
  let flawed = flaws.get(key);
  if (flawed === undefined) {
    flawed = tf.tidy(probe);
    flaws.set(key, flawed);
  }
  return flawed;
}

/** TensorFlow's split of 'same' padding along one axis: [before, after]. */
export function samePadding(size: number, out: number, k: number, stride: number): [number, number] {
  const total = Math.max((out - 1) * stride + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}
