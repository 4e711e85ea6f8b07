// Where pretrained parameters come from, and what a source holds (names and
// shapes) without reading its data: an nnc checkpoint (a directory's
// `best.ckpt`, or a `.ckpt` file) or a TensorFlow.js layers model
// (`model.json`, or a directory holding one). Node built-ins only, so the
// compiler's CLI can read a header to check `init from` before training.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError } from './errors.js';
import type { PretrainedEntry } from './pretrained-match.js';

export type PretrainedSource =
  | { kind: 'checkpoint'; file: string }
  | { kind: 'layers'; file: string };

/** Resolves `init from "PATH"`: a directory's `best.ckpt` or `model.json`, or the file itself. Null if absent. */
export function locatePretrained(path: string): PretrainedSource | null {
  if (!existsSync(path)) return null;
  if (statSync(path).isDirectory()) {
    const ckpt = join(path, 'best.ckpt');
    if (existsSync(ckpt)) return { kind: 'checkpoint', file: ckpt };
    const model = join(path, 'model.json');
    if (existsSync(model)) return { kind: 'layers', file: model };
    return null;
  }
  return { kind: path.endsWith('.json') ? 'layers' : 'checkpoint', file: path };
}

/** The parameters a source holds, by nnc name; throws CheckpointError when the file is not a valid source. */
export function readPretrainedEntries(source: PretrainedSource): PretrainedEntry[] {
  return source.kind === 'checkpoint' ? checkpointEntries(source.file) : layersEntries(source.file).map(({ name, shape }) => ({ name, shape }));
}

/** Reads only the JSON header of an nnc checkpoint (layout: src/runtime/checkpoint.ts). */
function checkpointEntries(file: string): PretrainedEntry[] {
  const bad = (why: string) => new CheckpointError(`${file}: not a valid nnc checkpoint: ${why}`);
  const fd = openSync(file, 'r');
  try {
    const prefix = Buffer.alloc(12);
    if (readSync(fd, prefix, 0, 12, 0) < 12 || prefix.toString('ascii', 0, 8) !== 'NNCCKPT1') throw bad('wrong magic (expected NNCCKPT1 at offset 0)');
    const length = prefix.readUInt32LE(8);
    const header = Buffer.alloc(length);
    if (readSync(fd, header, 0, length, 12) < length) throw bad('truncated header');
    let parsed: { tensors?: { name: string; shape: number[] }[] };
    try {
      parsed = JSON.parse(header.toString('utf8')) as typeof parsed;
    } catch (e) {
      throw bad(`unreadable header (${(e as Error).message})`);
    }
    if (!Array.isArray(parsed.tensors)) throw bad('the header lists no tensors');
    return parsed.tensors.map((t) => ({ name: t.name, shape: [...t.shape] }));
  } finally {
    closeSync(fd);
  }
}

/** A weight of a tfjs-layers model: its nnc name, its name in the model, and where its bytes are. */
export interface LayersWeightEntry extends PretrainedEntry {
  layersName: string;
  dtype: string;
  /** Which file of the manifest and the byte offset inside the concatenation of its group's files. */
  group: number;
  offset: number;
}

/**
 * nnc's name for a tfjs-layers weight: `h/kernel`, `e/embeddings` → `.weight`, `h/bias` →
 * `h.bias`, other `/` separators → `.` (so `map { … }` patterns read the same). A weight of
 * one of the `lstmLayers` is nnc's lstm parameter: `h/kernel` → `h.kernel`,
 * `h/recurrent_kernel` → `h.recurrent`, `h/bias` → `h.bias` (a cell scope such as Python
 * Keras's `h/lstm_cell/kernel` is dropped).
 */
export function nncNameOfLayersWeight(name: string, lstmLayers: ReadonlySet<string> = new Set()): string {
  const parts = name.split('/');
  const last = parts.pop()!;
  // Keras suffixes a variable name with `_<n>` when it is created twice; the name is the same weight.
  const base = last.replace(/_\d+$/, '');
  let lstmAt = parts.length - 1;
  while (lstmAt >= 0 && !lstmLayers.has(parts[lstmAt]!)) lstmAt--;
  if (lstmAt >= 0) return [...parts.slice(0, lstmAt + 1), base === 'recurrent_kernel' ? 'recurrent' : base].join('.');
  // Dense/Conv2D `kernel` and Embedding `embeddings` are nnc's `weight`.
  const leaf = base === 'kernel' || base === 'embeddings' ? 'weight' : base;
  return [...parts, leaf].join('.');
}

/** The weights a `model.json` lists (tfjs-layers format: `weightsManifest`), in manifest order. */
export function layersEntries(file: string): LayersWeightEntry[] {
  const bad = (why: string) => new CheckpointError(`${file}: not a TensorFlow.js layers model: ${why}`);
  let json: { modelTopology?: unknown; weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype?: string }[] }[] };
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as typeof json;
  } catch (e) {
    throw bad(`unreadable JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(json.weightsManifest)) throw bad('no weightsManifest');
  const lstmLayers = layerNamesOfClass(json.modelTopology, 'LSTM');
  const out: LayersWeightEntry[] = [];
  json.weightsManifest.forEach((g, group) => {
    let offset = 0;
    for (const w of g.weights) {
      const dtype = w.dtype ?? 'float32';
      if (dtype !== 'float32' && dtype !== 'int32') throw bad(`weight ${w.name} has dtype ${dtype} (only float32/int32 are read)`);
      out.push({ name: nncNameOfLayersWeight(w.name, lstmLayers), shape: [...w.shape], layersName: w.name, dtype, group, offset });
      offset += 4 * w.shape.reduce((a, b) => a * b, 1);
    }
  });
  const seen = new Set<string>();
  for (const e of out) {
    if (seen.has(e.name)) throw bad(`two weights read as ${e.name}`);
    seen.add(e.name);
  }
  return out;
}

/** The names of a Keras topology's layers of class `className`, nested models included. */
function layerNamesOfClass(topology: unknown, className: string): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v === null || typeof v !== 'object') return;
    const o = v as { class_name?: unknown; config?: { name?: unknown } };
    if (o.class_name === className && typeof o.config?.name === 'string') out.add(o.config.name);
    Object.values(v).forEach(visit);
  };
  visit(topology);
  return out;
}
