// Reading specs from disk and printing what the stages reported.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { UsageError } from './args.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import { renderDiagnostics } from '../diagnostics/render.js';
import type { SourceFile } from '../pipeline.js';

/** Every file read during one command, so diagnostics can quote any of them. */
export class SourceSet {
  readonly texts = new Map<string, string>();

  /** Reads a spec named on the command line; a missing file is a usage error. */
  readArgument(path: string): SourceFile {
    if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
    if (statSync(path).isDirectory()) throw new UsageError(`${path} is a directory, not a spec file`);
    return this.read(path);
  }

  /** Resolves `use "x.nn"` relative to the using file; null if it does not exist (the checker reports it). */
  readUsed = (path: string, fromFile: string): SourceFile | null => {
    const full = isAbsolute(path) ? path : resolve(dirname(fromFile), path);
    if (!existsSync(full) || statSync(full).isDirectory()) return null;
    return this.read(full);
  };

  private read(path: string): SourceFile {
    const file = displayPath(path);
    // Read as latin1-safe UTF-8; binary garbage is the parser's to diagnose.
    const text = readFileSync(path, 'utf8');
    this.texts.set(file, text);
    return { file, text };
  }
}

export function displayPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel.startsWith('..') ? resolve(path) : rel;
}

export function printDiagnostics(sink: DiagnosticSink, sources: SourceSet, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(sink.items, null, 2) + '\n');
    return;
  }
  if (sink.items.length > 0) process.stderr.write(renderDiagnostics(sink.items, sources.texts) + '\n');
}
