// fold-mean: the 1/N of the batch-mean cross-entropy is folded into one fused
// gradient kernel; the optimised graph must compute exactly what the raw one does.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { runGraph } from '../../src/ir/interpret.js';
import { instantiate } from '../../src/ir/shapes.js';
import type { TrainingGraph, ValueId } from '../../src/ir/types.js';
import { foldMean, optimize } from '../../src/passes/index.js';
import { compileSource } from '../../src/pipeline.js';
import { Rng } from '../../src/runtime/rng.js';
import { softmaxCrossEntropyMeanGrad } from '../../src/runtime/kernels.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function rawGraph(file: string): TrainingGraph {
  const sink = new DiagnosticSink();
  const c = compileSource({ file, text: readFileSync(file, 'utf8') }, sink, { optimize: false });
  if (c === null) throw new Error(sink.items.map((d) => d.message).join('\n'));
  return c.raw;
}

/** Loss and every gradient, on seeded leaves (batch 6). */
function results(tg: TrainingGraph, seed: number): number[][] {
  const rng = new Rng(seed);
  const feeds = new Map<ValueId, tf.Tensor>();
  for (const leaf of [...tg.inputs, ...tg.params.map((p) => ({ id: p.id, type: p.type }))]) {
    const shape = instantiate(leaf.type.shape, { batch: 6 });
    const n = shape.reduce((a, b) => a * b, 1);
    const ints = leaf.type.dtype === 'i32';
    feeds.set(leaf.id, tf.tensor(Array.from({ length: n }, () => (ints ? rng.int(10) : rng.normal() * 0.1)), shape, ints ? 'int32' : 'float32'));
  }
  const wanted = [tg.loss, ...tg.params.map((p) => tg.grads[p.name]!)];
  const out = runGraph(tg.graph, feeds, wanted, { training: true, rng: new Rng(3), verify: true });
  const values = out.map((t) => Array.from(t.dataSync()));
  tf.dispose([...out, ...feeds.values()]);
  return values;
}

const ops = (tg: TrainingGraph) => tg.graph.nodes.map((n) => n.op);

describe('fold-mean pass', () => {
  for (const spec of ['bench/specs/w1-sgd.nn', 'specs/mnist-mlp.nn']) {
    it(`${spec}: one fused mean-gradient kernel, no 1/N broadcast, same loss and gradients`, () => {
      const raw = rawGraph(spec);
      expect(ops(raw)).toContain('softmax_cross_entropy_grad');
      const folded = optimize(raw, { verify: true });
      expect(ops(folded)).toContain('softmax_cross_entropy_mean_grad');
      expect(ops(folded)).not.toContain('softmax_cross_entropy_grad');
      expect(folded.graph.nodes.filter((n) => n.origin.phase !== 'forward' && (n.op === 'inv_count' || n.op === 'broadcast_like'))).toEqual([]);
      const before = results(raw, 5);
      const after = results(folded, 5);
      expect(after.length).toBe(before.length);
      before.forEach((vs, k) => after[k]!.forEach((v, i) => expect(Math.abs(v - vs[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(vs[i]!)))));
    });
  }

  it('a scaled loss (2 · cross-entropy) keeps its results with or without the fold', () => {
    const text = readFileSync('bench/specs/w1-sgd.nn', 'utf8').replace('loss      = cross_entropy(logits, digit)', 'loss      = 2 * cross_entropy(logits, digit)');
    const sink = new DiagnosticSink();
    const c = compileSource({ file: 'scaled.nn', text }, sink, { optimize: false });
    expect(c).not.toBeNull();
    const withFold = results(optimize(c!.raw, { verify: true }), 9);
    const without = results(optimize(c!.raw, { passes: ['simplify', 'fold', 'cse', 'dce'] }), 9);
    without.forEach((vs, k) => withFold[k]!.forEach((v, i) => expect(Math.abs(v - vs[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(vs[i]!)))));
  });

  it('the runtime kernel equals (softmax − onehot) / B and leaves only its result', () => {
    const logits = tf.tensor2d([[1, 2, 3], [0, -1, 4]]);
    const labels = tf.tensor1d([2, 0], 'int32');
    const expected = tf.div(tf.sub(tf.softmax(logits), tf.oneHot(labels, 3).toFloat()), 2);
    const count = tf.memory().numTensors;
    const got = softmaxCrossEntropyMeanGrad(logits, labels);
    expect(tf.memory().numTensors).toBe(count + 1);
    got.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i]!, 6));
    tf.dispose([logits, labels, expected, got]);
  });
});
