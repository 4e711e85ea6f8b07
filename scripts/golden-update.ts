// `npm run golden:update`: rewrite generated/ from specs/ (review the diff before committing).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { compileGolden, specFiles } from '../src/golden.js';
import { writeFiles } from '../src/cli/emit-files.js';

const root = process.cwd();
for (const spec of specFiles(root)) {
  const g = compileGolden(root, spec);
  rmSync(join(root, g.outDir), { recursive: true, force: true });
  writeFiles(join(root, g.outDir), g.files);
  console.log(`${spec} -> ${g.outDir}/ (${g.files.length} files)`);
}
