// Parameter initialisers. Values are drawn on the host from the trainer's seeded
// Rng, so initial weights are identical on every backend and every run.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './rng.js';

export type InitKind =
  | 'zeros'
  | 'ones'
  | 'constant'
  | 'normal'
  | 'uniform'
  | 'glorot_uniform'
  | 'glorot_normal'
  | 'he_uniform'
  | 'he_normal'
  | 'lecun_normal';

/** Same shape as the compiler's `InitSpec`; the emitter passes it as a JSON literal. */
export interface InitSpec {
  kind: InitKind;
  /** `constant`: the value (default 0); `normal`: the stddev (default 0.05); `uniform`: the limit, U(-v, v) (default 0.05). */
  value?: number;
  fanIn: number;
  fanOut: number;
}

/** The initial values of a parameter with `size` elements, drawn from `rng` (row-major). */
export function initValues(size: number, spec: InitSpec, rng: Rng): Float32Array {
  const out = new Float32Array(size);
  const fanIn = Math.max(1, spec.fanIn);
  const fanOut = Math.max(1, spec.fanOut);
  const fillUniform = (limit: number) => {
    for (let i = 0; i < size; i++) out[i] = rng.uniform(-limit, limit);
  };
  const fillNormal = (std: number) => {
    for (let i = 0; i < size; i++) out[i] = rng.normal(0, std);
  };
  switch (spec.kind) {
    case 'zeros':
      break;
    case 'ones':
      out.fill(1);
      break;
    case 'constant':
      out.fill(spec.value ?? 0);
      break;
    case 'normal':
      fillNormal(spec.value ?? 0.05);
      break;
    case 'uniform':
      fillUniform(spec.value ?? 0.05);
      break;
    case 'glorot_uniform':
      fillUniform(Math.sqrt(6 / (fanIn + fanOut)));
      break;
    case 'glorot_normal':
      fillNormal(Math.sqrt(2 / (fanIn + fanOut)));
      break;
    case 'he_uniform':
      fillUniform(Math.sqrt(6 / fanIn));
      break;
    case 'he_normal':
      fillNormal(Math.sqrt(2 / fanIn));
      break;
    case 'lecun_normal':
      fillNormal(Math.sqrt(1 / fanIn));
      break;
    default: {
      const never: never = spec.kind;
      throw new Error(`unknown initialiser ${String(never)}`);
    }
  }
  return out;
}

/** A float32 tensor of `shape` initialised per `spec` (the caller owns and disposes it). */
export function initTensor(shape: readonly number[], spec: InitSpec, rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(initValues(size, spec, rng), [...shape], 'float32');
}
