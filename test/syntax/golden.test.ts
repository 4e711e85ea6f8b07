// Parser golden cases: each `cases/X.nn` parses without diagnostics to exactly
// `cases/X.ast.json` (spans included). UPDATE_GOLDEN=1 rewrites the JSON.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { parseSpec } from '../../src/syntax/parse.js';

const dir = join(import.meta.dirname, 'cases');
const update = process.env.UPDATE_GOLDEN === '1';

describe('parser golden cases', () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.nn')).sort()) {
    it(name, () => {
      const sink = new DiagnosticSink();
      const spec = parseSpec(readFileSync(join(dir, name), 'utf8'), name, sink);
      expect(sink.items).toEqual([]);
      const json = JSON.stringify(spec, null, 2) + '\n';
      const golden = join(dir, name.replace(/\.nn$/, '.ast.json'));
      if (update || !existsSync(golden)) writeFileSync(golden, json);
      expect(json).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
