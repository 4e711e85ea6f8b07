// The fine-tuning chain as a user runs it, briefly: the trainers of
// specs/mnist-pretrain.nn and specs/mnist-finetune.nn (compiled exactly as
// `nnc compile` writes them), pretraining a few steps on digits 0–4, then
// fine-tuning on 5–9 from its checkpoint. Checks, on the saved checkpoints:
// frozen parameters are bit-identical through phase 1 and change in phase 2;
// optimizer state exists only for trained parameters; a checkpoint that does
// not match is refused at load time (exit 3) naming both sides.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { compileSource, type SourceFile } from '../../src/pipeline.js';
import { emitFiles, writeFiles } from '../../src/cli/emit-files.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/runtime/checkpoint.js';

const REPO = resolve(import.meta.dirname, '../..');
const OUT = join(REPO, '.nnc-cache/test-finetune');

function read(path: string): SourceFile {
  return { file: path, text: readFileSync(join(REPO, path), 'utf8') };
}

/** Compiles a spec (paths relative to the repo) into OUT/<name>; returns its train.ts. */
function compileTo(src: SourceFile, name: string): string {
  const sink = new DiagnosticSink();
  const compiled = compileSource(src, sink, { readSource: (path, from) => read(join(from, '..', path)) });
  if (compiled === null) throw new Error(renderDiagnostics(sink.items, new Map([[src.file, src.text]])));
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  writeFiles(dir, emitFiles(compiled, src.file, src.text));
  return join(dir, 'train.ts');
}

/** Runs a trainer with `cwd` (inside the repo, so tsx and the packages resolve). */
function train(trainTs: string, cwd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', trainTs, '--data-dir', REPO, '--quiet', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

async function tensorsOf(file: string): Promise<Record<string, Uint8Array>> {
  const ckpt = await loadCheckpoint(file);
  const out: Record<string, Uint8Array> = {};
  for (const [name, t] of Object.entries(ckpt.tensors)) {
    const v = (await t.data()) as Float32Array;
    out[name] = new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
    t.dispose();
  }
  return out;
}

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));

const RUN = join(OUT, 'run');
const COMMON = ['--limit', '256', '--batch', '64'];
let pretrain: string;
let finetune: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  rmSync(RUN, { recursive: true, force: true });
  mkdirSync(RUN, { recursive: true });
  pretrain = compileTo(read('specs/mnist-pretrain.nn'), 'pretrain');
  finetune = compileTo(read('specs/mnist-finetune.nn'), 'finetune');
  // init from "checkpoints/mnist_pretrain" is relative to the working directory: RUN.
  const r = train(pretrain, RUN, [...COMMON, '--max-steps', '3', '--checkpoint-dir', 'checkpoints/mnist_pretrain']);
  expect(r.status, r.out).toBe(0);
}, 180_000);

describe('pretrain on 0–4, fine-tune on 5–9', () => {
  it('phase 1 trains only the new head: the frozen layer is bit-identical to the pretrained one', async () => {
    // 256 examples, batch 64: 4 steps per epoch; phase 1 is epochs 1–2, so 8 steps end it.
    const r = train(finetune, RUN, [...COMMON, '--max-steps', '8', '--checkpoint-dir', 'ft-phase1']);
    expect(r.status, r.out).toBe(0);
    const pre = await tensorsOf(join(RUN, 'checkpoints/mnist_pretrain/best.ckpt'));
    const ft = await tensorsOf(join(RUN, 'ft-phase1/last.ckpt'));
    expect(same(ft['h.weight'], pre['h.weight'])).toBe(true);
    expect(same(ft['h.bias'], pre['h.bias'])).toBe(true);
    // The head is new: same shape as the pretrained head, other values.
    expect(ft['logits.weight']!.length).toBe(pre['logits.weight']!.length);
    expect(same(ft['logits.weight'], pre['logits.weight'])).toBe(false);
    // Phase 1's Adam moments of the frozen layer were never touched: still all zeros.
    expect(ft['m:h.weight']!.every((b) => b === 0)).toBe(true);
    expect(ft['m:logits.weight']!.some((b) => b !== 0)).toBe(true);
  }, 120_000);

  it('phase 2 unfreezes the trunk: it moves away from the pretrained values', async () => {
    const r = train(finetune, RUN, [...COMMON, '--max-steps', '12', '--checkpoint-dir', 'ft-full']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/test: loss \S+ {2}accuracy/);
    const pre = await tensorsOf(join(RUN, 'checkpoints/mnist_pretrain/best.ckpt'));
    const ft = await tensorsOf(join(RUN, 'ft-full/last.ckpt'));
    expect(same(ft['h.weight'], pre['h.weight'])).toBe(false);
    expect(ft['m:h.weight']!.some((b) => b !== 0)).toBe(true);
  }, 120_000);

  it('refuses, at load time, a checkpoint that changed since compiling (exit 3, both sides named)', async () => {
    const dir = join(RUN, 'other/checkpoints/mnist_pretrain');
    await saveCheckpoint(dir, 'best', {
      tensors: { 'h.weight': tf.zeros([784, 128]), 'h.bias': tf.zeros([128]), 'enc.weight': tf.zeros([3]) },
      epoch: 1,
      step: 1,
      rng: { algorithm: 'xoshiro128**', s: [1, 2, 3, 4] },
      meta: {},
    });
    const r = train(finetune, join(RUN, 'other'), [...COMMON, '--max-steps', '1']);
    expect(r.status).toBe(3);
    expect(r.out).toContain('init from checkpoints/mnist_pretrain/best.ckpt does not match this model');
    expect(r.out).toContain('enc.weight [3]');
    expect(r.out).toContain('h.weight is [784, 256] in the model but [784, 128] in the source');
    expect(r.out).not.toMatch(/\n\s+at /); // a user error: no stack trace
  }, 120_000);
});

describe('freeze without phases (digits)', () => {
  it('keeps optimizer state only for trained parameters, and frozen parameters bit-identical', async () => {
    const spec: SourceFile = { file: 'specs/digits-frozen.nn', text: 'model digits_frozen\nuse "digits.nn"\nfreeze h\n' };
    const trainer = compileTo(spec, 'digits-frozen');
    const one = train(trainer, RUN, ['--limit', '200', '--max-steps', '1', '--checkpoint-dir', 'digits-1']);
    const five = train(trainer, RUN, ['--limit', '200', '--max-steps', '5', '--checkpoint-dir', 'digits-5']);
    expect(one.status, one.out).toBe(0);
    expect(five.status, five.out).toBe(0);
    const a = await tensorsOf(join(RUN, 'digits-1/last.ckpt'));
    const b = await tensorsOf(join(RUN, 'digits-5/last.ckpt'));
    // Adam's slots exist for the trained head only.
    expect(Object.keys(b).filter((n) => n.includes(':')).sort()).toEqual(['m:logits.bias', 'm:logits.weight', 'v:logits.bias', 'v:logits.weight']);
    // Same seed, same initialisation: the frozen layer is identical after 1 and 5 updates, the head is not.
    expect(same(a['h.weight'], b['h.weight'])).toBe(true);
    expect(same(a['h.bias'], b['h.bias'])).toBe(true);
    expect(same(a['logits.weight'], b['logits.weight'])).toBe(false);
  }, 120_000);
});
