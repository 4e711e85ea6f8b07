// Every lowering (forward and backward kernels, via the VJP rules) gives the
// same numbers on wasm and on tfjs-node (when installed) as on cpu: the
// portable target really is portable, including the helpers' fallbacks for
// kernels wasm lacks or gets wrong, and the raw TensorFlow kernels the helpers
// use on tfjs-node.
import * as tf from '@tensorflow/tfjs';
import { loadNative } from '../support/native.js';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/ir/builder.js';
import { runGraph } from '../../src/ir/interpret.js';
import { instantiate } from '../../src/ir/shapes.js';
import type { Dim, DType, ValueId } from '../../src/ir/types.js';
import { Rng } from '../../src/runtime/rng.js';
import { FORWARD, reverseSweep } from './harness.js';
import { nativeBackend } from '../../src/runtime/kernels-native.js';
import * as rt from '../../src/runtime/kernels.js';

interface Case {
  name: string;
  inputs: { shape: Dim[]; dtype?: DType; labels?: number; positive?: boolean }[];
  build(g: GraphBuilder, xs: ValueId[]): ValueId;
}

const op = (g: GraphBuilder, kind: Parameters<GraphBuilder['add']>[0], xs: ValueId[], attrs = {}) => g.add(kind, xs, attrs, FORWARD);
const labels = (n: number) => ({ shape: ['batch'] as Dim[], dtype: 'i32' as const, labels: n });

const cases: Case[] = [
  { name: 'dense + softmax cross-entropy', inputs: [{ shape: ['batch', 6] }, { shape: [6, 4] }, { shape: [4] }, labels(4)],
    build: (g, [x, w, b, y]) => op(g, 'mean', [op(g, 'softmax_cross_entropy', [op(g, 'add', [op(g, 'matmul', [x!, w!]), b!]), y!])]) },
  { name: 'matmuls with transpose flags', inputs: [{ shape: [4, 'batch'] }, { shape: [5, 4] }, { shape: ['batch', 5] }],
    // The forwards and their VJPs use all four flag combinations (wasm transposes explicitly).
    build: (g, [a, b, c]) => op(g, 'matmul', [op(g, 'matmul', [a!, b!], { transposeA: true, transposeB: true }), c!], { transposeA: true }) },
  { name: 'activations', inputs: [{ shape: ['batch', 5] }],
    build: (g, [x]) => op(g, 'sum', [op(g, 'add', [op(g, 'add', [op(g, 'relu', [x!]), op(g, 'sigmoid', [x!])]), op(g, 'mul', [op(g, 'tanh', [x!]), op(g, 'abs', [x!])])])], { axes: [1] }) },
  { name: 'arithmetic', inputs: [{ shape: ['batch', 3], positive: true }, { shape: [3], positive: true }],
    build: (g, [a, b]) => op(g, 'sub', [op(g, 'div', [op(g, 'exp', [op(g, 'neg', [a!])]), op(g, 'sqrt', [b!])]), op(g, 'mul', [op(g, 'log', [a!]), op(g, 'pow', [op(g, 'square', [b!])], { exponent: 1.5 })])]) },
  { name: 'softmaxes on a middle axis', inputs: [{ shape: ['batch', 3, 2] }],
    build: (g, [x]) => op(g, 'add', [op(g, 'softmax', [x!], { axis: 1 }), op(g, 'log_softmax', [x!], { axis: 1 })]) },
  { name: 'shape ops and batch reductions', inputs: [{ shape: ['batch', 2, 3] }, { shape: [1, 3] }],
    build: (g, [x, v]) => {
      const t = op(g, 'transpose', [op(g, 'reshape', [x!], { shape: ['batch', 6] })], { perm: [1, 0] });
      const m = op(g, 'mean', [op(g, 'reshape', [t], { shape: [6, 'batch'] })], { axes: [1], keepDims: true });
      return op(g, 'add', [op(g, 'sum', [op(g, 'mul', [x!, op(g, 'broadcast', [v!], { shape: [2, 3] })])], { axes: [0] }), op(g, 'reshape', [m], { shape: [2, 3] })]);
    } },
  { name: 'fused losses, l2, dropout', inputs: [{ shape: ['batch', 4] }, { shape: ['batch', 4], positive: true }],
    build: (g, [x, t]) => {
      const d = op(g, 'mul', [x!, op(g, 'dropout_mask', [x!], { rate: 0.3 })]);
      const s = op(g, 'mean', [op(g, 'sigmoid_cross_entropy', [d, op(g, 'sigmoid', [t!])])]);
      return op(g, 'add', [op(g, 'add', [s, op(g, 'mean', [op(g, 'mse', [d, t!])])]), op(g, 'l2', [x!])]);
    } },
  { name: 'slice, pad, concat, max', inputs: [{ shape: ['batch', 6] }],
    build: (g, [x]) => {
      const a = op(g, 'slice', [x!], { begin: [0, 1], size: ['batch', 3] });
      const b = op(g, 'pad', [op(g, 'slice', [x!], { begin: [0, 4], size: ['batch', 2] })], { paddings: [0, 0, 1, 0] });
      return op(g, 'max', [op(g, 'concat', [a, b, x!], { axis: 1 })], { axes: [1] });
    } },
  { name: 'embedding', inputs: [{ shape: [7, 3] }, { shape: ['batch', 4], dtype: 'i32', labels: 7 }],
    build: (g, [table, ids]) => op(g, 'mean', [op(g, 'gather', [table!, ids!])], { axes: [1] }) },
  { name: 'conv block', inputs: [{ shape: ['batch', 7, 7, 2] }, { shape: [3, 3, 2, 4] }, { shape: [2, 2, 4, 3] }],
    build: (g, [x, w1, w2]) => {
      const c1 = op(g, 'max_pool', [op(g, 'conv2d', [x!, w1!], { padding: 'same' })], { size: 2, strides: 2, padding: 'same' });
      const c2 = op(g, 'avg_pool', [op(g, 'conv2d', [c1, w2!], { strides: 2, padding: 'valid' })], { size: 2, padding: 'same' });
      const c3 = op(g, 'conv2d', [x!, op(g, 'slice', [w1!], { begin: [0, 0, 0, 0], size: [2, 2, 2, 3] })], { dilations: 2, padding: 'same' });
      return op(g, 'add', [op(g, 'mean', [c2], { axes: [1, 2] }), op(g, 'mean', [c3], { axes: [1, 2] })]);
    } },
];

const BATCH = 3;

function run(c: Case, backend: string): number[][] {
  const g = new GraphBuilder();
  const xs = c.inputs.map((s, i) => g.add('input', [], { dtype: s.dtype ?? 'f32', shape: s.shape, name: `x${i}` }, FORWARD));
  const y = c.build(g, xs);
  const dy = g.add('input', [], { dtype: 'f32', shape: g.type(y).shape, name: 'dy' }, FORWARD);
  const floats = xs.filter((_, i) => c.inputs[i]!.dtype !== 'i32');
  const grads = reverseSweep(g, y, dy, floats).filter((id): id is ValueId => id !== null);
  const rng = new Rng(3);
  const make = (shape: Dim[], s: Case['inputs'][number]) => {
    const dims = instantiate(shape, { batch: BATCH });
    const n = dims.reduce((a, b) => a * b, 1);
    const v = Array.from({ length: n }, () => (s.labels ? rng.int(s.labels) : s.positive ? rng.uniform(0.5, 2) : rng.normal()));
    return tf.tensor(v, dims, s.dtype === 'i32' ? 'int32' : 'float32');
  };
  const feeds = new Map<ValueId, tf.Tensor>(xs.map((x, i) => [x, make(c.inputs[i]!.shape, c.inputs[i]!)]));
  feeds.set(dy, make(g.type(y).shape, { shape: [] }));
  expect(tf.getBackend()).toBe(backend);
  const out = runGraph(g.build(), feeds, [y, ...grads], { training: true, rng: new Rng(9), verify: true });
  const values = out.map((t) => Array.from(t.dataSync()));
  tf.dispose([...out, ...feeds.values()]);
  return values;
}

const hasNative = await loadNative();

for (const backend of ['wasm', 'tensorflow']) {
  describe.skipIf(backend === 'tensorflow' && !hasNative)(`${backend} computes what cpu computes`, () => {
    beforeAll(async () => void (await tf.setBackend('cpu')));
    afterAll(async () => void (await tf.setBackend('cpu')));
    for (const c of cases) {
      it(c.name, async () => {
        await tf.setBackend('cpu');
        const onCpu = run(c, 'cpu');
        await tf.setBackend(backend);
        const there = run(c, backend);
        expect(there.length).toBe(onCpu.length);
        onCpu.forEach((values, k) => {
          const scale = Math.max(1, ...values.map(Math.abs));
          const err = Math.max(...values.map((v, i) => Math.abs(v - there[k]![i]!)));
          expect(err / scale).toBeLessThan(1e-4);
        });
      });
    }
  });
}

describe('rt.matMul on wasm', () => {
  afterAll(async () => void (await tf.setBackend('cpu')));
  it('transposes flagged operands itself (wasm runs XNNPACK only without flags); cpu keeps the flags', async () => {
    const kernels = async (backend: string) => {
      await tf.setBackend(backend);
      const [a, b] = [tf.ones([3, 2]), tf.ones([4, 3])];
      const info = await tf.profile(() => rt.matMul(a, b, true, true));
      tf.dispose([a, b, info.result as tf.Tensor]);
      return info.kernels.map((k) => k.name);
    };
    expect(await kernels('wasm')).toEqual(['Transpose', 'Transpose', 'BatchMatMul']);
    expect(await kernels('cpu')).toEqual(['BatchMatMul']);
  });
});

describe.skipIf(!hasNative)('raw TensorFlow kernels on tfjs-node', () => {
  afterAll(async () => void (await tf.setBackend('cpu')));
  it('are found on the tensorflow backend only', async () => {
    await tf.setBackend('tensorflow');
    expect(nativeBackend()).not.toBeNull();
    await tf.setBackend('wasm');
    expect(nativeBackend()).toBeNull();
    await tf.setBackend('cpu');
    expect(nativeBackend()).toBeNull();
  });

  it('reduce as tf.sum and tf.mean do, a bias gradient as one BiasAddGrad, axes uploaded once', async () => {
    const cases: [number[], number[] | undefined, boolean][] = [
      [[4, 3], [0], false], // bias gradient: BiasAddGrad
      [[2, 3, 3, 5], [0, 1, 2], false], // conv bias gradient: BiasAddGrad
      [[2, 3, 5], [1], true],
      [[2, 3, 5], [-1], false],
      [[6], undefined, false],
      [[2, 3], undefined, true],
    ];
    const values = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i + 1));
    const run = (fn: 'sum' | 'mean') => cases.map(([shape, axes, keep]) => {
      const x = tf.tensor(values(shape), shape);
      const y = rt[fn](x, axes, keep);
      const out = { shape: y.shape, data: Array.from(y.dataSync()) };
      tf.dispose([x, y]);
      return out;
    });
    await tf.setBackend('cpu');
    const want = { sum: run('sum'), mean: run('mean') };
    await tf.setBackend('tensorflow');
    const got = { sum: run('sum'), mean: run('mean') };
    for (const fn of ['sum', 'mean'] as const) {
      got[fn].forEach((g, i) => {
        expect(g.shape, `${fn} case ${i}`).toEqual(want[fn][i]!.shape);
        g.data.forEach((v, j) => expect(v, `${fn} case ${i}[${j}]`).toBeCloseTo(want[fn][i]!.data[j]!, 5));
      });
    }
    // a second run uploads nothing new: the axes are cached
    const before = rt.heldTensors();
    run('sum');
    expect(rt.heldTensors()).toBe(before);
    await tf.setBackend('cpu');
  });

  it('max pooling through oneDNN with its workspace routes gradients as MaxPoolGrad does, ties included', async () => {
    const x = [0, 0, 1, 1, 0, 2, 2, 1, 3, 3, 0, 0, 1, 0, 0, 1, 5, 4, 4, 5, 0, 0, 0, 0, 7, 7, 7, 7, 1, 2].flatMap((v) => [v, -v]);
    const run = (pad: 'same' | 'valid', size: [number, number], strides: [number, number]) => {
      const xt = tf.tensor4d(x, [1, 5, 6, 2]);
      const y = rt.maxPool(xt, size, strides, pad);
      const dy = tf.tensor(Array.from({ length: y.size }, (_, i) => i + 1), y.shape);
      const dx = rt.maxPoolGrad(dy, xt, y, size, strides, pad);
      const out = { y: Array.from(y.dataSync()), dx: Array.from(dx.dataSync()) };
      tf.dispose([xt, y, dy, dx]);
      return out;
    };
    const windows: ['same' | 'valid', [number, number], [number, number]][] = [['valid', [2, 2], [2, 2]], ['same', [2, 2], [2, 2]], ['same', [3, 3], [1, 1]]];
    await tf.setBackend('cpu');
    const want = windows.map((w) => run(...w));
    await tf.setBackend('tensorflow');
    const before = tf.memory().numTensors;
    const got = windows.map((w) => run(...w));
    expect(got).toEqual(want);
    expect(tf.memory().numTensors, 'workspaces freed by the backward calls').toBe(before);
    await tf.setBackend('cpu');
  });

  it('run the loss kernel once per step: the backward pass takes the gradient the forward pass made', async () => {
    await tf.setBackend('tensorflow');
    const logits = tf.tensor2d([[1, 2, 0.5], [0.1, -1, 3]]);
    const labels = tf.tensor1d([2, 0], 'int32');
    const fresh = rt.softmaxCrossEntropyMeanGrad(logits, labels); // no forward call: its own kernel
    const loss = rt.softmaxCrossEntropy(logits, labels);
    expect(rt.heldTensors()).toBeGreaterThan(0);
    const held = rt.heldTensors();
    const reused = rt.softmaxCrossEntropyMeanGrad(logits, labels);
    expect(rt.heldTensors()).toBe(held - 1);
    Array.from(reused.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(fresh.dataSync()[i]!, 6));
    // a forward call on other tensors frees the unused gradient it replaces
    const other = tf.tensor2d([[0, 0, 1], [1, 0, 0]]);
    const before = tf.memory().numTensors;
    tf.dispose([rt.softmaxCrossEntropy(other, labels), rt.softmaxCrossEntropy(other, labels)]);
    expect(tf.memory().numTensors).toBe(before + 1); // one pending gradient, not two
    tf.dispose([logits, labels, fresh, loss, reused, other]);
    await tf.setBackend('cpu');
  });
});
