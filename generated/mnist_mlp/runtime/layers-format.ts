// The TensorFlow.js layers format (`model.json` + binary weight files), read
// as a pretrained source for `init from` and written by `writeLayersModel`.
// model.json: `{ modelTopology, weightsManifest: [{ paths, weights: [{ name,
// shape, dtype }] }] }`; each group's files are concatenated and its weights
// are laid out back to back in manifest order (little-endian float32/int32).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from './errors.js';
import { layersEntries } from './pretrained-header.js';

/** Every weight of a tfjs-layers model, by nnc name (`h/kernel` → `h.weight`); the caller owns the tensors. */
export function readLayersWeights(modelJson: string): Record<string, tf.Tensor> {
  const entries = layersEntries(modelJson);
  const manifest = (JSON.parse(readFileSync(modelJson, 'utf8')) as { weightsManifest: { paths: string[] }[] }).weightsManifest;
  const groups = manifest.map((g) => Buffer.concat(g.paths.map((p) => readFileSync(join(dirname(modelJson), p)))));
  const out: Record<string, tf.Tensor> = {};
  for (const e of entries) {
    const size = e.shape.reduce((a, b) => a * b, 1);
    const bytes = groups[e.group]!;
    if (e.offset + 4 * size > bytes.length) {
      for (const t of Object.values(out)) t.dispose();
      throw new CheckpointError(`${modelJson}: the weight files of group ${e.group} end before ${e.layersName} (need ${e.offset + 4 * size} bytes, have ${bytes.length})`);
    }
    const raw = new Uint8Array(bytes.subarray(e.offset, e.offset + 4 * size)).buffer;
    out[e.name] = tf.tensor(e.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw), e.shape, e.dtype as 'float32' | 'int32');
  }
  return out;
}

/** One weight to export: its tfjs-layers name (`h/kernel`) and value. */
export interface LayersWeight {
  name: string;
  tensor: tf.Tensor;
}

/**
 * Writes `dir/model.json` (the given Keras topology) and `dir/weights.bin`
 * (the weights in order), loadable with `tf.loadLayersModel('file://dir/model.json')`.
 */
export async function writeLayersModel(dir: string, topology: unknown, weights: readonly LayersWeight[], generatedBy: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const chunks: Uint8Array[] = [];
  const specs: { name: string; shape: number[]; dtype: string }[] = [];
  for (const w of weights) {
    const values = (await w.tensor.data()) as Float32Array;
    chunks.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    specs.push({ name: w.name, shape: [...w.tensor.shape], dtype: 'float32' });
  }
  writeFileSync(join(dir, 'weights.bin'), Buffer.concat(chunks));
  const json = { format: 'layers-model', generatedBy, convertedBy: null, modelTopology: topology, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json, null, 1) + '\n');
}
