// Every specs/*.nn compiles byte-for-byte to its committed generated/ directory,
// and compiling twice gives the same bytes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileGolden, specFiles } from '../../src/golden.js';

const root = join(import.meta.dirname, '..', '..');

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

describe('golden: specs/ compile to generated/', () => {
  const specs = specFiles(root);
  it('there are specs', () => expect(specs.length).toBeGreaterThanOrEqual(3));
  for (const spec of specs) {
    it(spec, () => {
      const g = compileGolden(root, spec);
      const dir = join(root, g.outDir);
      expect(existsSync(dir), `${g.outDir} missing: run npm run golden:update`).toBe(true);
      expect(listFiles(dir).sort()).toEqual(g.files.map((f) => f.path).sort());
      for (const f of g.files) {
        expect(readFileSync(join(dir, f.path), 'utf8'), `${g.outDir}/${f.path} is stale: run npm run golden:update`).toBe(f.text);
      }
      expect(compileGolden(root, spec).files).toEqual(g.files);
    });
  }
});
