// Property test: mutated valid specs (characters and tokens deleted, inserted,
// swapped) never make the front end throw, and every diagnostic it reports
// points inside the file. Seeded and bounded so it is fast and repeatable.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { frontEnd } from '../../src/syntax/index.js';

const root = join(import.meta.dirname, '..', '..');
const seeds = ['specs/mnist-mlp.nn', 'specs/mnist-finetune.nn', 'test/syntax/cases/def-residual.nn', 'test/syntax/cases/fine-tuning-forms.nn'].map((f) =>
  readFileSync(join(root, f), 'utf8'),
);
const SNIPPETS = ['{', '}', '(', ')', '[', ']', ',', ':', '=', '.', '*', '-', '<-', '"', '#', '\n', '1e', '0.5', 'net', 'model', 'freeze', 'train', 'epoch', 'dense(', ';', '\u0000', 'é', '\t'];

type Edit = { kind: 'delete' | 'insert' | 'swap' | 'dropToken' | 'dupToken'; at: number; len: number; snippet: string };

const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'swap', 'dropToken', 'dupToken'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 12 }),
  snippet: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 4 })),
});

/** Applies one edit; token edits act on whitespace-separated words. */
function apply(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % text.length;
  switch (e.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + e.len);
    case 'insert':
      return text.slice(0, at) + e.snippet + text.slice(at);
    case 'swap': {
      const b = Math.min(text.length - 1, at + e.len);
      if (b <= at) return text;
      return text.slice(0, at) + text[b] + text.slice(at + 1, b) + text[at] + text.slice(b + 1);
    }
    case 'dropToken':
    case 'dupToken': {
      const words = text.split(/(\s+)/);
      const i = (e.at % Math.max(1, words.length)) & ~1; // even indexes are words
      if (words[i] === undefined) return text;
      if (e.kind === 'dropToken') words.splice(i, 1, '');
      else words.splice(i, 0, words[i] as string, ' ');
      return words.join('');
    }
  }
}

describe('front end under mutation', () => {
  it('never throws and keeps every span inside the file', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds.keys()), fc.array(edit, { minLength: 1, maxLength: 4 }), (which, edits) => {
        const text = edits.reduce(apply, seeds[which] as string);
        const sink = new DiagnosticSink();
        frontEnd(text, 'f.nn', sink);
        for (const d of sink.items) {
          for (const span of [d.span, ...(d.related ?? []).map((r) => r.span)]) {
            if (span === null) continue;
            expect(span.offset).toBeGreaterThanOrEqual(0);
            expect(span.offset + span.length).toBeLessThanOrEqual(text.length);
            expect(span.line).toBeGreaterThanOrEqual(1);
            expect(span.column).toBeGreaterThanOrEqual(1);
            const lineStart = text.split('\n').slice(0, span.line - 1).join('\n').length + (span.line > 1 ? 1 : 0);
            expect(lineStart + span.column - 1).toBe(span.offset);
          }
        }
      }),
      { numRuns: 300, seed: 20261128 },
    );
  });
});
