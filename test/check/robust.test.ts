// The checker never throws on a schema-valid spec: numbers and names of the
// example specs are mutated at random (fast-check, seeded), and every run must
// end in a model or in located diagnostics.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../../src/check/index.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { parseSpec, validateSpec } from '../../src/syntax/index.js';
import { check, checkUnnamed } from './helpers.js';

const SEEDS = ['specs/digits.nn', 'specs/mnist-mlp.nn'].map((f) => readFileSync(f, 'utf8'));
SEEDS.push(`model d
input x: f32[16]
target y: class(4)
def residual(x, units) {
  param w: [dim(x, -1), units] init he_normal
  param b: [units] init zeros
  return x + relu(x @ w + b)
}
net {
  r = residual(x, 16)
  s = softmax(r, axis: -1)
  logits = dense(s - mean(r), 4, init: normal(std: 0.1))
}
loss = cross_entropy(logits, y, label_smoothing: 0.1) + 0.01 * l2(r.w)
optimizer = momentum(lr: 0.1, momentum: 0.9)
schedule = multistep(milestones: [2 epoch, 4 epoch], gamma: 0.5)
train { epochs: 3, batch: 8, patience: 2 }
freeze r
phases { 1: { epochs: 1 }, 2: { unfreeze: r, epochs: 2 } }
`);

const NUMBERS = ['0', '-1', '1', '2', '0.5', '1e-3', '3', '16', '10', '1e9', '1/0', '-0.5'];
const NAMES = ['x', 'y', 'r', 'h', 'logits', 'relu', 'dense', 'flatten', 'residual', 'dim', 'digit', 'image', 'pixels', 'mse', 'l2', 'train', 'all', 'w', 'b', 'softmax', 'he_normal', 'epoch'];

/** Replaces the n-th number or identifier-like token of `text`. */
function mutate(text: string, edits: { at: number; number: boolean; pick: number }[]): string {
  let out = text;
  for (const e of edits) {
    const re = e.number ? /(?<![\w.])\d+(\.\d+)?(e-?\d+)?(?![\w.])/g : /(?<![\w."])[a-z_][a-z0-9_]*(?![\w"])/g;
    const hits = [...out.matchAll(re)];
    if (hits.length === 0) continue;
    const h = hits[e.at % hits.length]!;
    const repl = e.number ? NUMBERS[e.pick % NUMBERS.length]! : NAMES[e.pick % NAMES.length]!;
    out = out.slice(0, h.index) + repl + out.slice(h.index! + h[0].length);
  }
  return out;
}

function located(sink: DiagnosticSink, text: string): boolean {
  return sink.items.every((d) => d.span === null || (d.span.offset >= 0 && d.span.offset + d.span.length <= text.length + 1 && d.span.line >= 1));
}

describe('robustness', () => {
  it('mutated specs end in a model or located diagnostics, never an exception', () => {
    const edit = fc.record({ at: fc.nat(200), number: fc.boolean(), pick: fc.nat(100) });
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (seed, edits) => {
        const text = mutate(SEEDS[seed]!, edits);
        for (const run of [check, checkUnnamed]) {
          const r = run(text);
          if (r.model === null && r.reachedChecker) expect(r.sink.items.filter((d) => d.severity === 'error').length).toBeGreaterThan(0);
          expect(located(r.sink, text)).toBe(true);
        }
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('a schema-valid spec checked without its name checks does not throw either', () => {
    const sink = new DiagnosticSink();
    const spec = validateSpec(parseSpec('model m\ninput x: f32[4]\nnet {\n  a = nosuch(x)\n  b = a.weight\n}\nloss = b\n', 'm.nn', sink), sink);
    expect(spec).not.toBeNull();
    expect(checkModel(spec!, sink)).toBeNull();
    // Only the root cause: `b` and the loss depend on the failed `a` and stay quiet.
    expect(sink.items.map((d) => d.code)).toEqual(['NNC3003']);
  });
});

describe('purity', () => {
  it('leaves the spec untouched and gives the same model twice', () => {
    const sink = new DiagnosticSink();
    const spec = validateSpec(parseSpec(SEEDS[2]!, 'd.nn', sink), sink)!;
    const before = JSON.stringify(spec);
    const a = checkModel(spec, new DiagnosticSink());
    const b = checkModel(spec, new DiagnosticSink());
    expect(JSON.stringify(spec)).toBe(before);
    expect(a).not.toBeNull();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
