// The lowered expressions (as they will read in generated programs), the
// backward-only kernels' values, stochastic and shape-reading ops, numerical
// stability of the fused losses, and the interpreter's memory discipline.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/ir/builder.js';
import { compileLowering, nodeExpression, runGraph } from '../../src/ir/interpret.js';
import type { Attrs, ValueId } from '../../src/ir/types.js';
import type { OpKind } from '../../src/ops/kinds.js';
import { OPS } from '../../src/ops/registry.js';
import { Rng } from '../../src/runtime/rng.js';
import { FORWARD, useCpu } from './harness.js';

beforeAll(useCpu);

const CTX = { training: 'training', rng: 'rng', stepSize: 'stepSize' };

/** Builds op over fresh inputs of the given shapes and returns its lowering over `names`. */
function lowered(op: OpKind, shapes: (string | number)[][], attrs: Attrs, names: string[], dtypes: ('f32' | 'i32')[] = []): string {
  const g = new GraphBuilder();
  const xs = shapes.map((shape, i) => g.add('input', [], { dtype: dtypes[i] ?? 'f32', shape }, FORWARD));
  const id = g.add(op, xs, attrs, FORWARD);
  return OPS[op].lower(names, g.nodes[id]!, CTX);
}

describe('lowered expressions read like hand-written tfjs', () => {
  const cases: [OpKind, (string | number)[][], Attrs, string[], string, ('f32' | 'i32')[]?][] = [
    ['matmul', [['batch', 784], [784, 128]], {}, ['x', 'w'], 'rt.matMul(x, w)'],
    ['matmul', [['batch', 10], [784, 10]], { transposeB: true }, ['dy', 'w'], 'rt.matMul(dy, w, false, true)'],
    ['reshape', [['batch', 28, 28]], { shape: ['batch', 784] }, ['image'], 'rt.reshape(image, [-1, 784])'],
    ['sum', [['batch', 10]], { axes: [1], keepDims: true }, ['x'], 'rt.sum(x, [1], true)'],
    ['sum', [['batch', 10]], {}, ['x'], 'rt.sum(x)'],
    ['mean', [['batch']], {}, ['loss'], 'rt.mean(loss)'],
    ['mean', [['batch', 3]], { axes: [0] }, ['x'], 'rt.mean(x, [0])'],
    ['inv_count', [['batch']], { axes: [0] }, ['loss'], 'rt.inverseCount(loss.shape[0])'],
    ['inv_count', [['batch', 3]], { axes: [0, 1] }, ['x'], 'rt.inverseCount(x.shape[0] * x.shape[1])'],
    ['const', [], { value: 0.0001 }, [], 'tf.scalar(0.0001)'],
    ['relu_grad', [['batch', 128], ['batch', 128]], {}, ['dh', 'h'], 'rt.reluGrad(dh, h)'],
    ['dropout_mask', [['batch', 256]], { rate: 0.2 }, ['h'], 'rt.dropoutMask(h, 0.2, training, rng)'],
    ['softmax', [['batch', 10]], {}, ['x'], 'tf.softmax(x)'],
    ['softmax', [['batch', 10, 3]], { axis: 1 }, ['x'], 'rt.softmax(x, 1)'],
    ['log_softmax', [['batch', 10]], { axis: 1 }, ['x'], 'tf.logSoftmax(x)'],
    ['broadcast', [['batch', 1]], { shape: ['batch', 4] }, ['x'], 'rt.broadcastTo(x, [-1, 4])'],
    ['broadcast', [[3]], { shape: [2, 3] }, ['x'], 'rt.broadcastTo(x, [2, 3])'],
    ['broadcast_like', [[1, 3], ['batch', 3]], {}, ['g', 'x'], 'rt.broadcastTo(g, x.shape)'],
    ['transpose', [[2, 3]], {}, ['x'], 'tf.transpose(x, [1, 0])'],
    ['pow', [[3]], { exponent: 2 }, ['x'], 'tf.square(x)'],
    ['pow', [[3]], { exponent: 3 }, ['x'], 'tf.pow(x, 3)'],
    ['conv2d', [['batch', 28, 28, 1], [3, 3, 1, 32]], { padding: 'same' }, ['image', 'w'], "tf.conv2d(image as tf.Tensor4D, w as tf.Tensor4D, [1, 1], 'same')"],
    ['conv2d_backprop_input', [['batch', 14, 14, 8], [3, 3, 1, 8]], { strides: 2, padding: 'same', shape: ['batch', 28, 28, 1] }, ['dy', 'w'], "rt.conv2dTranspose(dy, w, [dy.shape[0], 28, 28, 1], [2, 2], 'same')"],
    ['conv2d', [['batch', 9, 9, 1], [3, 3, 1, 4]], { dilations: 2 }, ['x', 'w'], "tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [1, 1], 'valid', 'NHWC', [2, 2])"],
    ['conv2d_backprop_input', [['batch', 5, 5, 4], [3, 3, 1, 4]], { dilations: 2, shape: ['batch', 9, 9, 1] }, ['dy', 'w'], "rt.conv2dBackpropInput(dy, w, [dy.shape[0], 9, 9, 1], 'valid', [2, 2])"],
    ['max_pool', [['batch', 28, 28, 32]], { size: 2, strides: 2 }, ['c'], "rt.maxPool(c, [2, 2], [2, 2], 'valid')"],
    ['slice', [['batch', 256]], { begin: [0, 64], size: ['batch', 64] }, ['z'], 'tf.slice(z, [0, 64], [-1, 64])'],
    ['pad', [['batch', 3]], { paddings: [0, 0, 1, 2] }, ['x'], 'tf.pad(x, [[0, 0], [1, 2]])'],
    ['concat', [['batch', 2], ['batch', 3]], {}, ['a', 'b'], 'tf.concat([a, b], 1)'],
    ['max', [['batch', 10]], { axes: [1] }, ['x'], 'tf.max(x, [1])'],
    ['one_hot', [['batch']], { depth: 10 }, ['digit'], 'rt.oneHot(digit, 10)', ['i32']],
    ['softmax_cross_entropy', [['batch', 10], ['batch']], {}, ['logits', 'digit'], 'rt.softmaxCrossEntropy(logits, digit)', ['f32', 'i32']],
  ];
  for (const [op, shapes, attrs, names, want, dtypes] of cases) {
    it(want, () => expect(lowered(op, shapes, attrs, names, dtypes)).toBe(want));
  }
  it('leaves are fed by the caller, never lowered', () => {
    expect(() => lowered('input', [], { shape: [2] }, [])).toThrow(/fed by the caller/);
  });
});

/** Runs a one-op graph on concrete tensors. */
function run1(op: OpKind, inputs: tf.Tensor[], attrs: Attrs = {}, training = false, rng?: Rng): tf.Tensor {
  const g = new GraphBuilder();
  const xs = inputs.map((t) => g.add('input', [], { dtype: t.dtype === 'int32' ? 'i32' : 'f32', shape: t.shape.map((d, i) => (i === 0 ? 'batch' : d)) }, FORWARD));
  const id = g.add(op, xs, attrs, FORWARD);
  const feeds = new Map<ValueId, tf.Tensor>(xs.map((x, i) => [x, inputs[i]!]));
  return runGraph(g.build(), feeds, [id], { training, verify: true, ...(rng ? { rng } : {}) })[0]!;
}

const close = (a: tf.Tensor, b: tf.Tensor | number[], tol = 1e-5) => {
  const x = Array.from(a.dataSync());
  const y = Array.isArray(b) ? b : Array.from(b.dataSync());
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThan(tol));
};

describe('backward-only kernels and non-differentiable ops', () => {
  const dy = tf.tensor2d([[1, -2, 3], [0.5, 4, -1], [2, 2, 2]]);
  it('relu_grad passes dy where the output is positive', () => {
    close(run1('relu_grad', [dy, tf.tensor2d([[0, 1, 2], [3, 0, 0.1], [0, 0, 5]])]), [0, -2, 3, 0.5, 0, -1, 0, 0, 2]);
  });
  it('sigmoid_grad and tanh_grad from the saved outputs', () => {
    const y = tf.tensor2d([[0.1, 0.5, 0.9], [0.2, 0.3, 0.99], [0.01, 0.7, 0.4]]);
    close(run1('sigmoid_grad', [dy, y]), tf.mul(dy, tf.mul(y, tf.sub(1, y))));
    close(run1('tanh_grad', [dy, y]), tf.mul(dy, tf.sub(1, tf.square(y))));
  });
  it('softmax_cross_entropy_grad = (softmax - onehot) * dy[:, None]', () => {
    const logits = tf.tensor2d([[1, 2, 3], [0, 0, 0], [-1, 5, 2]]);
    const labels = tf.tensor1d([2, 0, 1], 'int32');
    const d = tf.tensor1d([1, 0.5, -2]);
    close(run1('softmax_cross_entropy_grad', [logits, labels, d]), tf.mul(tf.sub(tf.softmax(logits), tf.oneHot(labels, 3).toFloat()), d.reshape([3, 1])));
  });
  it('max_grad shares dy equally among tied maxima', () => {
    const x = tf.tensor2d([[1, 3, 3], [5, 0, -1]]);
    close(run1('max_grad', [tf.tensor1d([1, 2]), x, tf.tensor1d([3, 5])], { axes: [1] }), [0, 0.5, 0.5, 2, 0, 0]);
  });
  it('step is 1 above zero and 0 at or below it', () => {
    close(run1('step', [tf.tensor2d([[-1, 0, 2]])]), [0, 0, 1]);
  });
  it('argmax picks the first largest index; cast converts', () => {
    const r = run1('argmax', [tf.tensor2d([[1, 3, 3], [5, 0, -1]])]);
    expect(r.dtype).toBe('int32');
    close(r, [1, 0]);
    close(run1('cast', [tf.tensor1d([1, 2], 'int32')], { dtype: 'f32' }), [1, 2]);
  });
  it('one_hot gives f32 rows', () => {
    const r = run1('one_hot', [tf.tensor1d([2, 0], 'int32')], { depth: 3 });
    expect(r.dtype).toBe('float32');
    close(r, [0, 0, 1, 1, 0, 0]);
  });
  it('inv_count reads the run-time batch size', () => {
    close(run1('inv_count', [tf.zeros([7, 2])], { axes: [0] }), [1 / 7]);
    close(run1('inv_count', [tf.zeros([7, 2])], { axes: [0, 1] }), [1 / 14]);
  });
});

describe('dropout_mask', () => {
  const x = tf.zeros([400, 10]);
  it('is all ones when not training', () => {
    const m = run1('dropout_mask', [x], { rate: 0.3 }, false);
    expect(tf.min(m).dataSync()[0]).toBe(1);
    expect(tf.max(m).dataSync()[0]).toBe(1);
  });
  it('holds 0 or 1/(1-rate), zero with probability rate, reproducibly from the seed', () => {
    const m = run1('dropout_mask', [x], { rate: 0.2 }, true, new Rng(5));
    const v = Array.from(m.dataSync());
    expect(v.every((e) => e === 0 || Math.abs(e - 1.25) < 1e-6)).toBe(true);
    const dropped = v.filter((e) => e === 0).length / v.length;
    expect(Math.abs(dropped - 0.2)).toBeLessThan(0.03);
    close(run1('dropout_mask', [x], { rate: 0.2 }, true, new Rng(5)), v, 1e-12);
    const other = Array.from(run1('dropout_mask', [x], { rate: 0.2 }, true, new Rng(6)).dataSync());
    expect(other).not.toEqual(v);
  });
});

describe('numerical stability of the fused losses', () => {
  it('softmax_cross_entropy stays finite for huge logits', () => {
    const loss = run1('softmax_cross_entropy', [tf.tensor2d([[1000, 0, -1000], [0, 1000, 0]]), tf.tensor1d([0, 0], 'int32')]);
    close(loss, [0, 1000], 1e-3);
  });
  it('sigmoid_cross_entropy stays finite for |x| = 100', () => {
    const loss = run1('sigmoid_cross_entropy', [tf.tensor2d([[100, -100, 100, -100]]), tf.tensor2d([[1, 0, 0, 1]])]);
    close(loss, [0, 0, 100, 100], 1e-3);
  });
});

describe('runGraph', () => {
  function mlp(): { g: GraphBuilder; x: ValueId; w: ValueId; labels: ValueId; loss: ValueId; h: ValueId } {
    const g = new GraphBuilder();
    const x = g.add('input', [], { dtype: 'f32', shape: ['batch', 4] }, FORWARD);
    const labels = g.add('input', [], { dtype: 'i32', shape: ['batch'] }, FORWARD);
    const w = g.add('param', [], { dtype: 'f32', shape: [4, 3], name: 'w' }, FORWARD);
    const h = g.add('relu', [g.add('matmul', [x, w], {}, FORWARD)], {}, FORWARD);
    const d = g.add('mul', [h, g.add('dropout_mask', [h], { rate: 0.5 }, FORWARD)], {}, FORWARD);
    const loss = g.add('mean', [g.add('softmax_cross_entropy', [d, labels], {}, FORWARD)], {}, FORWARD);
    return { g, x, w, labels, loss, h };
  }
  const feeds = (m: ReturnType<typeof mlp>) =>
    new Map<ValueId, tf.Tensor>([
      [m.x, tf.randomNormal([5, 4], 0, 1, 'float32', 1)],
      [m.w, tf.randomNormal([4, 3], 0, 1, 'float32', 2)],
      [m.labels, tf.tensor1d([0, 1, 2, 1, 0], 'int32')],
    ]);

  it('disposes every intermediate: only the wanted tensors remain', () => {
    const m = mlp();
    const f = feeds(m);
    const before = tf.memory().numTensors;
    const out = runGraph(m.g.build(), f, [m.loss], { training: true, verify: true });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(out[0]!.shape).toEqual([]);
  });
  it('names the missing feed', () => {
    const m = mlp();
    const f = feeds(m);
    f.delete(m.w);
    expect(() => runGraph(m.g.build(), f, [m.loss], { training: false })).toThrow('runGraph: no value fed for param %2 w');
  });
  it('a fed intermediate cuts the graph there', () => {
    const m = mlp();
    const f = new Map<ValueId, tf.Tensor>([[m.h, tf.zeros([5, 3])], [m.labels, tf.tensor1d([0, 1, 2, 1, 0], 'int32')]]);
    const [loss] = runGraph(m.g.build(), f, [m.loss], { training: false });
    close(loss!, [Math.log(3)]); // uniform logits
  });
  it('verify mode refuses feeds whose sizes contradict the graph', () => {
    const m = mlp();
    const f = feeds(m);
    f.set(m.labels, tf.tensor1d([0, 1, 2], 'int32')); // batch 3 labels for a batch of 5
    expect(() => runGraph(m.g.build(), f, [m.loss], { training: false, verify: true })).toThrow(/i32\[batch\]: got int32\[3\]/);
  });
  it('compiles each distinct expression once', () => {
    expect(compileLowering('tf.add(a0, a1)', 2)).toBe(compileLowering('tf.add(a0, a1)', 2));
    const m = mlp();
    expect(nodeExpression(m.g.nodes[m.h]!)).toBe('rt.relu(a0)');
  });
});
