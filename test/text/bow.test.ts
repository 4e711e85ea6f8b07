// The bag-of-words sentiment example end to end, as a user runs it: `nnc
// train specs/sentiment-bow.nn` on the UCI sentences (npm `sentiment`), test
// accuracy ≥ 0.80, a flat tensor count, and the vocabulary saved with the
// checkpoint reproducing the same test predictions after a reload.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { loadCheckpoint } from '../../src/runtime/checkpoint.js';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, '.nnc-cache/test-text');

function nnc(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'nnc.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NNC_TRACE_TENSORS: '1', NNC_PROGRESS: 'lines' },
  });
  const tensors = [...r.stderr.matchAll(/^tensors after step (\d+): (\d+)/gm)].map((m) => Number(m[2]));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, tensors };
}

const testLine = (stdout: string) => /^test: .*$/m.exec(stdout)?.[0] ?? '';

describe('specs/sentiment-bow.nn', () => {
  const ckpt = join(OUT, 'ckpt');
  let trainedReport = '';
  rmSync(ckpt, { recursive: true, force: true });

  it('trains to ≥ 0.80 test accuracy on the three domains, reporting the skipped empty records, with a flat tensor count', () => {
    const r = nnc(['train', 'specs/sentiment-bow.nn', '-o', join(OUT, 'bow'), '--checkpoint-dir', ckpt]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/amazon\.json: skipped 1 of 1001 rows[\s\S]*record 1000: missing label/);
    const line = testLine(r.stdout);
    trainedReport = line;
    const accuracy = Number(/accuracy (\S+)/.exec(line)?.[1]);
    expect(accuracy, line).toBeGreaterThanOrEqual(0.8);
    expect(line).toMatch(/precision \S+ +recall \S+ +f1 \S+ +roc_auc \S+/);
    expect(r.tensors.length).toBeGreaterThan(100);
    expect(r.tensors[r.tensors.length - 1]).toBe(r.tensors[10]);
  });

  it('the vocabulary is saved with the checkpoint and a reloaded run predicts the same', async () => {
    const ck = await loadCheckpoint(ckpt, { slot: 'last' });
    for (const t of Object.values(ck.tensors)) t.dispose();
    const vocabulary = ck.meta['vocabulary'] as string[];
    expect(vocabulary.slice(0, 2)).toEqual(['<pad>', '<oov>']);
    expect(vocabulary.length).toBe(2000);
    // Resuming after the last epoch trains nothing: the report uses the checkpoint's parameters and vocabulary.
    const first = nnc(['train', 'specs/sentiment-bow.nn', '-o', join(OUT, 'bow'), '--checkpoint-dir', ckpt, '--resume', '--quiet']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.tensors).toEqual([]);
    expect(testLine(first.stdout)).not.toBe('');
    expect(testLine(first.stdout)).toBe(trainedReport);
  });
});
