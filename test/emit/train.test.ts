// The emitted trainer runs as a user runs it (tsx, cpu backend) on a tiny
// CSV: it learns, its tensor count stays flat, NaN stops it with exit code 3
// keeping the last good checkpoint, and --resume continues the same run.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { emitTrainer } from '../../src/emit/index.js';
import { readRuntimeFiles } from '../../src/emit/runtime-files.js';
import type { OptimizerConfig } from '../../src/check/model.js';
import { SOURCE, blobsCsv, tinyBinaryModel, tinyModel, tinyPhasedModel, type FixtureOptions } from './fixture.js';
import { writeEmitted } from './harness.js';
import { loadNative } from '../support/native.js';

const REPO = resolve(import.meta.dirname, '../..');
const hasNative = await loadNative();
const RUNTIME = readRuntimeFiles();

function build(name: string, opts: FixtureOptions | 'phased' = {}): string {
  const { model, tg, phaseGraphs } = opts === 'phased' ? tinyPhasedModel() : { ...tinyModel(opts), phaseGraphs: undefined };
  const emitted = emitTrainer(model, tg, { specPath: 'specs/tiny.nn', compilerVersion: '0.1.0', sourceText: SOURCE, runtimeFiles: RUNTIME, ...(phaseGraphs ? { phaseGraphs } : {}) });
  const dir = writeEmitted(`run/${name}`, emitted);
  writeFileSync(join(dir, 'blobs.csv'), blobsCsv(100));
  return dir;
}

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Per step: [live tensors, loss]. */
  steps: Map<number, { tensors: number; loss: string }>;
}

function run(dir: string, args: string[], backend = 'cpu'): RunResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'train.ts'), '--backend', backend, '--data-dir', dir, ...args], {
    cwd: REPO,
    env: { ...process.env, NNC_TRACE_TENSORS: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const steps = new Map<number, { tensors: number; loss: string }>();
  for (const m of r.stderr.matchAll(/^tensors after step (\d+): (\d+) \(loss (\S+)\)$/gm)) {
    steps.set(Number(m[1]), { tensors: Number(m[2]), loss: m[3]! });
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, steps };
}

function meanLoss(r: RunResult, from: number, to: number): number {
  let s = 0;
  for (let i = from; i <= to; i++) s += Number(r.steps.get(i)!.loss);
  return s / (to - from + 1);
}

describe('the emitted trainer', () => {
  let adamDir = '';
  beforeAll(() => {
    adamDir = build('adam');
  });

  it('learns, and its live tensor count is the same after step 10 and step 100', () => {
    const r = run(adamDir, ['--epochs', '8', '--checkpoint-dir', join(adamDir, 'ckpt-learn')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.steps.size).toBe(8 * 14);
    expect(r.steps.get(100)!.tensors).toBe(r.steps.get(10)!.tensors);
    expect(meanLoss(r, 103, 112)).toBeLessThan(meanLoss(r, 1, 10) * 0.5);
    const accuracy = Number(/^test: .*accuracy (\S+)/m.exec(r.stdout)?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.stdout).toMatch(/true\\pred/);
  });

  it('--resume continues the run exactly where the last checkpoint left it', () => {
    const straight = run(adamDir, ['--epochs', '4', '--checkpoint-dir', join(adamDir, 'ckpt-straight')]);
    const ckpt = join(adamDir, 'ckpt-resumed');
    const first = run(adamDir, ['--epochs', '2', '--checkpoint-dir', ckpt]);
    const second = run(adamDir, ['--epochs', '4', '--checkpoint-dir', ckpt, '--resume']);
    expect([straight.status, first.status, second.status]).toEqual([0, 0, 0]);
    expect(second.stderr + second.stdout).toMatch(/resuming from .* after epoch 2 \(step 28\)/);
    expect([...second.steps.keys()][0]).toBe(29);
    for (let step = 29; step <= 56; step++) expect(second.steps.get(step)!.loss, `step ${step}`).toBe(straight.steps.get(step)!.loss);
  });

  it.skipIf(!hasNative)('--resume continues exactly on tfjs-node too, where fused Adam keeps its slots in variables (synced into the checkpoint)', () => {
    const straight = run(adamDir, ['--epochs', '4', '--checkpoint-dir', join(adamDir, 'ckpt-node-straight')], 'node');
    const ckpt = join(adamDir, 'ckpt-node-resumed');
    const first = run(adamDir, ['--epochs', '2', '--checkpoint-dir', ckpt], 'node');
    const second = run(adamDir, ['--epochs', '4', '--checkpoint-dir', ckpt, '--resume'], 'node');
    expect([straight.status, first.status, second.status], second.stderr).toEqual([0, 0, 0]);
    expect([...second.steps.keys()][0]).toBe(29);
    for (let step = 29; step <= 56; step++) expect(second.steps.get(step)!.loss, `step ${step}`).toBe(straight.steps.get(step)!.loss);
  });

  it('stops on a NaN loss with exit code 3 and keeps the last good checkpoint', () => {
    const ckpt = join(adamDir, 'ckpt-nan');
    expect(run(adamDir, ['--epochs', '1', '--checkpoint-dir', ckpt]).status).toBe(0);
    const good = readFileSync(join(ckpt, 'last.ckpt'));
    const r = run(adamDir, ['--epochs', '3', '--lr', '1e30', '--checkpoint-dir', ckpt, '--resume']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/the training loss at epoch 2, step \d+ is (NaN|Infinity|-Infinity)/);
    expect(r.stderr).toContain('last good checkpoint');
    expect(readFileSync(join(ckpt, 'last.ckpt')).equals(good)).toBe(true);
  });

  it('trains with momentum, gradient clipping and weight decay, without dropout', () => {
    const optimizer: OptimizerConfig = { kind: 'momentum', lr: 0.05, hyper: { momentum: 0.9, weight_decay: 1e-4 }, clipNorm: 1 };
    const dir = build('momentum', { optimizer, dropout: false });
    const r = run(dir, ['--epochs', '8', '--checkpoint-dir', join(dir, 'ckpt')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.steps.get(100)!.tensors).toBe(r.steps.get(10)!.tensors);
    expect(meanLoss(r, 103, 112)).toBeLessThan(meanLoss(r, 1, 10) * 0.5);
  });

  it('runs phases in order: the head alone first, then everything at the phase\'s own rate', () => {
    const dir = build('phased', 'phased');
    const r = run(dir, ['--checkpoint-dir', join(dir, 'ckpt')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/phase 1[\s\S]*phase 2/);
    expect(r.steps.size).toBe(4 * 14);
    // a fresh optimizer per phase: the tensor count is the same in both phases
    expect(r.steps.get(50)!.tensors).toBe(r.steps.get(10)!.tensors);
    expect(meanLoss(r, 47, 56)).toBeLessThan(meanLoss(r, 1, 10));
  });

  it('init from: starts from a previous run\'s best parameters', () => {
    const pretrained = join(adamDir, 'ckpt-pretrained');
    const base = run(adamDir, ['--epochs', '3', '--checkpoint-dir', pretrained]);
    expect(base.status, base.stderr).toBe(0);
    const dir = build('init-from', { initFrom: { path: pretrained, fresh: [] } });
    const tuned = run(dir, ['--epochs', '1', '--checkpoint-dir', join(dir, 'ckpt')]);
    expect(tuned.status, tuned.stderr).toBe(0);
    expect(tuned.stdout + tuned.stderr).toContain(`initialised from ${pretrained}`);
    expect(Number(tuned.steps.get(1)!.loss)).toBeLessThan(Number(base.steps.get(1)!.loss) * 0.5);
  });

  it('binary: a float target and a thresholded logit (sgd, full batch)', () => {
    const { model, tg } = tinyBinaryModel();
    const dir = writeEmitted('run/binary', emitTrainer(model, tg, { specPath: 'specs/tiny.nn', compilerVersion: '0.1.0', sourceText: SOURCE, runtimeFiles: RUNTIME }));
    writeFileSync(join(dir, 'blobs.csv'), blobsCsv(100, 7, 2));
    const r = run(dir, ['--epochs', '30', '--batch', 'all', '--checkpoint-dir', join(dir, 'ckpt')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.steps.size).toBe(30);
    expect(r.steps.get(30)!.tensors).toBe(r.steps.get(10)!.tensors);
    expect(Number(r.steps.get(30)!.loss)).toBeLessThan(Number(r.steps.get(1)!.loss) * 0.5);
    expect(Number(/^test: .*accuracy (\S+)/m.exec(r.stdout)?.[1])).toBeGreaterThanOrEqual(0.9);
  });

  it('every other optimizer learns too (nesterov, adagrad, rmsprop, adamw)', () => {
    const optimizers: OptimizerConfig[] = [
      { kind: 'nesterov', lr: 0.05, hyper: { momentum: 0.9 }, clipNorm: null },
      { kind: 'adagrad', lr: 0.1, hyper: {}, clipNorm: null },
      { kind: 'rmsprop', lr: 0.01, hyper: { rho: 0.9 }, clipNorm: null },
      { kind: 'adamw', lr: 0.01, hyper: { weight_decay: 0.01 }, clipNorm: 1 },
    ];
    for (const optimizer of optimizers) {
      const dir = build(optimizer.kind, { optimizer, dropout: false });
      const r = run(dir, ['--epochs', '4', '--checkpoint-dir', join(dir, 'ckpt')]);
      expect(r.status, `${optimizer.kind}: ${r.stderr}`).toBe(0);
      expect(r.steps.get(50)!.tensors, optimizer.kind).toBe(r.steps.get(10)!.tensors);
      expect(meanLoss(r, 47, 56), optimizer.kind).toBeLessThan(meanLoss(r, 1, 10) * 0.6);
    }
  });
});
