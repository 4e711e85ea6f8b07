// Every example spec's whole backward graph, raw and optimised, against
// tf.grads of its forward and finite differences (the same check as
// `nnc gradcheck`), plus the verifier on both graphs.
import { readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { SourceSet } from '../../src/cli/source.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { verifyForwardGraph } from '../../src/ir/verify.js';
import { compileSource } from '../../src/pipeline.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const specs = readdirSync('specs')
  .filter((f) => f.endsWith('.nn'))
  .sort();

describe('whole-spec gradients', () => {
  it('has the worked examples to check', () => {
    expect(specs).toEqual(expect.arrayContaining(['digits.nn', 'mnist-mlp.nn']));
  });

  for (const file of specs) {
    it(`${file}: every trainable parameter matches tf.grads to 1e-4 (raw and optimised)`, async () => {
      const sources = new SourceSet();
      const sink = new DiagnosticSink();
      const compiled = compileSource(sources.readArgument(`specs/${file}`), sink, { readSource: sources.readUsed });
      if (compiled === null) {
        // A spec the front end refuses is another test's failure; say so rather than pass silently.
        console.warn(`${file}: not compiled: ${sink.items.map((d) => `${d.code} ${d.message}`).join('; ')}`);
        expect(sink.hasErrors).toBe(true);
        return;
      }
      for (const tg of [compiled.raw, compiled.training]) {
        expect(verifyForwardGraph(tg)).toEqual([]);
        const rows = await gradcheck(tg, { seed: 5, batch: 3, classes: compiled.model.classes ?? undefined, samples: 3 });
        expect(rows.length).toBe(tg.params.filter((p) => p.trainable).length);
        for (const r of rows) {
          expect(r.relError, r.param).toBeLessThanOrEqual(1e-4);
          expect(r.pass, r.param).toBe(true);
        }
      }
      // A convolutional spec (mnist-cnn) runs its conv kernels on the pure-JS cpu backend: slow.
    }, 300_000);
  }
});
