import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { runGraph } from '../../src/ir/interpret.js';
import { printGraph, printTrainingGraph } from '../../src/ir/print.js';
import type { TrainingGraph, ValueId } from '../../src/ir/types.js';
import { verifyForwardGraph } from '../../src/ir/verify.js';
import { Fixture, fwd, mlp } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function diff(g: Parameters<typeof differentiate>[0]): { tg: TrainingGraph; sink: DiagnosticSink } {
  const sink = new DiagnosticSink();
  const tg = differentiate(g, sink);
  return { tg, sink };
}

const backwardNodes = (tg: TrainingGraph) => tg.graph.nodes.filter((n) => n.origin.phase === 'backward');
/** Only the backward part of the printed graph. */
const backwardText = (tg: TrainingGraph) =>
  printGraph(tg.graph)
    .split('\n')
    .filter((l) => l.includes('# backward of'))
    .join('\n');

describe('differentiate', () => {
  it('appends the backward nodes of an MLP, forward nodes unchanged, and verifies', () => {
    const forward = mlp();
    const { tg, sink } = diff(forward);
    expect(sink.items).toEqual([]);
    expect(verifyForwardGraph(tg)).toEqual([]);
    expect(tg.graph.nodes.slice(0, forward.graph.nodes.length)).toEqual(forward.graph.nodes);
    expect(backwardText(tg)).toBe(
      [
        '%13 = const() {value: 1} : f32[]   # backward of %12 (loss, t.nn:7)',
        '%14 = inv_count(%11) {axes: [0]} : f32[]   # backward of %12 (loss, t.nn:7)',
        '%15 = mul(%13, %14) : f32[]   # backward of %12 (loss, t.nn:7)',
        '%16 = broadcast_like(%15, %11) : f32[batch]   # backward of %12 (loss, t.nn:7)',
        '%17 = softmax_cross_entropy_grad(%10, %1, %16) : f32[batch, 3]   # backward of %11 (loss, t.nn:7)',
        '%18 = sum(%17) {axes: [0], keepDims: false} : f32[3]   # backward of %10 (logits, t.nn:5)',
        '%19 = matmul(%17, %4) {transposeA: false, transposeB: true} : f32[batch, 5]   # backward of %9 (logits, t.nn:5)',
        '%20 = matmul(%8, %17) {transposeA: true, transposeB: false} : f32[5, 3]   # backward of %9 (logits, t.nn:5)',
        '%21 = relu_grad(%19, %8) : f32[batch, 5]   # backward of %8 (h, t.nn:3)',
        '%22 = sum(%21) {axes: [0], keepDims: false} : f32[5]   # backward of %7 (h, t.nn:3)',
        '%23 = matmul(%0, %21) {transposeA: true, transposeB: false} : f32[4, 5]   # backward of %6 (h, t.nn:3)',
      ].join('\n'),
    );
    expect(tg.grads).toEqual({ 'h.weight': 23, 'h.bias': 22, 'logits.weight': 20, 'logits.bias': 18 });
  });

  it('freezing the first layer removes every backward node that only served it', () => {
    for (const dropout of [undefined, 0.3]) {
      const all = diff(mlp({ dropout })).tg;
      const frozen = diff(mlp({ dropout, freezeFirst: true })).tg;
      expect(verifyForwardGraph(frozen)).toEqual([]);
      expect(Object.keys(frozen.grads)).toEqual(['logits.weight', 'logits.bias']);
      // The forward graph is the same; the backward loses dh (matmul), the dropout
      // mask product, relu_grad, the bias sum and dW1: 4 nodes, 5 with dropout.
      expect(frozen.graph.nodes.length).toBe(all.graph.nodes.length - (dropout ? 5 : 4));
      expect(backwardNodes(frozen).length).toBe(backwardNodes(all).length - (dropout ? 5 : 4));
      const firstLayer = new Set(
        frozen.graph.nodes.filter((n) => n.origin.phase === 'forward' && (n.origin.label === 'h' || n.origin.label === 'hd')).map((n) => n.id),
      );
      const frozenParams = new Set(frozen.params.filter((p) => !p.trainable).map((p) => p.id));
      const x = frozen.inputs.find((i) => i.name === 'x')!.id;
      for (const n of backwardNodes(frozen)) {
        expect(firstLayer.has(n.origin.of!)).toBe(false);
        expect(frozenParams.has(n.origin.of!)).toBe(false);
        // dW1 = xᵀ·dh was the only backward reader of the data.
        expect(n.inputs).not.toContain(x);
        for (const p of frozenParams) expect(n.inputs).not.toContain(p);
      }
    }
  });

  it('accumulates fan-in once, un-broadcasting each contribution first', () => {
    // loss = sum(x * w + w), w used twice: dw = Σ_batch x + Σ_batch 1.
    const f = new Fixture();
    const x = f.input('x', ['batch', 3]);
    const w = f.param('w', [3]);
    const t = f.g.add('mul', [x, w], {}, fwd('t', 4));
    const u = f.g.add('add', [t, w], {}, fwd('u', 5));
    const loss = f.g.add('sum', [u], {}, fwd('loss', 6));
    const { tg } = diff(f.finish(loss));
    expect(verifyForwardGraph(tg)).toEqual([]);
    expect(backwardText(tg)).toBe(
      [
        '%5 = const() {value: 1} : f32[]   # backward of %4 (loss, t.nn:6)',
        '%6 = broadcast_like(%5, %3) : f32[batch, 3]   # backward of %4 (loss, t.nn:6)',
        '%7 = sum(%6) {axes: [0], keepDims: false} : f32[3]   # backward of %3 (u, t.nn:5)',
        '%8 = mul(%6, %0) : f32[batch, 3]   # backward of %2 (t, t.nn:4)',
        '%9 = sum(%8) {axes: [0], keepDims: false} : f32[3]   # backward of %2 (t, t.nn:4)',
        '%10 = add(%7, %9) : f32[3]   # backward of %1 (w, t.nn:2)',
      ].join('\n'),
    );
    expect(tg.grads).toEqual({ w: 10 });

    const xv = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const wv = tf.tensor1d([0.5, -1, 2]);
    const [dw] = runGraph(tg.graph, new Map<ValueId, tf.Tensor>([[x, xv], [w, wv]]), [tg.grads['w']!], { training: false });
    expect(Array.from(dw!.dataSync())).toEqual([1 + 4 + 2, 2 + 5 + 2, 3 + 6 + 2]);
    tf.dispose([xv, wv, dw!]);
  });

  it('un-broadcasts to kept size-1 axes, to scalars, and through a reshape', () => {
    // y = ((x * s) + r) * c with s: f32[] , r: f32[1, 3] , c: f32[3, 1] against x: f32[batch, 2, 3, 3]
    const f = new Fixture();
    const x = f.input('x', ['batch', 2, 3, 3]);
    const s = f.param('s', []);
    const r = f.param('r', [1, 3]);
    const c = f.param('c', [3, 1]);
    const a = f.g.add('mul', [x, s], {}, fwd('a', 3));
    const b = f.g.add('add', [a, r], {}, fwd('b', 4));
    const y = f.g.add('mul', [b, c], {}, fwd('y', 5));
    const loss = f.g.add('sum', [f.g.add('square', [y], {}, fwd('sq', 6))], {}, fwd('loss', 6));
    const { tg } = diff(f.finish(loss));
    expect(verifyForwardGraph(tg)).toEqual([]);
    const gradOps = (name: string) => {
      const n = tg.graph.nodes[tg.grads[name]!]!;
      return `${n.op} ${JSON.stringify(n.attrs)} ${n.type.shape.join(',')}`;
    };
    expect(gradOps('s')).toBe('sum {"axes":[0,1,2,3],"keepDims":false} ');
    expect(gradOps('c')).toBe('reshape {"shape":[3,1]} 3,1');
    expect(tg.graph.nodes[tg.graph.nodes[tg.grads['c']!]!.inputs[0]!]!.attrs).toEqual({ axes: [0, 1, 3], keepDims: false });
    expect(gradOps('r')).toBe('reshape {"shape":[1,3]} 1,3');

    // Against tfjs's own gradients of the same function.
    const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
    const vals = { x: rand([2, 2, 3, 3], 1), s: rand([], 2), r: rand([1, 3], 3), c: rand([3, 1], 4) };
    const feeds = new Map<ValueId, tf.Tensor>([[x, vals.x], [s, vals.s], [r, vals.r], [c, vals.c]]);
    const ours = runGraph(tg.graph, feeds, [tg.grads['s']!, tg.grads['r']!, tg.grads['c']!], { training: false });
    const ref = tf.grads((sv: tf.Tensor, rv: tf.Tensor, cv: tf.Tensor) => tf.sum(tf.square(tf.mul(tf.add(tf.mul(vals.x, sv), rv), cv))))([
      vals.s,
      vals.r,
      vals.c,
    ]);
    ours.forEach((o, k) => {
      expect(o.shape).toEqual(ref[k]!.shape);
      const scale = tf.max(tf.abs(ref[k]!)).dataSync()[0]!;
      expect(tf.max(tf.abs(tf.sub(o, ref[k]!))).dataSync()[0]! / scale).toBeLessThan(1e-5);
    });
    tf.dispose([...Object.values(vals), ...ours, ...ref]);
  });

  it('matches tf.grads of a hand-written tfjs MLP to 1e-4 relative error', () => {
    const forward = mlp({ inputs: 6, hidden: 8, classes: 4 });
    const { tg } = diff(forward);
    const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 0.5, 'float32', seed);
    const x = rand([7, 6], 1);
    const labels = tf.tensor1d([0, 3, 1, 2, 3, 0, 1], 'int32');
    const params = [rand([6, 8], 2), rand([8], 3), rand([8, 4], 4), rand([4], 5)];
    const feeds = new Map<ValueId, tf.Tensor>([
      [forward.inputs[0]!.id, x],
      [forward.inputs[1]!.id, labels],
      ...forward.params.map((p, k) => [p.id, params[k]!] as const),
    ]);
    const ours = runGraph(tg.graph, feeds, forward.params.map((p) => tg.grads[p.name]!), { training: false });
    const ref = tf.grads((w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => {
      const h = tf.relu(tf.add(tf.matMul(x as tf.Tensor2D, w1 as tf.Tensor2D), b1));
      const logits = tf.add(tf.matMul(h as tf.Tensor2D, w2 as tf.Tensor2D), b2);
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels as tf.Tensor1D, 4), logits);
    })(params);
    ours.forEach((o, k) => {
      const scale = tf.max(tf.abs(ref[k]!)).dataSync()[0]!;
      expect(scale).toBeGreaterThan(1e-3);
      expect(tf.max(tf.abs(tf.sub(o, ref[k]!))).dataSync()[0]! / scale).toBeLessThan(1e-4);
    });
    tf.dispose([x, labels, ...params, ...ours, ...ref]);
  });

  it('reports NNC4001 when the loss depends on no trainable parameter', () => {
    const frozenAll = mlp();
    const g = { ...frozenAll, params: frozenAll.params.map((p) => ({ ...p, trainable: false })) };
    const { tg, sink } = diff(g);
    expect(sink.items.map((d) => d.code)).toEqual(['NNC4001']);
    expect(sink.items[0]!.message).toContain('every parameter is frozen');
    expect(tg.grads).toEqual({});
    expect(tg.graph.nodes.length).toBe(g.graph.nodes.length);
  });

  it('warns NNC4002 for a trainable parameter off the loss path, and emits no gradient for it', () => {
    const f = new Fixture();
    const x = f.input('x', ['batch', 2]);
    const w = f.param('w', [2], true, 3);
    const unused = f.param('unused', [2], true, 4);
    const gate = f.param('gate', [2], true, 5);
    // gate only enters through step(), which has no gradient.
    const y = f.g.add('mul', [f.g.add('mul', [x, w], {}, fwd('y', 6)), f.g.add('step', [gate], {}, fwd('g', 6))], {}, fwd('y', 6));
    const loss = f.g.add('mean', [y], {}, fwd('loss', 7));
    const { tg, sink } = diff(f.finish(loss));
    expect(verifyForwardGraph(tg)).toEqual([]);
    expect(Object.keys(tg.grads)).toEqual(['w']);
    expect(sink.items.map((d) => [d.code, d.severity, d.span?.line])).toEqual([
      ['NNC4002', 'warning', 4],
      ['NNC4002', 'warning', 5],
    ]);
    expect(sink.items[0]!.message).toContain('`unused`');
    expect(sink.items[0]!.message).toContain('does not depend on it');
    expect(sink.items[1]!.message).toContain('only through operations without a gradient');
    expect(printTrainingGraph(tg)).not.toContain('grad unused');
  });
});
