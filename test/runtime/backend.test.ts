// Backend selection: the requested backend when it loads, else the next one
// (node > wasm > cpu). The fallbacks run the runtime as a trainer would use it
// (copied into a directory of its own) in a child process whose node_modules
// lacks tfjs-node (and, for the second case, the wasm backend too).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { tempDir } from './tmp.js';
import { initBackend } from '../../src/runtime/index.js';

const ROOT = join(import.meta.dirname, '../..');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** A trainer-like directory with the runtime copied in and only `packages` installed. */
function sandbox(packages: string[]): string {
  const dir = tempDir('nnc-backend');
  mkdirSync(join(dir, 'runtime'));
  for (const f of readdirSync(join(ROOT, 'src/runtime'))) cpSync(join(ROOT, 'src/runtime', f), join(dir, 'runtime', f));
  mkdirSync(join(dir, 'node_modules/@tensorflow'), { recursive: true });
  for (const p of packages) symlinkSync(join(ROOT, 'node_modules', p), join(dir, 'node_modules', p), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(dir, 'main.ts'),
    `import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from './runtime/index.js';
const chosen = await initBackend((process.argv[2] || undefined) as BackendName | undefined);
const product = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0];
console.log(JSON.stringify({ chosen, active: tf.getBackend(), product }));
`,
  );
  return dir;
}

function runIn(dir: string, requested: string): { result: { chosen: string; active: string; product: number }; log: string } {
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, join(dir, 'main.ts'), requested], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  return { result: JSON.parse(lines.at(-1)!), log: lines.slice(0, -1).join('\n') };
}

describe('initBackend', () => {
  it('falls back from node to wasm when tfjs-node is not installed, and says why', () => {
    const dir = sandbox(['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']);
    for (const requested of ['', 'node']) {
      const { result, log } = runIn(dir, requested);
      expect(result).toEqual({ chosen: 'wasm', active: 'wasm', product: 11 });
      expect(log).toMatch(/^backend: wasm \((no )?SIMD\) \[node unavailable: Cannot find (package|module) '@tensorflow\/tfjs-node'/);
    }
  });

  it('falls back from wasm to cpu when the wasm backend is missing', () => {
    const dir = sandbox(['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu']);
    const { result, log } = runIn(dir, 'wasm');
    expect(result).toEqual({ chosen: 'cpu', active: 'cpu', product: 11 });
    expect(log).toMatch(/^backend: cpu \(pure JavaScript: slow\) \[wasm unavailable: Cannot find (package|module) '@tensorflow\/tfjs-backend-wasm'/);
  });

  it('uses the backend asked for when it loads', async () => {
    const lines: string[] = [];
    expect(await initBackend('cpu', (l) => lines.push(l))).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(lines).toEqual(['backend: cpu (pure JavaScript: slow)']);
    expect(await initBackend('wasm', (l) => lines.push(l))).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('picks tfjs-node by default exactly when it is installed (CI: NNC_EXPECT_BACKEND=node)', async () => {
    let installed = true;
    try {
      createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    } catch {
      installed = false;
    }
    const expected = process.env['NNC_EXPECT_BACKEND'] ?? (installed ? 'node' : 'wasm');
    const lines: string[] = [];
    expect(await initBackend(undefined, (l) => lines.push(l))).toBe(expected);
    if (expected === 'node') {
      expect(tf.getBackend()).toBe('tensorflow');
      expect(lines[0]).toMatch(/^backend: tensorflow \(tfjs-node, libtensorflow \d+\.\d+/);
    }
    expect(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]).toBe(11);
  });
});
