// A spec that `use`s another may redeclare an inherited target (a new task's
// classes): the name checks agree with the checker that its own statement wins.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { compileSource } from '../../src/pipeline.js';

const root = join(import.meta.dirname, '..', '..');
const base = { file: 'specs/mnist-mlp.nn', text: readFileSync(join(root, 'specs/mnist-mlp.nn'), 'utf8') };

function compile(text: string) {
  const sink = new DiagnosticSink();
  const compiled = compileSource({ file: 'specs/ft.nn', text }, sink, { readSource: () => base });
  return { compiled, codes: sink.items.filter((d) => d.severity === 'error').map((d) => d.code) };
}

it('a redeclared inherited target overrides the base one, and the new head must match it', () => {
  const head = 'model ft\nuse "mnist-mlp.nn"\nreplace logits = dense(hd, 5)\n';
  const ok = compile(`${head}target digit: class(5)\n`);
  expect(ok.codes).toEqual([]);
  expect(ok.compiled?.model.classes).toBe(5);
  // Without the redeclaration, a 5-unit head against the inherited class(10) is an error, not a silent change.
  expect(compile(head).codes).toContain('NNC3020');
  // A name bound twice in the spec itself is still an error.
  expect(compile(`${head}target digit: class(5)\ntarget digit: class(5)\n`).codes).toContain('NNC3002');
});
