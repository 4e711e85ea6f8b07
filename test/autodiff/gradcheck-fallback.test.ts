// When tfjs cannot differentiate a kernel of the forward (simulated here by
// a Relu gradient that throws), gradcheck still runs: finite differences alone
// decide, and the table says why the tf.grad column is empty.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { formatGradcheckTable, gradcheck } from '../../src/autodiff/gradcheck.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { mlp } from './fixtures.js';

const original = tf.getGradient('Relu')!;

beforeAll(async () => {
  await tf.setBackend('cpu');
  tf.registerGradient({ ...original, gradFunc: () => { throw new Error('no gradient for Relu'); } });
});

afterAll(() => {
  tf.registerGradient(original);
});

describe('gradcheck without a tfjs reference', () => {
  it('falls back to finite differences and says so', async () => {
    const tg = differentiate(mlp(), new DiagnosticSink());
    const rows = await gradcheck(tg, { seed: 1, batch: 4 });
    const table = formatGradcheckTable(rows);
    for (const r of rows) {
      expect(r.referenceError).toContain('no gradient for Relu');
      expect(Number.isNaN(r.relError)).toBe(true);
      expect(r.fdChecked).toBeGreaterThan(0);
      expect(r.pass, table).toBe(true);
    }
    expect(table).toContain('note: tf.grad could not differentiate the forward (no gradient for Relu); finite differences alone decide');
    expect(table.split('\n')[2]).toMatch(/^h\.weight\s+\[4, 5\]\s+n\/a\s+n\/a\s+\S+ \(\d pts/);
  });
});
