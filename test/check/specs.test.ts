// Every example spec under specs/ checks, with the expected parameter count.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../../src/check/index.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { frontEnd } from '../../src/syntax/index.js';
import { paramCount } from './helpers.js';

const SPECS = 'specs';

function checkFile(file: string) {
  const sink = new DiagnosticSink();
  const sources = new Map<string, string>();
  const read = (f: string) => {
    const text = readFileSync(f, 'utf8');
    sources.set(f, text);
    return text;
  };
  const spec = frontEnd(read(file), file, sink);
  const model =
    spec &&
    checkModel(spec, sink, {
      resolveUse: (path, from) => {
        const f = join(dirname(from), path);
        return existsSync(f) ? frontEnd(read(f), f, sink) : null;
      },
    });
  return { model, text: renderDiagnostics(sink.items, sources) };
}

/** Expected parameter totals of the worked examples. */
const EXPECTED: Record<string, number> = {
  'digits.nn': 64 * 64 + 64 + 64 * 10 + 10,
  'mnist-mlp.nn': 784 * 256 + 256 + 256 * 10 + 10,
  // The MNIST MLP with a 5-way head.
  'mnist-finetune.nn': 784 * 256 + 256 + 256 * 5 + 5,
};

describe('specs/*.nn', () => {
  const files = readdirSync(SPECS).filter((f) => f.endsWith('.nn'));
  it('has the worked examples', () => {
    expect(files).toEqual(expect.arrayContaining(Object.keys(EXPECTED)));
  });
  for (const f of Object.keys(EXPECTED)) {
    it(`${f} checks with ${EXPECTED[f]} parameters`, () => {
      const r = checkFile(join(SPECS, f));
      expect(r.text).toBe('');
      expect(paramCount(r.model!)).toBe(EXPECTED[f]);
    });
  }
  for (const f of files.filter((f) => !(f in EXPECTED))) {
    it(`${f} checks, or fails with located diagnostics only`, () => {
      const r = checkFile(join(SPECS, f));
      if (r.model === null) expect(r.text).toMatch(/^\S+:\d+:\d+: error NNC\d{4}: /);
      else expect(paramCount(r.model)).toBeGreaterThan(0);
    });
  }
});
