// Checkpoints: named tensors + training position + RNG state + JSON metadata
// in one file, replaced atomically.
import * as tf from '@tensorflow/tfjs-core';
import type { RngState } from './rng.js';

export interface CheckpointData {
  tensors: Record<string, tf.Tensor>;
  epoch: number;
  step: number;
  rng: RngState;
  meta: Record<string, unknown>;
}

export async function saveCheckpoint(dir: string, slot: string, data: CheckpointData): Promise<string> {
  void dir;
  void slot;
  void data;
  throw new Error('runtime: saveCheckpoint not implemented yet');
}

export async function loadCheckpoint(
  pathOrDir: string,
  options: { slot?: string; expect?: Record<string, readonly number[]>; allowMissing?: readonly string[] } = {},
): Promise<CheckpointData> {
  void pathOrDir;
  void options;
  throw new Error('runtime: loadCheckpoint not implemented yet');
}

export function checkpointPath(dir: string, slot: string): string {
  return `${dir}/${slot}.ckpt`;
}

export function checkpointExists(dir: string, slot: string): boolean {
  void dir;
  void slot;
  throw new Error('runtime: checkpointExists not implemented yet');
}
