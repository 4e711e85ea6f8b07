import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { formatGradcheckTable, gradcheck } from '../../src/autodiff/gradcheck.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
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
});
