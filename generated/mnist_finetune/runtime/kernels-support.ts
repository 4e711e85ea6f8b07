// Plumbing shared by the runtime kernels (not part of the `rt` namespace):
// temporaries, kernel lookup, the per-backend probes for flawed kernels and a
// matrix product that avoids a backend's slow path.
import * as tf from '@tensorflow/tfjs-core';
import { unrecorded } from './graph-capture.js';

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
    // a probe is no part of any step: outside a graph step's recording (graph-step.ts)
    flawed = unrecorded(() => tf.tidy(probe));
    flaws.set(key, flawed);
  }
  return flawed;
}

/**
 * op(a) @ op(b) for rank-2 a and b, on the backend's fast path. wasm's
 * BatchMatMul runs XNNPACK only without transpose flags; with either flag it
 * takes a scalar strided loop (10× slower for the 784×64×128 weight gradient
 * of a dense layer, measured), so there the flagged operands are transposed
 * first: a copy, the same product. Elsewhere the flags are at least as fast.
 */
export function matMulFastPath(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  if (!(transposeA || transposeB) || !transposeFlagsSlow()) return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, transposeA, transposeB);
  return withTemps((t) => tf.matMul(transposeA ? t(tf.transpose(a)) : a, transposeB ? t(tf.transpose(b)) : b));
}

/** Whether the active backend's matmul is slow with transpose flags (see matMulFastPath). */
function transposeFlagsSlow(): boolean {
  return tf.getBackend() === 'wasm';
}

/** TensorFlow's split of 'same' padding along one axis: [before, after]. */
export function samePadding(size: number, out: number, k: number, stride: number): [number, number] {
  const total = Math.max((out - 1) * stride + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}
