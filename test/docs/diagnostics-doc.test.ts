// docs/diagnostics.md lists every catalogue code and is up to date.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { diagnosticsDoc } from '../../src/diagnostics/docs.js';
import { CATALOGUE } from '../../src/diagnostics/catalogue.js';
import { errorCases } from '../../scripts/docs.js';

const root = join(import.meta.dirname, '..', '..');

it('docs/diagnostics.md is generated from the catalogue (run npm run docs)', () => {
  const doc = readFileSync(join(root, 'docs/diagnostics.md'), 'utf8');
  expect(doc).toBe(diagnosticsDoc(errorCases(root)));
  for (const code of Object.keys(CATALOGUE)) expect(doc).toContain(`### ${code}:`);
});
