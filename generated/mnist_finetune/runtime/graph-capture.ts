// What a graph step's recording may read besides its inputs, and the
// recording in progress: registered constants (their values are frozen into
// the graph), feeds (host draws from the step's rng, drawn again per replay),
// and one-time work kept outside any recording. The runtime's kernels call
// these; the recording itself is graph-record.ts, the step API graph-step.ts.
import * as tf from '@tensorflow/tfjs-core';

export interface TensorMeta {
  id: number;
  shape: number[];
  dtype: number;
}

export interface RawAttr {
  name: string;
  type: number;
  value: unknown;
}

/** The parts of tfjs-node's binding and backend a recording uses (not in its public types). */
export interface Binding {
  executeOp(name: string, attrs: RawAttr[], inputs: number[], outputs: number): TensorMeta[];
  tensorDataSync(id: number): ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
  loadSavedModel(dir: string, tags: string): number;
  runSavedModel(session: number, inputs: number[], inputNames: string, outputNames: string): TensorMeta[];
  deleteSavedModel(session: number): void;
  [key: string]: unknown;
}

/** What a wrapped binding method does around the original: `call` runs it with the same arguments. */
export type Around = (args: unknown[], call: () => unknown) => unknown;

/**
 * A copy of tfjs-node's native binding whose listed methods run through
 * `around` (the binding's own properties are read-only, so it is wrapped by
 * copying, not patched). Install it as `backend.binding`, put the original
 * back after. A recording is one; the bench's counters are others.
 */
export function wrapBinding(binding: object, around: Record<string, Around>): Record<string, unknown> {
  const original = binding as Record<string, unknown>;
  const wrapped: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(original)) {
    const v = original[key];
    if (typeof v !== 'function') wrapped[key] = v;
    else {
      const f = v as (...x: unknown[]) => unknown;
      const hook = around[key];
      wrapped[key] = hook === undefined ? (...a: unknown[]) => f.apply(original, a) : (...a: unknown[]) => hook(a, () => f.apply(original, a));
    }
  }
  return wrapped;
}

export interface NodeBackend {
  binding: Binding;
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  createOutputTensor(meta: TensorMeta): tf.Tensor;
}

/** Tensors whose values are frozen into recorded graphs: uploaded once, never changed. */
export const constants = new Set<tf.Tensor>();

/** Registers `t` (returned) as a constant a recorded step may read; its value at recording time is baked into the graph. */
export function graphConstant<T extends tf.Tensor>(t: T): T {
  constants.add(t);
  return t;
}

/** `graphConstant` for every tensor of a record (the trainers' uploaded constants). */
export function graphConstants<T extends Record<string, tf.Tensor>>(record: T): T {
  for (const t of Object.values(record)) constants.add(t);
  return record;
}

/** The recording in progress: the backend whose binding is swapped, and its own binding. */
export interface Recording {
  backend: NodeBackend;
  /** tfjs-node's own binding, and the recording copy installed in its place. */
  binding: Binding;
  recording: Binding;
  /** The rng the step was given: feeds must be drawn from it. */
  rng: unknown;
  feeds: Feed[];
  refuse(why: string): void;
}

let recordingNow: Recording | null = null;

/** Marks the recording in progress (null when it ends). */
export function setRecording(r: Recording | null): void {
  recordingNow = r;
}

/** A tensor drawn on the host inside the step (a dropout mask): fed as a placeholder, drawn again from the call's RNG for every replay. */
export interface Feed {
  /** The drawn tensor's binding id in the recorded call. */
  id: number;
  /** A copy of the recorded call's draw (the step disposes its own), to check the loaded graph with; freed after. */
  copy: tf.Tensor | null;
  draw(rng: never): tf.Tensor;
  /** Its placeholder, or null when no recorded op read it (it is still drawn, so the RNG advances as eagerly). */
  placeholder: string | null;
}

/**
 * Marks `t`, just drawn from `rng` by `draw(rng)`, as a per-call feed of the
 * step being recorded (returned unchanged; a no-op outside a recording). A
 * replay calls `draw` again, in recorded order, with the RNG passed to
 * `GraphStep.run`: the same draws in the same order as an eager call makes.
 * Drawn from any other RNG, the step is refused.
 */
export function graphFeed<R, T extends tf.Tensor>(t: T, rng: R, draw: (rng: R) => T): T {
  const r = recordingNow;
  if (r === null) return t;
  if (rng !== r.rng) r.refuse('draws from a random generator that is not the one the step was given');
  const id = r.backend.getInputTensorIds([t])[0]!;
  r.feeds.push({ id, copy: unrecorded(() => t.clone()), draw: draw as (rng: never) => tf.Tensor, placeholder: null });
  return t;
}

/**
 * Runs `fn` outside any recording in progress: one-time work the runtime
 * does on first use (a probe of which kernels this TensorFlow has) belongs to
 * no step, so it must not be recorded into one.
 */
export function unrecorded<T>(fn: () => T): T {
  const r = recordingNow;
  if (r === null) return fn();
  r.backend.binding = r.binding;
  try {
    return fn();
  } finally {
    r.backend.binding = r.recording;
  }
}
