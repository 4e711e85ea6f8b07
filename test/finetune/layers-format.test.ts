// Interchange with TensorFlow.js layers: `nnc export` writes model.json +
// weights.bin that tf.loadLayersModel loads (through an IOHandler reading the
// files as a browser would fetch them: model.json, then the manifest's
// paths), and the loaded model predicts what the trainer's own `forward`
// computes. The other way round, a tfjs-layers model is a pretrained source
// for `init from`: its weights load bit for bit, by mapped name.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { compileSource, type SourceFile } from '../../src/pipeline.js';
import { emitFiles, writeFiles } from '../../src/cli/emit-files.js';
import { main } from '../../src/cli/main.js';
import { layersExport } from '../../src/check/layers-export.js';
import { saveCheckpoint } from '../../src/runtime/checkpoint.js';
import { writeLayersModel } from '../../src/runtime/layers-format.js';
import { Rng } from '../../src/runtime/rng.js';
import { loadPretrained } from '../../src/runtime/pretrained.js';
import { readPretrainedHeader } from '../../src/cli/pretrained.js';
import { nncNameOfLayersWeight } from '../../src/runtime/pretrained-header.js';

const REPO = resolve(import.meta.dirname, '../..');
const OUT = join(REPO, '.nnc-cache/test-layers-format');

/** Reads model.json and the weight files it names, as tf.io.browserHTTPRequest would fetch them. */
function fileHandler(modelJson: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(modelJson, 'utf8')) as { modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig };
      const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
      const data = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dirname(modelJson), p)))));
      return { modelTopology: json.modelTopology, weightSpecs, weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) };
    },
  };
}

function compile(spec: string): ReturnType<typeof compileSource> {
  const read = (path: string): SourceFile => ({ file: path, text: readFileSync(join(REPO, path), 'utf8') });
  const sink = new DiagnosticSink();
  return compileSource(read(spec), sink, { readSource: (path, from) => read(join(from, '..', path)) });
}

type Trainer = {
  PARAM_NAMES: Record<string, string>;
  initParams(rng: unknown): Record<string, tf.Tensor>;
  installConstants(): void;
  forward(params: unknown, batch: unknown, training: boolean, rng: unknown): { prediction: tf.Tensor; [k: string]: tf.Tensor };
};

/** The trainer `nnc compile` writes for `spec`, imported, its constants installed. */
async function emitTrainer(spec: string, dirName: string): Promise<Trainer> {
  const dir = join(OUT, dirName);
  writeFiles(dir, emitFiles(compile(spec)!, spec, readFileSync(join(REPO, spec), 'utf8')));
  const trainer = (await import(pathToFileURL(join(dir, 'train.ts')).href)) as Trainer;
  trainer.installConstants();
  return trainer;
}

/** The largest absolute difference between two tensors. */
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;

/**
 * The trainer's parameters by `.nn` name, those listed replaced by N(0, 1) draws
 * (in `params` too), so that a bias or an embedding row is never trivially zero.
 */
function randomize(trainer: Trainer, params: Record<string, tf.Tensor>, names: readonly string[], seed: number): Record<string, tf.Tensor> {
  const named: Record<string, tf.Tensor> = {};
  for (const [field, name] of Object.entries(trainer.PARAM_NAMES)) {
    if (names.includes(name)) params[field] = tf.randomNormal(params[field]!.shape, 0, 1, 'float32', seed++);
    named[name] = params[field]!;
  }
  return named;
}

/**
 * Token ids [6, length] over a vocabulary of `vocab`: no padding, a short text
 * padded at the end, one token, padding in front, padding in the middle (id 0
 * is padding), and a text whose last position only is padded.
 */
function paddedIds(length: number, vocab: number): tf.Tensor {
  const token = (r: number, t: number) => 1 + ((r * 131 + t * 37 + t * t * 7) % (vocab - 1));
  const real: ((t: number) => boolean)[] = [
    () => true,
    (t) => t < Math.ceil(length / 4),
    (t) => t === 0,
    (t) => t >= Math.floor(length / 3),
    (t) => t % 3 !== 1,
    (t) => t < length - 1,
  ];
  return tf.tensor2d(real.map((isReal, r) => Array.from({ length }, (_, t) => (isReal(t) ? token(r, t) : 0))), [real.length, length], 'int32');
}

/** An LSTM weight [*, 4·units] (or bias) with its forget and cell gate blocks swapped: the gate order i, g, f, o. */
function swapGates(w: tf.Tensor): tf.Tensor {
  const [i, f, g, o] = tf.split(w, 4, w.rank - 1);
  return tf.concat([i!, g!, f!, o!], w.rank - 1);
}

/** Writes a layers model from a topology and named values, and loads it back with tfjs-layers. */
async function writeAndLoad(dirName: string, topology: unknown, weights: readonly { layersName: string; param: string }[], values: Record<string, tf.Tensor>): Promise<tf.LayersModel> {
  const dir = join(OUT, dirName);
  await writeLayersModel(dir, topology, weights.map((w) => ({ name: w.layersName, tensor: values[w.param]! })), 'test');
  return tf.loadLayersModel(fileHandler(join(dir, 'model.json')));
}

/** Saves a tfjs-layers model as its own `save` lays it out (model.json + one weight shard) under OUT/dirName. */
async function saveAsTfjs(m: tf.LayersModel, dirName: string): Promise<string> {
  const dir = join(OUT, dirName);
  mkdirSync(dir, { recursive: true });
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      writeFileSync(join(dir, 'group1-shard1of1.bin'), Buffer.from(a.weightData as ArrayBuffer));
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }] }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return dir;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
});

describe('nnc export → tf.loadLayersModel', () => {
  it('predicts what the trainer’s own forward computes (mnist-pretrain: Flatten, Dense, Dropout, Dense)', async () => {
    const trainer = await emitTrainer('specs/mnist-pretrain.nn', 'trainer');
    const params = trainer.initParams(new Rng(3));
    const named: Record<string, tf.Tensor> = {};
    for (const [field, name] of Object.entries(trainer.PARAM_NAMES)) named[name] = params[field]!;
    const ckptDir = join(OUT, 'ckpt');
    await saveCheckpoint(ckptDir, 'best', { tensors: named, epoch: 1, step: 1, rng: new Rng(1).state(), meta: {} });

    const exportDir = join(OUT, 'exported');
    expect(await main(['export', join(REPO, 'specs/mnist-pretrain.nn'), '--checkpoint', ckptDir, '-o', exportDir])).toBe(0);
    const model = await tf.loadLayersModel(fileHandler(join(exportDir, 'model.json')));
    expect(model.layers.map((l) => `${l.getClassName()}:${l.name}`)).toEqual(['Flatten:x', 'Dense:h', 'Dropout:hd', 'Dense:logits']);
    expect(model.weights.map((w) => w.name)).toEqual(['h/kernel', 'h/bias', 'logits/kernel', 'logits/bias']);

    const x = tf.randomUniform([6, 28, 28], 0, 1, 'float32', 11);
    const theirs = model.predict(x) as tf.Tensor;
    const fwd = trainer.forward(params, { image: x, digit: tf.zeros([6], 'int32') }, false, new Rng(5));
    expect(theirs.shape).toEqual([6, 5]);
    const diff = tf.max(tf.abs(tf.sub(theirs, fwd.prediction))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(fwd.prediction)).dataSync()[0]).toBeGreaterThan(1e-3); // not trivially zero

    // And back: the exported model is a pretrained source; its weights load bit for bit.
    const header = readPretrainedHeader(exportDir);
    expect(header !== null && 'entries' in header && header.entries.map((e) => e.name)).toEqual(['h.weight', 'h.bias', 'logits.weight', 'logits.bias']);
    const back = await loadPretrained(exportDir, { names: { 'h.weight': 'h.weight', 'h.bias': 'h.bias' }, shapes: { 'h.weight': [784, 256], 'h.bias': [256] }, replaced: ['logits'], allow: [] });
    expect(Buffer.from(back['h.weight']!.dataSync().buffer).equals(Buffer.from(named['h.weight']!.dataSync().buffer))).toBe(true);
  }, 60_000);

  it('exports convolution layers too (Conv2D same/strided/dilated, BatchNormalization with running statistics, pooling)', async () => {
    const spec = 'test/finetune/export/cnn-bn-export.nn';
    const trainer = await emitTrainer(spec, 'cnn-trainer');
    const params = trainer.initParams(new Rng(3));
    // Fresh batch_norm parameters are the identity; random ones (variance > 0) make the test see their order and use.
    let seed = 20;
    const named: Record<string, tf.Tensor> = {};
    for (const [field, name] of Object.entries(trainer.PARAM_NAMES)) {
      if (name.startsWith('b1.')) params[field] = name.endsWith('variance') ? tf.randomUniform([4], 0.5, 2, 'float32', seed++) : tf.randomNormal([4], 0, 1, 'float32', seed++);
      named[name] = params[field]!;
    }
    const ckptDir = join(OUT, 'cnn-ckpt');
    await saveCheckpoint(ckptDir, 'best', { tensors: named, epoch: 1, step: 1, rng: new Rng(1).state(), meta: {} });

    const exportDir = join(OUT, 'cnn-exported');
    expect(await main(['export', join(REPO, spec), '--checkpoint', ckptDir, '-o', exportDir])).toBe(0);
    const model = await tf.loadLayersModel(fileHandler(join(exportDir, 'model.json')));
    expect(model.layers.map((l) => `${l.getClassName()}:${l.name}`)).toEqual([
      'Conv2D:c1', 'BatchNormalization:b1', 'Activation:r1', 'MaxPooling2D:p1', 'Conv2D:c2', 'AveragePooling2D:a2', 'GlobalAveragePooling2D:g', 'Dense:logits',
    ]);
    // tfjs lists trainable weights first and suffixes names reused in one process (`logits/kernel_1`).
    expect(model.weights.map((w) => w.name.replace(/_\d+$/, '')).sort()).toEqual(
      ['c1/kernel', 'c1/bias', 'b1/gamma', 'b1/beta', 'b1/moving_mean', 'b1/moving_variance', 'c2/kernel', 'logits/kernel', 'logits/bias'].sort(),
    );
    const bn = model.layers[1]!.getConfig();
    expect([bn['momentum'], bn['epsilon']]).toEqual([0.9, 1e-3]);

    const x = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 12);
    const theirs = model.predict(x) as tf.Tensor;
    const fwd = trainer.forward(params, { image: x, digit: tf.zeros([5], 'int32') }, false, new Rng(5));
    expect(theirs.shape).toEqual([5, 10]);
    expect(tf.max(tf.abs(tf.sub(theirs, fwd.prediction))).dataSync()[0]!).toBeLessThan(1e-5);
    // Batch statistics (training mode) would give other logits: the comparison above saw the running ones.
    const training = trainer.forward(params, { image: x, digit: tf.zeros([5], 'int32') }, true, new Rng(5));
    expect(tf.max(tf.abs(tf.sub(theirs, training.prediction))).dataSync()[0]!).toBeGreaterThan(1e-3);
  }, 60_000);

  it('exports embedding → lstm → dense as Embedding (mask_zero) → LSTM → Dense that predicts what the trainer does, padding included', async () => {
    const spec = 'specs/sentiment-lstm.nn';
    const trainer = await emitTrainer(spec, 'lstm-trainer');
    const params = trainer.initParams(new Rng(3));
    // Zero biases and tiny embeddings would hide a wrong gate order or a lost mask; random ones (padding row 0 too) do not.
    const named = randomize(trainer, params, ['e.weight', 'h.bias', 'logit.bias'], 40);
    const ckptDir = join(OUT, 'lstm-ckpt');
    await saveCheckpoint(ckptDir, 'best', { tensors: named, epoch: 1, step: 1, rng: new Rng(1).state(), meta: {} });

    const exportDir = join(OUT, 'lstm-exported');
    expect(await main(['export', join(REPO, spec), '--checkpoint', ckptDir, '-o', exportDir])).toBe(0);
    const model = await tf.loadLayersModel(fileHandler(join(exportDir, 'model.json')));
    expect(model.layers.map((l) => `${l.getClassName()}:${l.name}`)).toEqual(['Embedding:e', 'LSTM:h', 'Dense:logit']);
    expect(model.layers[0]!.getConfig()['maskZero']).toBe(true);
    const cell = model.layers[1]!.getConfig();
    expect([cell['activation'], cell['recurrentActivation'], cell['returnSequences'], cell['goBackwards']]).toEqual(['tanh', 'sigmoid', false, false]);

    const ids = paddedIds(40, 2000);
    const theirs = model.predict(ids) as tf.Tensor;
    const ours = trainer.forward(params, { review: ids, positive: tf.zeros([ids.shape[0]]) }, false, new Rng(5)).prediction;
    expect(theirs.shape).toEqual([ids.shape[0], 1]);
    expect(maxDiff(theirs, ours)).toBeLessThan(1e-5);
    expect(tf.moments(ours).variance.dataSync()[0]).toBeGreaterThan(1e-4); // the rows differ: the sequences matter

    // The comparison sees the gate order and the mask: permuted gates, or no mask, predict otherwise.
    const plan = layersExport(compile(spec)!.model);
    if (!('topology' in plan)) throw new Error(plan.reason);
    const swapped = { ...named, 'h.kernel': swapGates(named['h.kernel']!), 'h.recurrent': swapGates(named['h.recurrent']!), 'h.bias': swapGates(named['h.bias']!) };
    const wrongGates = await writeAndLoad('lstm-swapped', plan.topology, plan.weights, swapped);
    expect(maxDiff(wrongGates.predict(ids) as tf.Tensor, ours)).toBeGreaterThan(1e-3);
    const unmasked = JSON.parse(JSON.stringify(plan.topology).replace('"mask_zero":true', '"mask_zero":false')) as unknown;
    const noMask = (await writeAndLoad('lstm-unmasked', unmasked, plan.weights, named)).predict(ids) as tf.Tensor;
    const rows = (t: tf.Tensor) => t.arraySync() as number[][];
    expect(Math.abs(rows(noMask)[0]![0]! - rows(ours)[0]![0]!)).toBeLessThan(1e-5); // row 0 has no padding
    expect(maxDiff(noMask, ours)).toBeGreaterThan(1e-3);

    // And back: the LSTM's weights read as h.kernel, h.recurrent, h.bias, and load bit for bit.
    const header = readPretrainedHeader(exportDir);
    expect(header !== null && 'entries' in header && header.entries.map((e) => e.name)).toEqual(['e.weight', 'h.kernel', 'h.recurrent', 'h.bias', 'logit.weight', 'logit.bias']);
    const names = Object.fromEntries(Object.keys(named).map((n) => [n, n]));
    const shapes = Object.fromEntries(Object.entries(named).map(([n, t]) => [n, t.shape]));
    const back = await loadPretrained(exportDir, { names, shapes, replaced: [], allow: [] });
    for (const n of Object.keys(named)) expect(Buffer.from(back[n]!.dataSync().buffer).equals(Buffer.from(named[n]!.dataSync().buffer))).toBe(true);
  }, 120_000);

  it('exports stacked lstm layers (return_sequences) behind a dropout, the mask reaching both', async () => {
    const spec = 'test/finetune/export/lstm-stacked-export.nn';
    const trainer = await emitTrainer(spec, 'lstm-stacked-trainer');
    const params = trainer.initParams(new Rng(4));
    const named = randomize(trainer, params, ['e.weight', 's.bias', 'h.bias', 'logits.bias'], 50);
    const ckptDir = join(OUT, 'lstm-stacked-ckpt');
    await saveCheckpoint(ckptDir, 'best', { tensors: named, epoch: 1, step: 1, rng: new Rng(1).state(), meta: {} });
    const exportDir = join(OUT, 'lstm-stacked-exported');
    expect(await main(['export', join(REPO, spec), '--checkpoint', ckptDir, '-o', exportDir])).toBe(0);
    const model = await tf.loadLayersModel(fileHandler(join(exportDir, 'model.json')));
    expect(model.layers.map((l) => `${l.getClassName()}:${l.name}`)).toEqual(['Embedding:e', 'Dropout:d', 'LSTM:s', 'LSTM:h', 'Dense:logits']);
    expect(model.layers.slice(2, 4).map((l) => l.getConfig()['returnSequences'])).toEqual([true, false]);
    const ids = paddedIds(7, 30);
    const ours = trainer.forward(params, { review: ids, label: tf.zeros([ids.shape[0]], 'int32') }, false, new Rng(5)).prediction;
    expect(maxDiff(model.predict(ids) as tf.Tensor, ours)).toBeLessThan(1e-5);
    expect(tf.moments(ours).variance.dataSync()[0]).toBeGreaterThan(1e-4);
  }, 120_000);

  it('maps embedding to Embedding and refuses masked pooling over time, saying why', async () => {
    const sink = new DiagnosticSink();
    const head = 'model t\ninput r: text(vocab: 50, length: 6)\ntarget y: class(2)\nnet {\n  e = embedding(r, 3)\n';
    const flat = compileSource({ file: 'flat.nn', text: head + '  f = flatten(e)\n  logits = dense(f, 2)\n}\nloss = cross_entropy(logits, y)\n' }, sink)!;
    const plan = layersExport(flat.model);
    expect('topology' in plan && plan.weights).toEqual([
      { layersName: 'e/embeddings', param: 'e.weight' },
      { layersName: 'logits/kernel', param: 'logits.weight' },
      { layersName: 'logits/bias', param: 'logits.bias' },
    ]);
    // Written and loaded back, the Embedding model computes gather → flatten → dense.
    const values: Record<string, tf.Tensor> = {
      'e.weight': tf.randomNormal([50, 3], 0, 1, 'float32', 31),
      'logits.weight': tf.randomNormal([18, 2], 0, 1, 'float32', 32),
      'logits.bias': tf.randomNormal([2], 0, 1, 'float32', 33),
    };
    const dir = join(OUT, 'embedding');
    if (!('topology' in plan)) throw new Error(plan.reason);
    await writeLayersModel(dir, plan.topology, plan.weights.map((w) => ({ name: w.layersName, tensor: values[w.param]! })), 'test');
    const model = await tf.loadLayersModel(fileHandler(join(dir, 'model.json')));
    const ids = tf.tensor2d([[1, 5, 49, 0, 0, 0], [7, 7, 2, 3, 9, 11]], [2, 6], 'int32');
    const ours = tf.add(tf.matMul(tf.reshape(tf.gather(values['e.weight']!, ids), [2, 18]), values['logits.weight']!), values['logits.bias']!);
    expect(tf.max(tf.abs(tf.sub(model.predict(ids) as tf.Tensor, ours))).dataSync()[0]!).toBeLessThan(1e-5);
    const header = readPretrainedHeader(dir);
    expect(header !== null && 'entries' in header && header.entries.map((e) => e.name)).toEqual(['e.weight', 'logits.weight', 'logits.bias']);
    const pooled = compileSource({ file: 'pooled.nn', text: head + '  p = mean_pool(e)\n  logits = dense(p, 2)\n}\nloss = cross_entropy(logits, y)\n' }, sink)!;
    expect(layersExport(pooled.model)).toEqual({ reason: expect.stringMatching(/^cannot export a masked pooling over time .*\(line 6\)/) });
  });

  it('says why a net has no sequential equivalent', () => {
    const compiled = compile('specs/mnist-finetune.nn')!;
    expect('topology' in layersExport(compiled.model)).toBe(true);
    const sink = new DiagnosticSink();
    const text = 'model two\ninput x: f32[4]\ntarget y: class(2)\nnet {\n  a = dense(x, 3)\n  b = dense(x, 3)\n  logits = dense(a + b, 2)\n}\nloss = cross_entropy(logits, y)\n';
    const other = compileSource({ file: 'two.nn', text }, sink)!;
    const r = layersExport(other.model);
    expect(r).toEqual({ reason: 'cannot export: `add` (line 7) has no tfjs-layers equivalent in a sequential model' });
  });
});

describe('a tfjs-layers model as a pretrained source', () => {
  it('loads a tfjs-layers LSTM (kernel, recurrent_kernel, bias) into lstm’s parameters, and the trainer then predicts what it does', async () => {
    const random = (seed: number) => tf.initializers.randomNormal({ mean: 0, stddev: 1, seed });
    const m = tf.sequential({
      layers: [
        tf.layers.embedding({ name: 'emb', inputDim: 2000, outputDim: 32, inputLength: 40, maskZero: true, embeddingsInitializer: random(1) }),
        tf.layers.lstm({ name: 'enc', units: 32, recurrentActivation: 'sigmoid', biasInitializer: random(2) }),
        tf.layers.dense({ name: 'out', units: 1, biasInitializer: random(3) }),
      ],
    });
    const dir = await saveAsTfjs(m, 'keras-lstm');
    const header = readPretrainedHeader(dir);
    expect(header !== null && 'entries' in header && header.entries.map((e) => e.name)).toEqual(['emb.weight', 'enc.kernel', 'enc.recurrent', 'enc.bias', 'out.weight', 'out.bias']);
    const ours = { 'e.weight': 'emb.weight', 'h.kernel': 'enc.kernel', 'h.recurrent': 'enc.recurrent', 'h.bias': 'enc.bias', 'logit.weight': 'out.weight', 'logit.bias': 'out.bias' };
    const shapes = { 'e.weight': [2000, 32], 'h.kernel': [32, 128], 'h.recurrent': [32, 128], 'h.bias': [128], 'logit.weight': [32, 1], 'logit.bias': [1] };
    const loaded = await loadPretrained(dir, { names: ours, shapes, replaced: [], allow: [] });
    const trainer = await emitTrainer('specs/sentiment-lstm.nn', 'lstm-import-trainer');
    const params = Object.fromEntries(Object.entries(trainer.PARAM_NAMES).map(([field, name]) => [field, loaded[name]!]));
    const ids = paddedIds(40, 2000);
    const prediction = trainer.forward(params, { review: ids, positive: tf.zeros([ids.shape[0]]) }, false, new Rng(5)).prediction;
    expect(maxDiff(m.predict(ids) as tf.Tensor, prediction)).toBeLessThan(1e-5);
    expect(tf.moments(prediction).variance.dataSync()[0]).toBeGreaterThan(1e-4);
    // Python Keras scopes an LSTM's weights under its cell: `lstm/lstm_cell/kernel` is still the layer's kernel.
    expect(['kernel', 'recurrent_kernel', 'bias'].map((w) => nncNameOfLayersWeight(`lstm/lstm_cell/${w}`, new Set(['lstm'])))).toEqual(['lstm.kernel', 'lstm.recurrent', 'lstm.bias']);
  }, 120_000);

  it('loads a model saved by tfjs-layers itself, by mapped name, bit for bit', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'relu' }), tf.layers.dense({ units: 2 })] });
    const dir = await saveAsTfjs(m, 'keras');
    const [first, second] = m.layers.map((l) => l.name) as [string, string];
    const header = readPretrainedHeader(join(dir, 'model.json'));
    expect(header !== null && 'entries' in header && header.entries.map((e) => e.name)).toEqual([`${first}.weight`, `${first}.bias`, `${second}.weight`, `${second}.bias`]);
    const plan = {
      names: { 'h.weight': `${first}.weight`, 'h.bias': `${first}.bias`, 'out.weight': `${second}.weight`, 'out.bias': `${second}.bias` },
      shapes: { 'h.weight': [4, 3], 'h.bias': [3], 'out.weight': [3, 2], 'out.bias': [2] },
      replaced: [],
      allow: [],
    };
    const loaded = await loadPretrained(dir, plan);
    const theirs = m.getWeights();
    ['h.weight', 'h.bias', 'out.weight', 'out.bias'].forEach((name, i) => {
      expect(Array.from(loaded[name]!.dataSync())).toEqual(Array.from(theirs[i]!.dataSync()));
    });
    // Without the map, the trainer refuses, naming both sides.
    await expect(loadPretrained(dir, { ...plan, names: { 'h.weight': 'h.weight', 'h.bias': 'h.bias', 'out.weight': 'out.weight', 'out.bias': 'out.bias' } })).rejects.toThrow(
      new RegExp(`match nothing in the model: ${first}\\.weight \\[4, 3\\]`),
    );
  });
});
