// The tfjs-node installer run by `npm ci`: it must never fail the install,
// must say in one line what happens instead, and must not redo work.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../runtime/tmp.js';

const ROOT = join(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/install-tfjs-node.mjs');

/** Runs the installer as `npm ci` would, from `project`'s scripts/ directory. */
function install(project: string, env: Record<string, string>) {
  const r = spawnSync(process.execPath, [join(project, 'scripts/install-tfjs-node.mjs')], {
    cwd: project,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NNC_TFJS_NODE_INSTALLING: '', NNC_SKIP_TFJS_NODE: '', npm_config_omit: '', ...env },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** A project without node_modules, holding only the installer. */
function bareProject(): string {
  const dir = tempDir('nnc-install');
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(SCRIPT, join(dir, 'scripts/install-tfjs-node.mjs'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "sandbox", "private": true }\n');
  return dir;
}

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(join(ROOT, 'package.json')).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('scripts/install-tfjs-node.mjs', () => {
  it('skips with NNC_SKIP_TFJS_NODE=1', () => {
    const r = install(bareProject(), { NNC_SKIP_TFJS_NODE: '1' });
    expect(r.status).toBe(0);
    expect(r.out).toBe('[nnc tfjs-node] skipped (NNC_SKIP_TFJS_NODE=1); trainers will use the wasm backend\n');
  });

  it('respects `npm ci --omit=optional`', () => {
    const r = install(bareProject(), { npm_config_omit: 'dev optional' });
    expect(r).toEqual({ status: 0, out: '[nnc tfjs-node] skipped (optional dependencies omitted); trainers will use the wasm backend\n' });
  });

  it('does nothing inside its own nested npm install', () => {
    const r = install(bareProject(), { NNC_TFJS_NODE_INSTALLING: '1' });
    expect(r).toEqual({ status: 0, out: '' });
  });

  it('exits 0 with one clear line when the offline build cannot work', () => {
    const cache = tempDir('nnc-install-cache');
    const r = install(bareProject(), { NNC_CACHE_DIR: cache, TF_WHEEL: '/nonexistent/tensorflow_cpu.whl' });
    expect(r.status).toBe(0);
    expect(r.out.split('\n').at(-2)).toMatch(
      /^\[nnc tfjs-node\] TF_WHEEL=\/nonexistent\/tensorflow_cpu\.whl does not exist; tfjs-node is not available, trainers will fall back to the wasm backend \(\d+s\)$/,
    );
  });

  it.runIf(tfjsNodeInstalled())('sees a working tfjs-node and leaves it alone', () => {
    const r = install(ROOT, { NNC_CACHE_DIR: tempDir('nnc-install-cache') });
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^\[nnc tfjs-node\] already working \(backend tensorflow, libtensorflow [\d.]+, matMul ok\)\n$/);
  });
});
