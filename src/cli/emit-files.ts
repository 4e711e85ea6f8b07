// Compiling a spec to a trainer directory: shared by `compile` and `train`.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emitTrainer, type EmitOptions } from '../emit/index.js';
import { readRuntimeFiles } from '../emit/runtime-files.js';
import type { Compiled } from '../pipeline.js';
import { VERSION } from '../version.js';

export function emitFiles(compiled: Compiled, specFile: string, sourceText: string): { path: string; text: string }[] {
  return emitTrainer(compiled.model, compiled.training, emitOptions(compiled, specFile, sourceText)).files;
}

/** What `nnc compile` hands the emitter for a compiled spec. */
export function emitOptions(compiled: Compiled, specFile: string, sourceText: string): EmitOptions {
  return {
    specPath: specFile,
    compilerVersion: VERSION,
    sourceText,
    runtimeFiles: readRuntimeFiles(),
    phaseGraphs: compiled.phases,
    usedSources: compiled.used,
  };
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
