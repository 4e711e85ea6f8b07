// Checkpoints: round trip, verification, and atomicity under a real crash (SIGKILL mid-write).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './tmp.js';
import { CheckpointError, checkpointExists, checkpointPath, loadCheckpoint, Rng, saveCheckpoint, type CheckpointData } from '../../src/runtime/index.js';

const ROOT = join(import.meta.dirname, '../..');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function sample(epoch: number): CheckpointData {
  const rng = new Rng(epoch);
  rng.nextUint32();
  return {
    tensors: {
      'h.weight': tf.tensor([[1, 2, 3], [4, 5, 6]].map((r) => r.map((v) => v * epoch))),
      'h.bias': tf.tensor([0.5 * epoch, -1]),
      'adam.t': tf.scalar(epoch, 'int32'),
    },
    epoch,
    step: epoch * 100,
    rng: rng.state(),
    meta: { model: 'm', bestLoss: 0.25 },
  };
}

async function loadError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return (e as Error).message;
  }
  throw new Error('expected a CheckpointError');
}

describe('checkpoints', () => {
  it('round-trips tensors, position, RNG state and metadata', async () => {
    const dir = tempDir('nnc-ckpt');
    const data = sample(3);
    const path = await saveCheckpoint(dir, 'last', data);
    expect(path).toBe(checkpointPath(dir, 'last'));
    expect(checkpointExists(dir, 'last')).toBe(true);
    expect(checkpointExists(dir, 'best')).toBe(false);
    for (const p of [dir, path]) {
      const back = await loadCheckpoint(p, { expect: { 'h.weight': [2, 3], 'h.bias': [2] }, exact: false });
      expect(back.epoch).toBe(3);
      expect(back.step).toBe(300);
      expect(back.meta).toEqual({ model: 'm', bestLoss: 0.25 });
      expect(Rng.fromState(back.rng).nextUint32()).toBe(Rng.fromState(data.rng).nextUint32());
      expect(back.tensors['h.weight']!.arraySync()).toEqual([[3, 6, 9], [12, 15, 18]]);
      expect(back.tensors['adam.t']!.dtype).toBe('int32');
      expect(back.tensors['adam.t']!.arraySync()).toBe(3);
      tf.dispose(Object.values(back.tensors));
    }
    expect(readdirSync(dir)).toEqual(['last.ckpt']);
  });

  it('lists every name and shape mismatch', async () => {
    const dir = tempDir('nnc-ckpt');
    await saveCheckpoint(dir, 'best', sample(1));
    const msg = await loadError(
      loadCheckpoint(dir, { slot: 'best', expect: { 'h.weight': [3, 2], 'h.bias': [2], 'out.weight': [4, 2], 'new.bias': [2] }, allowMissing: ['new.bias'], exact: true }),
    );
    expect(msg).toBe(
      `${join(dir, 'best.ckpt')} does not match this model:\n` +
        '  shape mismatch: h.weight is [2, 3] in the checkpoint, [3, 2] in the model\n' +
        '  missing: out.weight [4, 2]\n' +
        '  unexpected: adam.t',
    );
  });

  it('detects a missing, truncated, corrupted or foreign file', async () => {
    const dir = tempDir('nnc-ckpt');
    expect(await loadError(loadCheckpoint(dir))).toBe(`no checkpoint at ${join(dir, 'last.ckpt')}`);
    const path = await saveCheckpoint(dir, 'last', sample(2));
    const good = readFileSync(path);
    writeFileSync(path, good.subarray(0, good.length - 4));
    expect(await loadError(loadCheckpoint(path))).toMatch(/not a valid nnc checkpoint: size is \d+ bytes, the header says \d+ \(truncated or corrupt\)/);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 20]! ^= 0xff;
    writeFileSync(path, flipped);
    expect(await loadError(loadCheckpoint(path))).toMatch(/checksum mismatch/);
    writeFileSync(path, 'hello world, not a checkpoint');
    expect(await loadError(loadCheckpoint(path))).toMatch(/wrong magic/);
  });

  // A child process saves epoch 1, then starts saving epoch 2 and is SIGKILLed
  // mid-write (after the first tensor) or just before the rename.
  for (const crashAt of ['afterChunk', 'beforeRename'] as const) {
    it(`keeps the previous checkpoint when the process dies ${crashAt === 'afterChunk' ? 'mid-write' : 'before the rename'}`, async () => {
      const dir = tempDir('nnc-ckpt-crash');
      // `node --import tsx` (not the tsx wrapper) so the killed process is the one we observe.
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/crash-save.ts'), dir, crashAt], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.signal).toBe('SIGKILL');
      expect(r.stdout).not.toContain('not reached');
      // The crashed write left its temporary file, and the real checkpoint is the old one.
      expect(readdirSync(dir).some((f) => f.startsWith('.last.ckpt.tmp-'))).toBe(true);
      const back = await loadCheckpoint(dir);
      expect(back.epoch).toBe(1);
      expect(back.tensors['a']!.dataSync()[65535]).toBe(1);
      tf.dispose(Object.values(back.tensors));
      // The next save cleans up the leftover.
      await saveCheckpoint(dir, 'last', sample(5));
      expect(readdirSync(dir).filter((f) => f.includes('.ckpt')).sort()).toEqual(['last.ckpt']);
      expect(existsSync(join(dir, 'last.ckpt'))).toBe(true);
    });
  }
});
