// Checkpoints: named tensors (parameters and optimizer state) + training
// position + RNG state + JSON metadata, in ONE file per slot, so replacing it is
// a single atomic rename: a crash at any moment leaves either the old or the
// new checkpoint, never a mix.
//
// File format `<dir>/<slot>.ckpt` (version 1), little-endian:
//   bytes 0..7    ASCII "NNCCKPT1"
//   bytes 8..11   uint32 H = byte length of the header
//   bytes 12..    header: UTF-8 JSON
//                 { format: "nnc-checkpoint", version: 1, epoch, step, rng, meta,
//                   tensors: [{ name, dtype: "float32"|"int32", shape, offset, length }],
//                   dataLength, crc32 }
//   then zero padding to a multiple of 8, then the data section: each tensor's
//   raw values at `offset` (bytes, from the section start, 8-aligned), `length`
//   bytes long. `crc32` covers the data section.
// Writing: `.<slot>.ckpt.tmp-<pid>` in the same directory, fsync, rename over
// `<slot>.ckpt`, fsync the directory.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from './errors.js';
import type { RngState } from './rng.js';

export interface CheckpointData {
  /** Parameters and optimizer state by stable name (e.g. `h.weight`, `adam.m.h.weight`). */
  tensors: Record<string, tf.Tensor>;
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps completed. */
  step: number;
  rng: RngState;
  meta: Record<string, unknown>;
}

interface TensorEntry {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  offset: number;
  length: number;
}

interface Header {
  format: 'nnc-checkpoint';
  version: 1;
  epoch: number;
  step: number;
  rng: RngState;
  meta: Record<string, unknown>;
  tensors: TensorEntry[];
  dataLength: number;
  crc32: number;
}

const MAGIC = 'NNCCKPT1';

/** Test seams: called after each chunk is written to the temporary file, and before the rename. */
export interface SaveHooks {
  afterChunk?: (chunk: number) => void;
  beforeRename?: () => void;
}

/** `<dir>/<slot>.ckpt`. */
export function checkpointPath(dir: string, slot: string): string {
  return join(dir, `${slot}.ckpt`);
}

/** Whether `<dir>/<slot>.ckpt` exists. */
export function checkpointExists(dir: string, slot: string): boolean {
  return existsSync(checkpointPath(dir, slot));
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * Writes `data` to `<dir>/<slot>.ckpt` atomically (creating `dir`); returns the
 * path. The tensors are read, not disposed.
 */
export async function saveCheckpoint(dir: string, slot: string, data: CheckpointData, hooks: SaveHooks = {}): Promise<string> {
  if (!/^[A-Za-z0-9_.-]+$/.test(slot)) throw new CheckpointError(`bad checkpoint slot name '${slot}'`);
  mkdirSync(dir, { recursive: true });
  const entries: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of Object.keys(data.tensors).sort()) {
    const t = data.tensors[name]!;
    if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new CheckpointError(`cannot checkpoint ${name}: dtype ${t.dtype}`);
    const values = (await t.data()) as Float32Array | Int32Array;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    entries.push({ name, dtype: t.dtype, shape: [...t.shape], offset, length: bytes.length });
    chunks.push(bytes);
    const padded = align8(offset + bytes.length);
    if (padded > offset + bytes.length) chunks.push(new Uint8Array(padded - offset - bytes.length));
    offset = padded;
  }
  let crc = 0;
  for (const c of chunks) crc = crc32(c, crc);
  const header: Header = {
    format: 'nnc-checkpoint',
    version: 1,
    epoch: data.epoch,
    step: data.step,
    rng: data.rng,
    meta: data.meta,
    tensors: entries,
    dataLength: offset,
    crc32: crc,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(align8(12 + headerBytes.length));
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(prefix, 12);

  const final = checkpointPath(dir, slot);
  removeStaleTemps(dir, slot);
  const tmp = join(dir, `.${slot}.ckpt.tmp-${process.pid}`);
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, prefix);
    chunks.forEach((c, i) => {
      writeAll(fd, c);
      hooks.afterChunk?.(i);
    });
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  hooks.beforeRename?.();
  renameSync(tmp, final);
  fsyncDir(dir);
  return final;
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

function fsyncDir(dir: string): void {
  // Makes the rename itself durable; not every platform can open a directory.
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

/** Temp files of earlier saves that crashed before their rename. */
function removeStaleTemps(dir: string, slot: string): void {
  for (const f of readdirSync(dir)) if (f.startsWith(`.${slot}.ckpt.tmp-`)) rmSync(join(dir, f), { force: true });
}

export interface CheckpointLoadOptions {
  /** Which slot when `pathOrDir` is a directory (default 'last'). */
  slot?: string;
  /** Names and shapes the model needs; a missing name or another shape is a CheckpointError listing all mismatches. */
  expect?: Record<string, readonly number[]>;
  /** Expected names that may be absent (e.g. a fine-tuning run's new head). */
  allowMissing?: readonly string[];
  /** Also reject tensors the model does not expect (default false: they are returned, and the caller disposes them). */
  exact?: boolean;
}

/**
 * Reads a checkpoint file, or `<dir>/<slot>.ckpt` when given a directory.
 * Verifies the format, size and checksum, and the names/shapes in `expect`.
 * The returned tensors belong to the caller.
 */
export async function loadCheckpoint(pathOrDir: string, options: CheckpointLoadOptions = {}): Promise<CheckpointData> {
  const file = existsSync(pathOrDir) && statSync(pathOrDir).isDirectory() ? checkpointPath(pathOrDir, options.slot ?? 'last') : pathOrDir;
  if (!existsSync(file)) throw new CheckpointError(`no checkpoint at ${file}`);
  const bytes = readFileSync(file);
  const bad = (why: string) => new CheckpointError(`${file}: not a valid nnc checkpoint: ${why}`);
  if (bytes.length < 12 || bytes.toString('ascii', 0, 8) !== MAGIC) throw bad('wrong magic (expected NNCCKPT1 at offset 0)');
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > bytes.length) throw bad('truncated header');
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as Header;
  } catch (e) {
    throw bad(`unreadable header (${(e as Error).message})`);
  }
  if (header.format !== 'nnc-checkpoint' || header.version !== 1) throw bad(`unsupported format ${header.format} version ${header.version}`);
  const dataStart = align8(12 + headerLength);
  if (bytes.length !== dataStart + header.dataLength) {
    throw bad(`size is ${bytes.length} bytes, the header says ${dataStart + header.dataLength} (truncated or corrupt)`);
  }
  const section = bytes.subarray(dataStart);
  if (crc32(section) !== header.crc32) throw bad('checksum mismatch (the data is corrupt)');

  if (options.expect) verifyNames(file, header.tensors, options.expect, options.allowMissing ?? [], options.exact ?? false);

  const tensors: Record<string, tf.Tensor> = {};
  for (const e of header.tensors) {
    // Copy into an aligned buffer: the section offset within the file buffer need not be 4-aligned.
    const raw = new Uint8Array(section.subarray(e.offset, e.offset + e.length)).buffer;
    const values = e.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw);
    tensors[e.name] = tf.tensor(values, e.shape, e.dtype);
  }
  return { tensors, epoch: header.epoch, step: header.step, rng: header.rng, meta: header.meta };
}

function verifyNames(
  file: string,
  entries: TensorEntry[],
  expect: Record<string, readonly number[]>,
  allowMissing: readonly string[],
  exact: boolean,
): void {
  const have = new Map(entries.map((e) => [e.name, e.shape]));
  const problems: string[] = [];
  for (const [name, shape] of Object.entries(expect)) {
    const got = have.get(name);
    if (got === undefined) {
      if (!allowMissing.includes(name)) problems.push(`missing: ${name} [${shape.join(', ')}]`);
    } else if (got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
      problems.push(`shape mismatch: ${name} is [${got.join(', ')}] in the checkpoint, [${shape.join(', ')}] in the model`);
    }
  }
  if (exact) for (const name of have.keys()) if (!(name in expect)) problems.push(`unexpected: ${name}`);
  if (problems.length > 0) {
    throw new CheckpointError(`${file} does not match this model:\n  ${problems.join('\n  ')}`);
  }
}
