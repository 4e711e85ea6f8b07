// Writes emitted trainers to disk (inside the repo, so node_modules resolve;
// under the gitignored .nnc-cache/, outside tsconfig's include) and checks
// them with the TypeScript compiler API, as `tsc --noEmit --strict` would.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import type { EmittedFiles } from '../../src/emit/index.js';

export const OUT_ROOT = resolve(import.meta.dirname, '../../.nnc-cache/test-emit');

export function writeEmitted(name: string, emitted: EmittedFiles): string {
  const dir = join(OUT_ROOT, name);
  rmSync(dir, { recursive: true, force: true });
  for (const f of emitted.files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
  }
  return dir;
}

/** Type errors of the given entry files (and everything they import), strict mode. */
export function typeErrors(entries: readonly string[]): string[] {
  const program = ts.createProgram([...entries], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
    const file = d.file ? d.file.fileName.replace(OUT_ROOT + '/', '') : '';
    return `${file}${where ? `:${where.line + 1}:${where.character + 1}` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
