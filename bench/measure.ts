// Measuring one implementation's training step: wall time per step, kernels
// per step (engine kernels via tf.profile, and on tfjs-node every TensorFlow op
// the native binding executes, which also sees raw kernels that bypass the
// engine), and the peak number and bytes of live tensors during a step.
import * as tf from '@tensorflow/tfjs';
import type { StepImpl } from './baselines.js';
import { wrapBinding, type Around } from '../src/runtime/graph-capture.js';

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Times `count` steps (numbered from `from`), one by one; the loss is read back inside each step. */
export async function timeSteps(impl: StepImpl, from: number, count: number): Promise<{ ms: number[]; losses: number[] }> {
  const ms: number[] = [];
  const losses: number[] = [];
  for (let i = from; i < from + count; i++) {
    const t0 = performance.now();
    const loss = await impl.step(i);
    ms.push(performance.now() - t0);
    losses.push(loss);
  }
  return { ms, losses };
}

export interface StepCounts {
  /** Kernels the tfjs engine ran (tf.profile). */
  engineKernels: number;
  /** TensorFlow ops executed by tfjs-node's binding (null on other backends). */
  nativeOps: number | null;
  /** The same ops by name, e.g. { MatMul: 5, BiasAdd: 2 } (null on other backends). */
  nativeOpNames: Record<string, number> | null;
  /** Host → backend tensor uploads through tfjs-node's binding (null on other backends). */
  uploads: number | null;
  /** Most tensors alive at once during the step, above the count before it. */
  peakTensors: number;
  /** Most bytes held by tensors at once during the step, above the bytes before it. */
  peakBytes: number;
  /** Tensors alive after the step minus before it (0: no leak). */
  leakedTensors: number;
}

interface Binding {
  executeOp(...args: unknown[]): unknown;
  createTensor(...args: unknown[]): unknown;
}

// The binding wrapper lives in the runtime (graph steps record through it); the counters here use the same one.
export { wrapBinding, type Around };

/**
 * Runs step `i` once under every counter. `graphOps` names the ops of the
 * TensorFlow graph a session call runs (a generated trainer's graph step,
 * rt.GraphStep): they count as TF ops of the step, once per session call.
 */
export async function countStep(impl: StepImpl, i: number, graphOps: () => Record<string, number> = () => ({})): Promise<StepCounts> {
  const engine = tf.engine() as unknown as { state: { numTensors: number; numBytes: number }; trackTensor: (...a: unknown[]) => void };
  const backend = tf.backend() as unknown as { binding?: Binding };
  const before = { tensors: engine.state.numTensors, bytes: engine.state.numBytes };
  let peakTensors = before.tensors;
  let peakBytes = before.bytes;
  const track = engine.trackTensor;
  engine.trackTensor = function (this: unknown, ...a: unknown[]) {
    track.apply(this, a);
    peakTensors = Math.max(peakTensors, engine.state.numTensors);
    peakBytes = Math.max(peakBytes, engine.state.numBytes);
  };
  let nativeOps: number | null = null;
  let nativeOpNames: Record<string, number> | null = null;
  let uploads: number | null = null;
  const original = backend.binding;
  if (original) {
    nativeOps = 0;
    const names: Record<string, number> = (nativeOpNames = {});
    uploads = 0;
    backend.binding = wrapBinding(original, {
      executeOp: (a, call) => {
        nativeOps!++;
        names[String(a[0])] = (names[String(a[0])] ?? 0) + 1;
        return call();
      },
      createTensor: (_a, call) => {
        uploads!++;
        return call();
      },
      runSavedModel: (_a, call) => {
        for (const [name, count] of Object.entries(graphOps())) {
          nativeOps! += count;
          names[name] = (names[name] ?? 0) + count;
        }
        return call();
      },
    }) as unknown as Binding;
  }
  let engineKernels = 0;
  try {
    const profile = await tf.profile(async () => {
      await impl.step(i);
    });
    engineKernels = profile.kernels.length;
  } finally {
    engine.trackTensor = track;
    if (original) backend.binding = original;
  }
  return {
    engineKernels,
    nativeOps,
    nativeOpNames,
    uploads,
    peakTensors: peakTensors - before.tensors,
    peakBytes: peakBytes - before.bytes,
    leakedTensors: engine.state.numTensors - before.tensors,
  };
}
