// The CNN worked example end to end: the same loss and gradients on wasm and
// tfjs-node as on cpu (the emitted lowerings, run by the interpreter, including
// wasm's missing Conv2DBackpropFilter), and the committed trainer learning
// from a subset with a flat tensor count.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadNative } from '../support/native.js';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { runGraph } from '../../src/ir/interpret.js';
import { compileSource, type Compiled } from '../../src/pipeline.js';
import { Rng } from '../../src/runtime/rng.js';

const REPO = resolve(import.meta.dirname, '../..');
const SPEC = 'specs/mnist-cnn.nn';

function compileCnn(): Compiled {
  const sink = new DiagnosticSink();
  const compiled = compileSource({ file: SPEC, text: readFileSync(join(REPO, SPEC), 'utf8') }, sink);
  if (compiled === null) throw new Error(sink.items.map((d) => `${d.code} ${d.message}`).join('; '));
  return compiled;
}

const native = await loadNative();

const compiled = compileCnn();

beforeAll(async () => void (await tf.setBackend('cpu')));
afterAll(async () => void (await tf.setBackend('cpu')));

describe('mnist-cnn gradients', () => {
  // `nnc gradcheck specs/mnist-cnn.nn` (tf.grads and finite differences) runs in
  // test/autodiff/specs.test.ts with every spec; here: the same gradients on every backend.
  const other = native ? ['wasm', 'tensorflow'] : ['wasm'];
  it(`the emitted lowerings give the same loss and gradients on ${other.join(' and ')} as on cpu`, async () => {
    const tg = compiled.training;
    const rng = new Rng(11);
    const batch = 2;
    const draw = (shape: number[], scale: number) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-scale, scale));
    const host = new Map<number, { shape: number[]; values: Float32Array | Int32Array; dtype: 'float32' | 'int32' }>();
    for (const i of tg.inputs) {
      const shape = i.type.shape.map((d) => (typeof d === 'number' ? d : batch));
      host.set(i.id, i.type.dtype === 'i32'
        ? { shape, dtype: 'int32', values: Int32Array.from({ length: batch }, (_, k) => (k * 3) % 10) }
        : { shape, dtype: 'float32', values: draw(shape, 1).map(Math.abs) });
    }
    for (const p of tg.params) host.set(p.id, { shape: p.type.shape as number[], dtype: 'float32', values: draw(p.type.shape as number[], 0.2) });
    const wanted = [tg.loss, ...tg.params.map((p) => tg.grads[p.name]!)];
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const feeds = new Map([...host].map(([id, h]) => [id, tf.tensor(h.values, h.shape, h.dtype)]));
      // Dropout off: the masks would draw the same stream, but the comparison is of the kernels.
      const out = runGraph(tg.graph, feeds, wanted, { training: false });
      const values = out.map((t) => Array.from(t.dataSync()));
      tf.dispose([...out, ...feeds.values()]);
      return values;
    };
    const onCpu = await run('cpu');
    for (const backend of other) {
      const there = await run(backend);
      onCpu.forEach((values, k) => {
        const scale = Math.max(1e-3, ...values.map(Math.abs));
        const err = Math.max(...values.map((v, i) => Math.abs(v - there[k]![i]!)));
        expect(err / scale, `${backend}: ${k === 0 ? 'loss' : tg.params[k - 1]!.name}`).toBeLessThan(1e-4);
      });
    }
    await tf.setBackend('cpu');
  });
});

describe.skipIf(!native)('mnist-cnn trainer (generated/mnist_cnn, tfjs-node)', () => {
  it('learns from 4000 images in one epoch (> 80% accuracy on 4000 test images) with a flat tensor count', () => {
    const ckpt = mkdtempSync(join(tmpdir(), 'nnc-cnn-'));
    try {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(REPO, 'generated/mnist_cnn/train.ts'), '--backend', 'node', '--epochs', '1', '--limit', '4000', '--quiet', '--checkpoint-dir', ckpt],
        { cwd: REPO, env: { ...process.env, NNC_TRACE_TENSORS: '1' }, encoding: 'utf8', timeout: 240_000 },
      );
      expect(r.status, r.stderr).toBe(0);
      const tensors = (step: number) => Number(new RegExp(`^tensors after step ${step}: (\\d+)`, 'm').exec(r.stderr)?.[1]);
      expect(tensors(2)).toBeGreaterThan(0);
      expect(tensors(20)).toBe(tensors(2));
      expect(tensors(40)).toBe(tensors(2));
      const accuracy = Number(/^test: .*accuracy (\S+)/m.exec(r.stdout)?.[1]);
      expect(accuracy).toBeGreaterThan(0.8);
    } finally {
      rmSync(ckpt, { recursive: true, force: true });
    }
  }, 300_000);
});
