// The real pipeline end to end: the worked-example specs compile, emit
// deterministically, type-check strictly, and the digits trainer learns.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { EmittedFiles } from '../../src/emit/index.js';
import { compileGolden } from '../../src/golden.js';
import { typeErrors, writeEmitted } from './harness.js';

const REPO = resolve(import.meta.dirname, '../..');

/** Exactly what `nnc compile` (and the golden test) produces for a spec. */
function compileSpec(file: string): EmittedFiles {
  return { files: compileGolden(REPO, file).files };
}

const SPECS = ['specs/digits.nn', 'specs/mnist-mlp.nn', 'specs/mnist-finetune.nn'];

describe('worked-example specs', () => {
  const emitted = new Map(SPECS.map((s) => [s, compileSpec(s)]));

  it('emit the same bytes twice', () => {
    for (const spec of SPECS) expect(compileSpec(spec).files[0]!.text, spec).toBe(emitted.get(spec)!.files[0]!.text);
  });

  it('fine-tuning: phase 1 has no gradient statements for the frozen layer, phase 2 has them; used-spec lines name their file', () => {
    const text = emitted.get('specs/mnist-finetune.nn')!.files[0]!.text;
    const phase1 = text.slice(text.indexOf('function backward('), text.indexOf('function forwardPhase2('));
    const phase2 = text.slice(text.indexOf('function backwardPhase2('), text.indexOf('// ─── Optimizer'));
    expect(phase1).toContain('d_logits_weight');
    expect(phase1).not.toContain('d_h_weight');
    expect(phase2).toContain('d_h_weight');
    expect(text).toContain('// specs/mnist-pretrain.nn line 15: h      = dense(x, 256, activation: relu)');
    expect(text).toContain('await rt.loadPretrained(INIT_FROM.path');
  });

  it('type-check in strict mode', () => {
    const entries = SPECS.map((s) => join(writeEmitted(`specs/${s.replace(/^specs\/|\.nn$/g, '')}`, emitted.get(s)!), 'train.ts'));
    expect(typeErrors(entries)).toEqual([]);
  });

  it('digits: the trainer reaches at least 95% test accuracy', () => {
    const dir = writeEmitted('specs/digits-run', emitted.get('specs/digits.nn')!);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'train.ts'), '--backend', 'cpu', '--quiet', '--checkpoint-dir', join(dir, 'ckpt')], {
      cwd: REPO,
      env: { ...process.env, NNC_TRACE_TENSORS: '1' },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const tensors = (step: number) => Number(new RegExp(`^tensors after step ${step}: (\\d+)`, 'm').exec(r.stderr)?.[1]);
    expect(tensors(10)).toBeGreaterThan(0);
    expect(tensors(100)).toBe(tensors(10));
    expect(tensors(400)).toBe(tensors(10));
    const accuracy = Number(/^test: .*accuracy (\S+)/m.exec(r.stdout)?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
