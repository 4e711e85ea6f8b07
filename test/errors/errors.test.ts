// Invalid specs: each `cases/X.nn` (or `X.json`) is run through the whole front
// end (parse + schema + names) and its rendered diagnostics are compared with
// `cases/X.errors.txt`. UPDATE_GOLDEN=1 rewrites the expectations.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { frontEnd } from '../../src/syntax/index.js';

const dir = join(import.meta.dirname, 'cases');
const update = process.env.UPDATE_GOLDEN === '1';

function run(text: string, file: string): { rendered: string; sink: DiagnosticSink } {
  const sink = new DiagnosticSink();
  const spec = frontEnd(text, file, sink);
  expect(spec).toBeNull();
  return { rendered: renderDiagnostics(sink.items, new Map([[file, text]])) + '\n', sink };
}

function compare(rendered: string, expectedPath: string): void {
  if (update || !existsSync(expectedPath)) writeFileSync(expectedPath, rendered);
  expect(rendered).toBe(readFileSync(expectedPath, 'utf8'));
}

const cases = readdirSync(dir).filter((f) => f.endsWith('.nn') || f.endsWith('.json')).sort();

describe('invalid specs', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of cases) {
    it(name, () => {
      const text = readFileSync(join(dir, name), 'utf8');
      const { rendered, sink } = run(text, name);
      expect(sink.errorCount).toBeGreaterThan(0);
      for (const d of sink.items) {
        expect(d.span, `${d.code} has a location`).not.toBeNull();
        expect(d.span!.offset + d.span!.length).toBeLessThanOrEqual(text.length);
      }
      compare(rendered, join(dir, name.replace(/\.(nn|json)$/, '.errors.txt')));
    });
  }

  it('a 5 MB file (generated here, not committed)', () => {
    const line = '  h = dense(x, 8)  # padding padding padding padding padding padding\n';
    const text = 'model huge\nnet {\n' + line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)) + '}\n';
    expect(text.length).toBeGreaterThan(5 * 1024 * 1024);
    const { rendered, sink } = run(text, 'huge.nn');
    expect(sink.items.map((d) => d.code)).toEqual(['NNC1007']);
    compare(rendered, join(dir, 'huge-generated.errors.txt'));
  });
});
