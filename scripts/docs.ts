// `npm run docs`: regenerate docs/diagnostics.md.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnosticsDoc } from '../src/diagnostics/docs.js';

export function errorCases(root: string): Map<string, string> {
  const dir = join(root, 'test/errors/cases');
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.errors.txt'))
      .map((f) => [f.replace(/\.errors\.txt$/, '.nn'), readFileSync(join(dir, f), 'utf8')]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.cwd();
  writeFileSync(join(root, 'docs/diagnostics.md'), diagnosticsDoc(errorCases(root)));
  console.log('wrote docs/diagnostics.md');
}
