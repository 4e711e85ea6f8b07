// The generated trainer of a workload: compiled in process from its spec into
// .nnc-cache/bench/<model>/ (as `nnc compile` would write it), then imported —
// a trainer runs `main` only when executed, so importing it runs nothing.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as tf from '@tensorflow/tfjs-core';
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
}

export async function loadTrainer(root: string, spec: string): Promise<CompiledTrainer> {
  const t0 = performance.now();
  const g = compileGolden(root, spec);
  const compileMs = performance.now() - t0;
  const dir = join(root, '.nnc-cache', 'bench', g.outDir.replace(/^generated\//, ''));
  writeFiles(dir, g.files);
  const module = (await import(pathToFileURL(join(dir, 'train.ts')).href)) as TrainerModule;
  return { module, dir, compileMs };
}

/** Fresh parameters from the trainer's own seeded initialisers, in declaration order (weight, bias per layer). */
export function initialValues(m: TrainerModule, seed: number): { name: string; values: Float32Array; shape: number[] }[] {
  const params = m.initParams(new Rng(seed));
  const out = Object.entries(params).map(([name, t]) => ({ name, values: t.dataSync() as Float32Array, shape: t.shape }));
  for (const t of Object.values(params)) t.dispose();
  return out;
}
