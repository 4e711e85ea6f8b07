import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { classCount, formatGradcheckTable, gradcheck } from '../../src/autodiff/gradcheck.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import type { TrainingGraph } from '../../src/ir/types.js';
import { optimize } from '../../src/passes/index.js';
import { Fixture, fwd, mlp } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('gradcheck', () => {
  for (const dropout of [undefined, 0.5]) {
    it(`passes on an MLP${dropout ? ' with dropout' : ''}`, async () => {
      const tg = optimize(differentiate(mlp({ dropout, inputs: 20, hidden: 16, classes: 7 }), new DiagnosticSink()));
      const before = tf.memory().numTensors;
      const rows = await gradcheck(tg, { seed: 3, batch: 5 });
      console.log(formatGradcheckTable(rows));
      expect(tf.memory().numTensors).toBe(before);
      expect(rows.map((r) => r.param)).toEqual(['h.weight', 'h.bias', 'logits.weight', 'logits.bias']);
      for (const r of rows) expect(r.pass).toBe(true);
    });
  }

  it('passes on a small CNN with pooling, a shared filter (fan-in) and an embedding', async () => {
    const f = new Fixture();
    const img = f.input('img', ['batch', 6, 6, 2]);
    const tokens = f.input('tokens', ['batch', 3], 'i32');
    const y = f.input('y', ['batch'], 'i32', 'target');
    const k = f.param('c.filter', [3, 3, 2, 2], true, 3);
    const cb = f.param('c.bias', [2], true, 3);
    const table = f.param('e.table', [11, 4], true, 4);
    const w1 = f.param('out.weight', [8, 5], true, 5);
    const w2 = f.param('out.emb_weight', [4, 5], true, 5);
    const g = f.g;
    const o = (label: string, line: number) => fwd(label, line);
    // The filter is used twice: on the image, then on its own output (fan-in into k).
    const conv = g.add('conv2d', [img, k], { padding: 'same' }, o('c', 3));
    const c1 = g.add('relu', [g.add('add', [conv, cb], {}, o('c', 3))], {}, o('c', 3));
    const c2 = g.add('tanh', [g.add('conv2d', [c1, k], { padding: 'same' }, o('c2', 3))], {}, o('c2', 3));
    const pooled = g.add('max_pool', [c2], { size: 3, strides: 3 }, o('p', 3)); // [batch, 2, 2, 2]
    const flat = g.add('reshape', [pooled], { shape: ['batch', 8] }, o('p', 3));
    const emb = g.add('mean', [g.add('gather', [table, tokens], {}, o('e', 4))], { axes: [1] }, o('e', 4)); // [batch, 4]
    const logits = g.add('add', [g.add('matmul', [flat, w1], {}, o('out', 5)), g.add('matmul', [emb, w2], {}, o('out', 5))], {}, o('out', 5));
    const loss = g.add('mean', [g.add('softmax_cross_entropy', [logits, y], {}, o('loss', 6))], {}, o('loss', 6));
    const tg = optimize(differentiate(f.finish(loss), new DiagnosticSink()), { verify: true });
    const rows = await gradcheck(tg, { seed: 4, batch: 3, samples: 4 });
    expect(rows.map((r) => r.param)).toEqual(['c.filter', 'c.bias', 'e.table', 'out.weight', 'out.emb_weight']);
    for (const r of rows) {
      expect(r.pass, formatGradcheckTable(rows)).toBe(true);
      expect(r.fdChecked, formatGradcheckTable(rows)).toBeGreaterThan(0);
    }
  });

  it('passes on regression (mse) and binary (sigmoid cross-entropy) heads sharing a trunk', async () => {
    const f = new Fixture();
    const x = f.input('x', ['batch', 5]);
    const yReg = f.input('yr', ['batch', 2], 'f32', 'target');
    const yBin = f.input('yb', ['batch', 1], 'f32', 'target');
    const w = f.param('trunk.weight', [5, 4], true, 2);
    const wr = f.param('reg.weight', [4, 2], true, 3);
    const wb = f.param('bin.weight', [4, 1], true, 4);
    const bb = f.param('bin.bias', [1], true, 4);
    const g = f.g;
    const h = g.add('sigmoid', [g.add('matmul', [x, w], {}, fwd('trunk', 2))], {}, fwd('trunk', 2));
    const reg = g.add('mean', [g.add('mse', [g.add('matmul', [h, wr], {}, fwd('reg', 3)), yReg], {}, fwd('loss', 5))], {}, fwd('loss', 5));
    const logit = g.add('add', [g.add('matmul', [h, wb], {}, fwd('bin', 4)), bb], {}, fwd('bin', 4));
    const bin = g.add('mean', [g.add('sigmoid_cross_entropy', [logit, yBin], {}, fwd('loss', 5))], {}, fwd('loss', 5));
    const loss = g.add('add', [reg, g.add('mul', [bin, g.add('const', [], { value: 0.5 }, fwd('loss', 5))], {}, fwd('loss', 5))], {}, fwd('loss', 5));
    const tg = optimize(differentiate(f.finish(loss), new DiagnosticSink()), { verify: true });
    const rows = await gradcheck(tg, { seed: 8, batch: 5 });
    expect(rows.map((r) => r.param)).toEqual(['trunk.weight', 'reg.weight', 'bin.weight', 'bin.bias']);
    for (const r of rows) {
      expect(r.pass, formatGradcheckTable(rows)).toBe(true);
      expect(r.fdChecked, formatGradcheckTable(rows)).toBeGreaterThan(0);
    }
  });

  it('fails a parameter whose compiled gradient is wrong, and only that one', async () => {
    const tg = optimize(differentiate(mlp(), new DiagnosticSink()));
    // Point h.bias's gradient at 1.01 × the true one: a 1% error.
    const g = new GraphBuilder(tg.graph);
    const origin = tg.graph.nodes[tg.grads['h.bias']!]!.origin;
    const scaled = g.add('mul', [tg.grads['h.bias']!, g.add('const', [], { value: 1.01 }, origin)], {}, origin);
    const broken: TrainingGraph = { ...tg, graph: g.build(), grads: { ...tg.grads, 'h.bias': scaled } };
    const rows = await gradcheck(broken, { seed: 1, batch: 4 });
    expect(rows.filter((r) => !r.pass).map((r) => r.param)).toEqual(['h.bias']);
    const bad = rows.find((r) => r.param === 'h.bias')!;
    expect(bad.relError).toBeGreaterThan(5e-3);
    expect(bad.fdRelError).toBeGreaterThan(5e-3);
    expect(formatGradcheckTable(rows).split('\n').find((l) => l.startsWith('h.bias'))).toMatch(/FAIL$/);
  });

  it('takes the class count of integer labels from the logits they meet, unless told', () => {
    const tg = differentiate(mlp({ classes: 7 }), new DiagnosticSink());
    const labels = tg.inputs.find((i) => i.type.dtype === 'i32')!.id;
    expect(classCount(tg, labels, undefined)).toBe(7);
    expect(classCount(tg, labels, 3)).toBe(3);
  });
});
