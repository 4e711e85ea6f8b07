// Compiling a spec to a trainer directory: shared by `compile` and `train`.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitTrainer } from '../emit/index.js';
import type { Compiled } from '../pipeline.js';
import { VERSION } from '../version.js';

/** The runtime library copied next to every trainer. */
export function runtimeFiles(): { path: string; text: string }[] {
  const dir = fileURLToPath(new URL('../runtime/', import.meta.url));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => ({ path: `runtime/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

export function emitFiles(compiled: Compiled, specFile: string, sourceText: string): { path: string; text: string }[] {
  return emitTrainer(compiled.model, compiled.training, {
    specPath: specFile,
    compilerVersion: VERSION,
    sourceText,
    runtimeFiles: runtimeFiles(),
    phaseGraphs: compiled.phases,
    usedSources: compiled.used,
  }).files;
}

/** Writes each file through a temporary name and a rename, so a crash never leaves half a trainer. */
export function writeFiles(outDir: string, files: readonly { path: string; text: string }[]): void {
  for (const f of files) {
    const target = join(outDir, f.path);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, f.text);
    renameSync(tmp, target);
  }
}
