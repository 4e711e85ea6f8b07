// The generated trainer of a workload: compiled in process from its spec into
// .nnc-cache/bench/<model>/ (as `nnc compile` would write it), then imported —
// a trainer runs `main` only when executed, so importing it runs nothing.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { CheckedModel } from '../src/check/model.js';
import type { ForwardGraph } from '../src/ir/types.js';
import { compileGolden } from '../src/golden.js';
import { writeFiles } from '../src/cli/emit-files.js';
import { Rng } from '../src/runtime/rng.js';

/** The exports of a generated train.ts that the benchmark drives. */
export interface TrainerModule {
  MODEL: string;
  TRAINABLE: readonly string[];
  PARAM_SHAPES: Record<string, number[]>;
  installConstants(): void;
  initParams(rng: Rng): Record<string, tf.Tensor>;
  initOptimizerState(params: Record<string, tf.Tensor>): unknown;
  disposeOptimizerState(state: unknown): void;
  trainStep(params: Record<string, tf.Tensor>, state: unknown, batch: Record<string, tf.Tensor>, lr: number, rng: Rng): number;
}

export interface CompiledTrainer {
  module: TrainerModule;
  dir: string;
  /** Milliseconds spent compiling the spec (front end to emitted text). */
  compileMs: number;
  /** The ops, by name, of the trainer's recorded graph step (empty while none runs as a graph). */
  graphOps: () => Record<string, number>;
}

export async function loadTrainer(root: string, spec: string): Promise<CompiledTrainer> {
  const t0 = performance.now();
  const g = compileGolden(root, spec);
  const compileMs = performance.now() - t0;
  const dir = join(root, '.nnc-cache', 'bench', g.outDir.replace(/^generated\//, ''));
  const module = await importTrainer(dir, g.files);
  // The trainer's own runtime copy (not src/runtime: another module instance) knows its graph steps.
  const runtime = (await import(pathToFileURL(join(dir, 'runtime', 'emit-support.ts')).href)) as { graphSteps(): { graph: boolean; opNames: Record<string, number> }[] };
  const graphOps = () => runtime.graphSteps().find((g) => g.graph)?.opNames ?? {};
  return { module, dir, compileMs, graphOps };
}

/** Writes emitted files into `dir` and imports its train.ts (importing runs nothing: `main` runs only when executed). */
export async function importTrainer(dir: string, files: { path: string; text: string }[]): Promise<TrainerModule> {
  writeFiles(dir, files);
  return (await import(pathToFileURL(join(dir, 'train.ts')).href)) as TrainerModule;
}

/**
 * Eight seeded synthetic batches for a model with one input and one class
 * target: uniform input values, labels 0–9, `batchSize` rows (the spec's
 * `train { batch }`) where the batch axis is symbolic. Keyed by `.nn` name,
 * as the trainers' `Batch` fields are.
 */
export function syntheticBatches(fwd: ForwardGraph, batchSize: number): Record<string, tf.Tensor>[] {
  const input = fwd.inputs.find((i) => i.role === 'input')!;
  const target = fwd.inputs.find((i) => i.role === 'target')!;
  const shape = input.type.shape.map((d) => (typeof d === 'number' ? d : batchSize));
  const rows = shape[0]!;
  const size = shape.reduce((a, b) => a * b, 1);
  const rng = new Rng(3);
  return Array.from({ length: 8 }, () => ({
    [input.name]: tf.tensor(Float32Array.from({ length: size }, () => rng.uniform()), shape),
    [target.name]: tf.tensor(Int32Array.from({ length: rows }, () => Math.floor(rng.uniform() * 10)), [rows], 'int32'),
  }));
}

/** The spec's `train { batch }`; 64 for `batch: all`, which has no size without a data set. */
export function specBatch(model: CheckedModel): number {
  return model.train.batch === 'all' ? 64 : model.train.batch;
}

/** Fresh parameters from the trainer's own seeded initialisers, in declaration order (weight, bias per layer). */
export function initialValues(m: TrainerModule, seed: number): { name: string; values: Float32Array; shape: number[] }[] {
  const params = m.initParams(new Rng(seed));
  const out = Object.entries(params).map(([name, t]) => ({ name, values: t.dataSync() as Float32Array, shape: t.shape }));
  for (const t of Object.values(params)) t.dispose();
  return out;
}
