// Every lowering type-checks (strict) in the setting the emitter puts it in:
// arguments typed tf.Tensor, `training: boolean`, `rng: Rng`, `rt` the
// runtime kernels. Compiled in memory with the TypeScript compiler API.
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Attrs, Dim, DType } from '../../src/ir/types.js';
import { OP_KINDS, type OpKind } from '../../src/ops/kinds.js';
import { OPS } from '../../src/ops/registry.js';
import { FORWARD } from './harness.js';

const f = (...shape: Dim[]) => ({ dtype: 'f32' as DType, shape });
const i = (...shape: Dim[]) => ({ dtype: 'i32' as DType, shape });

/** One representative node per kind (leaves are fed, not lowered). */
const SAMPLES: Partial<Record<OpKind, [{ dtype: DType; shape: Dim[] }[], Attrs][]>> = {
  const: [[[], { value: 0.5 }], [[], { value: 3, dtype: 'i32' }]],
  add: [[[f('batch', 3), f(3)], {}]], sub: [[[f(3), f(3)], {}]], mul: [[[f(3), f()], {}]], div: [[[f(3), f(3)], {}]],
  neg: [[[f(3)], {}]], square: [[[f(3)], {}]], sqrt: [[[f(3)], {}]], exp: [[[f(3)], {}]], log: [[[f(3)], {}]],
  pow: [[[f(3)], { exponent: 3 }], [[f(3)], { exponent: 2 }]],
  relu: [[[f(3)], {}]], sigmoid: [[[f(3)], {}]], tanh: [[[f(3)], {}]], step: [[[f(3)], {}]], abs: [[[f(3)], {}]], sign: [[[f(3)], {}]],
  cast: [[[i(3)], { dtype: 'f32' }]],
  relu_grad: [[[f(3), f(3)], {}]], sigmoid_grad: [[[f(3), f(3)], {}]], tanh_grad: [[[f(3), f(3)], {}]],
  matmul: [[[f('batch', 4), f(4, 3)], {}], [[f('batch', 3), f(4, 3)], { transposeB: true }]],
  reshape: [[[f('batch', 2, 3)], { shape: ['batch', 6] }]],
  transpose: [[[f(2, 3)], { perm: [1, 0] }]],
  broadcast: [[[f('batch', 1)], { shape: ['batch', 4] }], [[f(3)], { shape: [2, 3] }]],
  broadcast_like: [[[f(1, 3), f('batch', 3)], {}]],
  slice: [[[f('batch', 6)], { begin: [0, 2], size: ['batch', 2] }]],
  pad: [[[f('batch', 3)], { paddings: [0, 0, 1, 2] }]],
  concat: [[[f('batch', 2), f('batch', 3)], { axis: 1 }]],
  sum: [[[f('batch', 3)], {}], [[f('batch', 3)], { axes: [1], keepDims: true }]],
  mean: [[[f('batch', 3)], { axes: [0] }]],
  inv_count: [[[f('batch', 3)], { axes: [0] }]],
  max: [[[f('batch', 3)], { axes: [1] }]],
  max_grad: [[[f('batch'), f('batch', 3), f('batch')], { axes: [1] }]],
  argmax: [[[f('batch', 3)], {}]],
  softmax: [[[f('batch', 3)], {}], [[f('batch', 3, 2)], { axis: 1 }]],
  log_softmax: [[[f('batch', 3)], {}], [[f('batch', 3, 2)], { axis: 1 }]],
  dropout_mask: [[[f('batch', 3)], { rate: 0.5 }]],
  training_select: [[[f(3), f(3)], { layer: 'bn' }], [[f(3), f(3)], { layer: 'bn', frozen: true }]],
  softmax_cross_entropy: [[[f('batch', 3), i('batch')], {}]],
  softmax_cross_entropy_grad: [[[f('batch', 3), i('batch'), f('batch')], {}]],
  softmax_cross_entropy_mean_grad: [[[f('batch', 3), i('batch')], {}]],
  sigmoid_cross_entropy: [[[f('batch', 3), f('batch', 3)], {}]],
  sigmoid_cross_entropy_grad: [[[f('batch', 3), f('batch', 3), f('batch', 3)], {}]],
  mse: [[[f('batch', 3), f('batch', 3)], {}]],
  l2: [[[f(3, 4)], {}]],
  one_hot: [[[i('batch')], { depth: 4 }]],
  gather: [[[f(7, 3), i('batch', 4)], {}]],
  unsorted_segment_sum: [[[f('batch', 4, 3), i('batch', 4)], { segments: 7 }]],
  lstm_seq: [[[f('batch', 5, 3), f(3, 8), f(2, 8), f(8), f('batch', 5)], {}]],
  lstm_bptt: [[[f(2, 8), f('batch', 5), f('batch', 5, 12), f('batch', 5, 12)], {}]],
  seq_contract: [[[f('batch', 5, 3), f('batch', 5, 8)], {}]],
  seq_matmul_t: [[[f('batch', 5, 8), f(3, 8)], {}]],
  conv2d: [[[f('batch', 8, 8, 1), f(3, 3, 1, 4)], { padding: 'same' }]],
  conv2d_backprop_input: [[[f('batch', 8, 8, 4), f(3, 3, 1, 4)], { padding: 'same', shape: ['batch', 8, 8, 1] }]],
  conv2d_backprop_filter: [[[f('batch', 8, 8, 1), f('batch', 8, 8, 4)], { padding: 'same', shape: [3, 3, 1, 4] }]],
  max_pool: [[[f('batch', 8, 8, 4)], { size: 2, strides: 2 }]],
  max_pool_grad: [[[f('batch', 4, 4, 4), f('batch', 8, 8, 4), f('batch', 4, 4, 4)], { size: 2, strides: 2 }]],
  avg_pool: [[[f('batch', 8, 8, 4)], { size: 2, strides: 2, padding: 'same' }]],
  avg_pool_grad: [[[f('batch', 4, 4, 4), f('batch', 8, 8, 4)], { size: 2, strides: 2, padding: 'same' }]],
};

const LEAVES: OpKind[] = ['input', 'param'];

function lowerings(): { kind: OpKind; expr: string }[] {
  const out: { kind: OpKind; expr: string }[] = [];
  for (const kind of OP_KINDS) {
    for (const [types, attrs] of SAMPLES[kind] ?? []) {
      const g = new GraphBuilder();
      const xs = types.map((t) => g.add('input', [], { dtype: t.dtype, shape: t.shape }, FORWARD));
      const id = g.add(kind, xs, attrs, FORWARD);
      out.push({ kind, expr: OPS[kind].lower(xs.map((_, k) => `a${k}`), g.nodes[id]!, { training: 'training', rng: 'rng', stepSize: 'stepSize' }) });
    }
  }
  return out;
}

describe('lowerings type-check as emitted', () => {
  it('every lowerable kind has a sample', () => {
    expect(OP_KINDS.filter((k) => !LEAVES.includes(k) && !SAMPLES[k])).toEqual([]);
  });

  it('tsc --strict accepts them all', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const file = `${dir}__lowerings__.ts`;
    const source = [
      "import * as tf from '@tensorflow/tfjs-core';",
      "import * as rt from '../../src/runtime/kernels.js';",
      "import type { Rng } from '../../src/runtime/rng.js';",
      'declare const training: boolean;',
      'declare const rng: Rng;',
      'declare const a0: tf.Tensor, a1: tf.Tensor, a2: tf.Tensor, a3: tf.Tensor, a4: tf.Tensor;',
      ...lowerings().map(({ kind, expr }, k) => `export const v${k}_${kind}: tf.Tensor = ${expr};`),
    ].join('\n');
    const options: ts.CompilerOptions = {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: [],
    };
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (p) => p === file || fileExists.call(host, p);
    host.readFile = (p) => (p === file ? source : readFile.call(host, p));
    host.getSourceFile = (p, lang, ...rest) => (p === file ? ts.createSourceFile(p, source, lang) : getSourceFile.call(host, p, lang, ...rest));
    const program = ts.createProgram([file], options, host);
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file)
      .map((d) => `${source.split('\n')[d.file!.getLineAndCharacterOfPosition(d.start!).line]}\n  ${ts.flattenDiagnosticMessageText(d.messageText, '\n  ')}`);
    expect(errors).toEqual([]);
  });
});
