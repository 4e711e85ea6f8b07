// Property test for JSON specs: random JSON and damaged ASTs never make the
// front end throw, and every diagnostic points inside the JSON file.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { frontEnd } from '../../src/syntax/index.js';
import { parseSpec } from '../../src/syntax/parse.js';

const root = join(import.meta.dirname, '..', '..');
const ast = parseSpec(readFileSync(join(root, 'specs/mnist-mlp.nn'), 'utf8'), 'mnist-mlp.nn', new DiagnosticSink());

/** Every [container, key] pair of a JSON value, so one can be damaged. */
function slots(v: unknown, out: [Record<string, unknown>, string][] = []): [Record<string, unknown>, string][] {
  if (typeof v === 'object' && v !== null) {
    for (const k of Object.keys(v)) {
      out.push([v as Record<string, unknown>, k]);
      slots((v as Record<string, unknown>)[k], out);
    }
  }
  return out;
}

function checkInside(text: string): void {
  const sink = new DiagnosticSink();
  frontEnd(text, 'spec.json', sink);
  for (const d of sink.items) {
    if (d.span === null || d.span.file !== 'spec.json') continue;
    expect(d.span.offset + d.span.length).toBeLessThanOrEqual(text.length);
  }
}

describe('JSON specs under mutation', () => {
  it('random JSON documents are rejected without throwing', () => {
    fc.assert(fc.property(fc.json(), (text) => checkInside(text)), { numRuns: 200, seed: 11 });
  });

  it('damaged ASTs are rejected or accepted without throwing', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constant(undefined), fc.jsonValue())), { minLength: 1, maxLength: 3 }), (edits) => {
        const copy = JSON.parse(JSON.stringify(ast)) as unknown;
        for (const [at, value] of edits) {
          const all = slots(copy);
          const slot = all[at % all.length];
          if (!slot) continue;
          if (value === undefined) delete slot[0][slot[1]];
          else slot[0][slot[1]] = value;
        }
        checkInside(JSON.stringify(copy, null, 1));
      }),
      { numRuns: 200, seed: 12 },
    );
  });
});
