// Name resolution: the shipped specs pass, and each kind of naming mistake is
// reported with the right code and a did-you-mean hint (more cases with full
// rendered output live in test/errors/cases).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNames } from '../../src/check/names.js';
import { ACTIVATIONS, DATA_SOURCES, FUNCTIONS, INITIALISERS, LAYERS, OPTIMIZERS, SCHEDULES } from '../../src/check/signatures.js';
import { closest } from '../../src/check/suggest.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { frontEnd } from '../../src/syntax/index.js';
import { parseSpec } from '../../src/syntax/parse.js';

const root = join(import.meta.dirname, '..', '..');

function codes(text: string): string[] {
  const sink = new DiagnosticSink();
  frontEnd(text, 't.nn', sink);
  return sink.items.map((d) => `${d.code}${d.hint ? ` ${d.hint}` : ''}`);
}

const head = 'model m\ninput x: f32[4]\ntarget y: class(3)\n';

describe('names', () => {
  for (const f of readdirSync(join(root, 'specs')).filter((n) => n.endsWith('.nn'))) {
    it(`specs/${f} passes the front end`, () => {
      const sink = new DiagnosticSink();
      expect(frontEnd(readFileSync(join(root, 'specs', f), 'utf8'), f, sink)).not.toBeNull();
      expect(sink.items).toEqual([]);
    });
  }

  it('resolves names of a used spec when it is given, and reports real misses', () => {
    const base = parseSpec(readFileSync(join(root, 'specs/mnist-mlp.nn'), 'utf8'), 'mnist-mlp.nn', new DiagnosticSink());
    const ft = parseSpec('model ft\nuse "mnist-mlp.nn"\nreplace logits = dense(hdd, 5)\nfreeze hh\n', 'ft.nn', new DiagnosticSink());
    const sink = new DiagnosticSink();
    checkNames(ft, sink, { imported: [base] });
    expect(sink.items.map((d) => [d.code, d.hint])).toEqual([
      ['NNC3001', 'did you mean `hd`?'],
      ['NNC3016', 'did you mean `h`?'],
    ]);
  });

  it('without the used spec, unknown names are not guessed at', () => {
    expect(codes('model ft\nuse "base.nn"\nreplace head = dense(trunk, 5)\nfreeze trunk\n')).toEqual([]);
  });

  it('reports each naming mistake with its code', () => {
    expect(codes(`${head}net { logits = dense(x, 3, activation: sigmod) }\nloss = cross_entropy(logits, y)\n`)).toEqual(['NNC3004 did you mean `sigmoid`?']);
    expect(codes(`${head}net { logits = dense(x, 3) }\nloss = cross_entropy(logits, y)\noptimizer = rmsprop(lr: 1e-3, roh: 0.9)\n`)).toEqual(['NNC3008 did you mean `rho`?']);
    expect(codes(`${head}net { logits = dense(x, 3) }\nloss = cross_entropy(logits, y)\ntrain { epochs: 2.5 }\n`)).toEqual(['NNC3010']);
    expect(codes(`${head}net { logits = dense(x, 3) }\nloss = cross_entropy(logits, yy)\n`)).toEqual(['NNC3001 did you mean `y`?']);
    expect(codes(`${head}def dense(x) { return x }\nnet { logits = dense(x, 3) }\nloss = cross_entropy(logits, y)\n`)[0]).toMatch(/^NNC3002/);
  });

  it('accepts every optimizer, schedule, source and initialiser in the table by name', () => {
    for (const o of OPTIMIZERS.keys()) expect(codes(`${head}net { l = dense(x, 3) }\nloss = cross_entropy(l, y)\noptimizer = ${o}\n`), o).toEqual([]);
    for (const s of ['constant', 'cosine', 'poly', 'exponential', 'inverse']) expect(codes(`${head}net { l = dense(x, 3) }\nloss = mse(l, y)\nschedule = ${s}(warmup: 2 steps)\n`), s).toEqual([]);
    for (const i of INITIALISERS.keys()) if (i !== 'constant') expect(codes(`${head}net { l = dense(x, 3, init: ${i}) }\nloss = mse(l, y)\n`), i).toEqual([]);
    expect(DATA_SOURCES.has('split') && LAYERS.has('lstm') && FUNCTIONS.has('binary_cross_entropy')).toBe(true);
    for (const a of ACTIVATIONS) expect(codes(`${head}net { l = dense(x, 3, activation: ${a}) }\nloss = mse(l, y)\n`), a).toEqual([]);
  });

  it('suggests only close names', () => {
    expect(closest('adma', ['adam', 'sgd'])).toBe('adam');
    expect(closest('Dense', ['dense'])).toBe('dense');
    expect(closest('zzzzzz', ['dense', 'relu'])).toBeNull();
  });
});

describe('near-miss wording', () => {
  it('suggests a known name contained in, or extending, the unknown one', () => {
    expect(closest('dense_layer', ['conv2d', 'dense'])).toBe('dense');
    expect(closest('glorot', ['glorot_uniform', 'he_normal'])).toBe('glorot_uniform');
    expect(closest('my_thing', ['dense'])).toBeNull();
  });
});
