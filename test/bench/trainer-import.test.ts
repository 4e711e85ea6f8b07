// The generated trainer is a module: importing it runs nothing and hands out
// its pieces (the benchmark relies on this); running it runs `main`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const digits = join(root, 'generated/digits_mlp/train.ts');

describe('generated trainer entry point', () => {
  it('exports its pieces and does not train when imported', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    const m = (await import(pathToFileURL(digits).href)) as Record<string, unknown>;
    for (const name of ['initParams', 'initOptimizerState', 'installConstants', 'forward', 'backward', 'applyUpdate', 'trainStep', 'main']) {
      expect(typeof m[name], name).toBe('function');
    }
    expect(m['MODEL']).toBe('digits_mlp');
  });

  it('runs main when executed directly', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', digits, '--help'], { encoding: 'utf8', cwd: root });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: train.ts');
  });
});
