// The golden set: every specs/*.nn compiled in memory, exactly as
// `nnc compile` would write it. Used by the golden test and `npm run golden:update`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSink } from './diagnostics/diagnostic.js';
import { renderDiagnostics } from './diagnostics/render.js';
import { compileSource, type Compiled, type PipelineOptions, type SourceFile } from './pipeline.js';
import { emitFiles } from './cli/emit-files.js';

export interface GoldenCase {
  spec: string;
  outDir: string;
  files: { path: string; text: string }[];
}

export function specFiles(root: string): string[] {
  return readdirSync(join(root, 'specs'))
    .filter((f) => f.endsWith('.nn'))
    .sort()
    .map((f) => `specs/${f}`);
}

/** Compiles one spec (paths relative to `root`); throws with rendered diagnostics if it does not compile. */
export function compileGolden(root: string, spec: string): GoldenCase {
  const { compiled, src } = compileSpecAt(root, spec);
  return { spec, outDir: `generated/${compiled.model.name}`, files: emitFiles(compiled, src.file, src.text) };
}

/** The compiled spec and its source, as `nnc compile` sees them (before emission). */
export function compileSpecAt(root: string, spec: string, opts: Pick<PipelineOptions, 'without'> = {}): { compiled: Compiled; src: SourceFile } {
  const read = (path: string): SourceFile => ({ file: path, text: readFileSync(join(root, path), 'utf8') });
  const src = read(spec);
  const texts = new Map([[src.file, src.text]]);
  const sink = new DiagnosticSink();
  const compiled = compileSource(src, sink, {
    ...opts,
    readSource: (path, from) => {
      const rel = join(from, '..', path);
      try {
        const used = read(rel);
        texts.set(used.file, used.text);
        return used;
      } catch {
        return null;
      }
    },
  });
  if (compiled === null) throw new Error(`${spec} does not compile:\n${renderDiagnostics(sink.items, texts)}`);
  return { compiled, src };
}
