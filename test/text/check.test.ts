// Text inputs in the checker (text(vocab:, length:), embedding, masked
// poolings, binary metrics), and the compiled gradients of embedding + masked
// mean and max pooling against tf.grads and finite differences.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { compileSource } from '../../src/pipeline.js';
import { check } from '../check/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const spec = (net: string, extra = '') => `model t
input review: text(vocab: 50, length: 6)
target positive: binary
net {
${net}
}
loss = binary_cross_entropy(logit, positive)
${extra}`;

describe('text inputs in the checker', () => {
  it('text(vocab: N, length: L) is i32[batch, L] token ids; embedding owns a [vocab, dim] table', () => {
    const c = check(spec('  e = embedding(review, 8)\n  p = mean_pool(e)\n  logit = dense(p, 1)', 'train { metrics: [accuracy, precision, recall, f1, roc_auc] }'));
    expect(c.text).toBe('');
    const m = c.model!;
    expect(m.forward.inputs.find((i) => i.name === 'review')!.type).toEqual({ dtype: 'i32', shape: ['batch', 6] });
    expect(m.forward.params.find((p) => p.name === 'e.weight')!.type.shape).toEqual([50, 8]);
    expect(m.train.metrics).toEqual(['accuracy', 'precision', 'recall', 'f1', 'roc_auc']);
  });

  it('reports a missing or bad vocab/length, embedding of a non-text value, pooling without a text source', () => {
    expect(check(spec('  e = embedding(review, 8)\n  logit = dense(mean_pool(e), 1)').replace('text(vocab: 50, length: 6)', 'text(vocab: 50)')).text).toMatch(/`text` needs `length:`/);
    expect(check(spec('  e = embedding(review, 8)\n  logit = dense(mean_pool(e), 1)').replace('vocab: 50', 'vocab: 2')).text).toMatch(/`vocab` must be an integer ≥ 3/);
    const notText = check(`model t
input x: f32[4, 3]
target positive: binary
net {
  e = embedding(x, 8)
  logit = dense(mean_pool(x), 1)
}
loss = binary_cross_entropy(logit, positive)
`);
    expect(notText.text).toMatch(/embedding expects token ids from a text input/);
    expect(notText.text).toMatch(/mean_pool masks padding, but .* does not come from a text input/);
  });

  it('binary metrics need a binary target', () => {
    const c = check(`model t
input x: f32[4]
target y: class(3)
net { logits = dense(x, 3) }
loss = cross_entropy(logits, y)
train { metrics: [accuracy, roc_auc] }
`);
    expect(c.text).toMatch(/metric `roc_auc` is for a binary target/);
  });
});

describe('gradients through embedding and masked pooling', () => {
  for (const pool of ['mean_pool', 'max_pool_time']) {
    it(`${pool}: every parameter matches tf.grads and finite differences`, async () => {
      const text = spec(`  e = embedding(review, 5)\n  p = ${pool}(e)\n  logit = dense(p, 1)`);
      const sink = new DiagnosticSink();
      const compiled = compileSource({ file: 'spec.nn', text }, sink);
      expect(sink.items.map((d) => d.message)).toEqual([]);
      const rows = await gradcheck(compiled!.training, { seed: 3, batch: 4, samples: 6 });
      expect(rows.map((r) => r.param).sort()).toEqual(['e.weight', 'logit.bias', 'logit.weight']);
      for (const r of rows) {
        expect(r.fdRelError, `${r.param} vs finite differences`).toBeLessThanOrEqual(2e-2);
        // A token repeated in a sentence ties with itself in the max. tfjs's max gradient gives dy to every
        // tied position (2·dy for max(w, w) = w); ours shares it (TensorFlow's rule), which finite differences confirm.
        if (pool === 'max_pool_time' && r.param === 'e.weight') continue;
        expect(r.relError, r.param).toBeLessThanOrEqual(1e-4);
        expect(r.pass, `${r.param}: fd ${r.fdRelError}`).toBe(true);
      }
    });
  }
});
