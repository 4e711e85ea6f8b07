// The committed MNIST MLP trainer (generated/mnist_mlp/train.ts, exactly what
// users run) learns: one epoch of real MNIST (54,000 training examples).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

it('generated/mnist_mlp learns MNIST: > 90% test accuracy after one epoch', () => {
  const ckpt = mkdtempSync(join(tmpdir(), 'nnc-mnist-'));
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'generated/mnist_mlp/train.ts', '--epochs', '1', '--quiet', '--checkpoint-dir', ckpt],
    { cwd: root, encoding: 'utf8', timeout: 300_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  const accuracy = Number(/^test: .*accuracy (\S+)/m.exec(r.stdout)?.[1]);
  expect(accuracy).toBeGreaterThan(0.9);
});
