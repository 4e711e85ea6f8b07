// Data loading for generated trainers: CSV (optionally gzipped) and MNIST IDX
// files into flat host arrays, seeded shuffles, stratified splits and batches.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './rng.js';

/** A labelled dataset on the host: `x` is row-major [n, ...featureShape]. */
export interface Dataset {
  x: Float32Array;
  y: Int32Array;
  n: number;
  featureShape: number[];
}

/** Mirrors the compiler's `DataSource` (spans dropped). Paths as written in the spec. */
export type DataSource =
  | { kind: 'csv'; path: string; label: string; scale: number; header: boolean }
  | { kind: 'idx'; images: string; labels: string; scale: number };

/** Mirrors the compiler's `SplitConfig`: take `fraction` of source `from` out of it. */
export interface SplitSource {
  from: string;
  fraction: number;
  stratified: boolean;
}

export interface DataConfig {
  train: DataSource | SplitSource;
  validation: DataSource | SplitSource | null;
  test: DataSource | SplitSource | null;
}

export interface LoadOptions {
  /** Directory that relative paths are resolved against (the trainer's `--data-dir`; default: cwd). */
  dataDir?: string;
  /** Labels must lie in [0, classes); a label outside is a DataError naming file and line/offset. */
  classes?: number;
}

export interface CsvOptions extends LoadOptions {
  /** Name of the label column (needs a header) or its 0-based index. */
  label: string | number;
  /** Multiplies every feature (e.g. 1/16). Default 1. */
  scale?: number;
  /** First line is a header. Default true. */
  header?: boolean;
}

export interface IdxOptions extends LoadOptions {
  /** Multiplies every pixel (e.g. 1/255). Default 1. */
  scale?: number;
}

export function resolveDataPath(path: string, dataDir?: string): string {
  void path;
  void dataDir;
  throw new Error('runtime: resolveDataPath not implemented yet');
}

export function loadCsv(path: string, options: CsvOptions): Dataset {
  void path;
  void options;
  throw new Error('runtime: loadCsv not implemented yet');
}

export function loadIdx(imagesPath: string, labelsPath: string, options?: IdxOptions): Dataset {
  void imagesPath;
  void labelsPath;
  void options;
  throw new Error('runtime: loadIdx not implemented yet');
}

export function loadSource(source: DataSource, options?: LoadOptions): Dataset {
  void source;
  void options;
  throw new Error('runtime: loadSource not implemented yet');
}

export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  void ds;
  void indices;
  throw new Error('runtime: subset not implemented yet');
}

export function shuffleDataset(ds: Dataset, rng: Rng): Dataset {
  void ds;
  void rng;
  throw new Error('runtime: shuffleDataset not implemented yet');
}

export function limitDataset(ds: Dataset, limit: number | null): Dataset {
  void ds;
  void limit;
  throw new Error('runtime: limitDataset not implemented yet');
}

export function splitDataset(
  ds: Dataset,
  fraction: number,
  options: { stratified: boolean; rng: Rng },
): { rest: Dataset; split: Dataset } {
  void ds;
  void fraction;
  void options;
  throw new Error('runtime: splitDataset not implemented yet');
}

export interface PreparedData {
  train: Dataset;
  validation: Dataset | null;
  test: Dataset | null;
}

export function prepareData(
  config: DataConfig,
  options: { dataDir?: string; classes?: number; rng: Rng; limit?: number | null },
): PreparedData {
  void config;
  void options;
  throw new Error('runtime: prepareData not implemented yet');
}

export function checkFeatureShape(ds: Dataset, expected: readonly number[], what: string): void {
  void ds;
  void expected;
  void what;
  throw new Error('runtime: checkFeatureShape not implemented yet');
}

export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
  size: number;
  index: number;
  dispose(): void;
}

export interface BatchOptions {
  order?: Int32Array;
  oneHot?: number;
  dropLast?: boolean;
}

export function batchCount(n: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

export function* batches(ds: Dataset, batchSize: number, options: BatchOptions = {}): Generator<Batch> {
  void ds;
  void batchSize;
  void options;
  throw new Error('runtime: batches not implemented yet');
}
