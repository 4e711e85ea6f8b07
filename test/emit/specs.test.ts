// The real pipeline end to end: the worked-example specs compile, emit
// deterministically, type-check strictly, and the digits trainer learns.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileSource } from '../../src/pipeline.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { emitTrainer, type EmittedFiles } from '../../src/emit/index.js';
import { readRuntimeFiles } from '../../src/emit/runtime-files.js';
import { typeErrors, writeEmitted } from './harness.js';

const REPO = resolve(import.meta.dirname, '../..');
const RUNTIME = readRuntimeFiles();

function compileSpec(file: string): EmittedFiles {
  const text = readFileSync(join(REPO, file), 'utf8');
  const sink = new DiagnosticSink();
  const compiled = compileSource({ file, text }, sink, {
    readSource: (path) => ({ file: join('specs', path), text: readFileSync(join(REPO, 'specs', path), 'utf8') }),
  });
  if (compiled === null) throw new Error(`${file}: ${sink.items.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return emitTrainer(compiled.model, compiled.training, { specPath: file, compilerVersion: '0.1.0', sourceText: text, runtimeFiles: RUNTIME });
}

const SPECS = ['specs/digits.nn', 'specs/mnist-mlp.nn'];

describe('worked-example specs', () => {
  const emitted = new Map(SPECS.map((s) => [s, compileSpec(s)]));

  it('emit the same bytes twice', () => {
    for (const spec of SPECS) expect(compileSpec(spec).files[0]!.text, spec).toBe(emitted.get(spec)!.files[0]!.text);
  });

  it('type-check in strict mode', () => {
    const entries = SPECS.map((s) => join(writeEmitted(`specs/${s.replace(/^specs\/|\.nn$/g, '')}`, emitted.get(s)!), 'train.ts'));
    expect(typeErrors(entries)).toEqual([]);
  });

  it('digits: the trainer reaches at least 95% test accuracy', () => {
    const dir = writeEmitted('specs/digits-run', emitted.get('specs/digits.nn')!);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'train.ts'), '--backend', 'cpu', '--quiet', '--checkpoint-dir', join(dir, 'ckpt')], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const accuracy = Number(/^test: .*accuracy (\S+)/m.exec(r.stdout)?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
