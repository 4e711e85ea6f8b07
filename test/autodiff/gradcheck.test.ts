import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { classCount, formatGradcheckTable, gradcheck } from '../../src/autodiff/gradcheck.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import type { TrainingGraph } from '../../src/ir/types.js';
import { optimize } from '../../src/passes/index.js';
import { mlp } from './fixtures.js';

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
