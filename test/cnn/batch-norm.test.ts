// batch_norm: its parameters and running statistics (state, never trained),
// train vs eval semantics run through the interpreter (the emitted lowerings),
// its full batch-statistics gradient against tf.grads and finite differences,
// freeze semantics, and a generated trainer that updates, saves and keeps a
// flat tensor count.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { phaseForwards } from '../../src/check/phase-graphs.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { emitTrainer } from '../../src/emit/index.js';
import { readRuntimeFiles } from '../../src/emit/runtime-files.js';
import { runGraph } from '../../src/ir/interpret.js';
import type { ForwardGraph } from '../../src/ir/types.js';
import { verifyForwardGraph } from '../../src/ir/verify.js';
import { compileSource } from '../../src/pipeline.js';
import { loadCheckpoint } from '../../src/runtime/checkpoint.js';
import { check, checkOk } from '../check/helpers.js';
import { typeErrors, writeEmitted } from '../emit/harness.js';

const REPO = resolve(import.meta.dirname, '../..');
const FIXTURE = 'test/cnn/fixtures/digits-bn.nn';

beforeAll(async () => void (await tf.setBackend('cpu')));

/** tfjs-node (much faster for convolutions) where installed. */
const native = await import('@tensorflow/tfjs-node').then(
  () => true,
  () => false,
);

const small = (activation: string, extra = '') => `model m
input image: f32[5, 5, 2]
target digit: class(3)
net {
  c = conv2d(image, 3, kernel: 3, padding: same, use_bias: false)
  bn = batch_norm(c, momentum: 0.9, epsilon: 0.001)
  a = ${activation}(bn)
  logits = dense(flatten(a), 3)
}
loss = cross_entropy(logits, digit)
${extra}`;

describe('batch_norm in the checker', () => {
  it('owns gamma and beta (trained) and moving_mean / moving_variance (state, never trained)', () => {
    const m = checkOk(small('relu'));
    const bn = m.forward.params.filter((p) => p.name.startsWith('bn.'));
    expect(bn.map((p) => [p.name, p.type.shape, p.init.kind, p.trainable, p.state ?? false])).toEqual([
      ['bn.gamma', [3], 'ones', true, false],
      ['bn.beta', [3], 'zeros', true, false],
      ['bn.moving_mean', [3], 'zeros', false, true],
      ['bn.moving_variance', [3], 'ones', false, true],
    ]);
    expect(Object.keys(m.forward.updates ?? {})).toEqual(['bn.moving_mean', 'bn.moving_variance']);
    expect(verifyForwardGraph(m.forward)).toEqual([]);
  });

  it('`unfreeze` never makes a running statistic trainable; `freeze bn` switches the layer to its running statistics', () => {
    const m = checkOk(small('relu', 'freeze all\nunfreeze bn\nphases { 1: { epochs: 1 }, 2: { freeze: bn, unfreeze: logits, epochs: 1 } }'));
    expect(m.phases.map((p) => p.trainable)).toEqual([['bn.gamma', 'bn.beta'], ['logits.weight', 'logits.bias']]);
    const frozenFlags = (f: ForwardGraph) => f.graph.nodes.filter((n) => n.op === 'training_select').map((n) => n.attrs['frozen'] === true);
    const [p1, p2] = phaseForwards(m);
    expect(frozenFlags(p1!)).toEqual([false, false, false, false]);
    expect(frozenFlags(p2!)).toEqual([true, true, true, true]);
  });

  it('refuses a rank-1 input and a momentum outside [0, 1)', () => {
    const r = check(`model m
input v: f32[4]
target y: class(2)
net {
  b = batch_norm(dense(v, 4), momentum: 1.5)
  logits = dense(b, 2)
}
loss = cross_entropy(logits, y)
`);
    expect(r.codes).toContain('NNC3017');
    expect(r.text).toContain('batch_norm: `momentum` must be a number in [0, 1), got 1.5');
  });
});

describe('batch_norm semantics (interpreted lowerings)', () => {
  const m = checkOk(small('relu'));
  const f = m.forward;
  const id = (name: string) => f.params.find((p) => p.name === name)!.id;
  const bnOut = f.outputs['bn']!;
  const c = f.outputs['c']!;

  function run(training: boolean, frozen = false) {
    const g = frozen ? { nodes: f.graph.nodes.map((n) => (n.op === 'training_select' ? { ...n, attrs: { ...n.attrs, frozen: true } } : n)) } : f.graph;
    const feeds = new Map<number, tf.Tensor>();
    // Feed the conv output directly: 4 examples of 5×5×3 with per-channel offsets and scales.
    feeds.set(c, tf.add(tf.mul(tf.randomNormal([4, 5, 5, 3], 0, 1, 'float32', 3), tf.tensor1d([1, 2, 3])), tf.tensor1d([5, -1, 0.5])));
    feeds.set(id('bn.gamma'), tf.tensor1d([1, 2, 0.5]));
    feeds.set(id('bn.beta'), tf.tensor1d([0, 1, -1]));
    feeds.set(id('bn.moving_mean'), tf.tensor1d([4, 0, 0]));
    feeds.set(id('bn.moving_variance'), tf.tensor1d([4, 1, 9]));
    const [y, nm, nv] = runGraph(g, feeds, [bnOut, f.updates!['bn.moving_mean']!, f.updates!['bn.moving_variance']!], { training, verify: true });
    const x = feeds.get(c)!;
    const stats = tf.moments(x, [0, 1, 2]);
    const out = {
      y: y!,
      x,
      batchMean: Array.from(stats.mean.dataSync()),
      batchVar: Array.from(stats.variance.dataSync()),
      next: [Array.from(nm!.dataSync()), Array.from(nv!.dataSync())],
    };
    return out;
  }
  const close = (a: number[], b: number[], tol = 1e-4) => a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(tol * Math.max(1, Math.abs(b[i]!))));

  it('training: normalises with the batch statistics, then gamma and beta; running values blend with momentum', () => {
    const r = run(true);
    const expected = tf.add(tf.mul(tf.div(tf.sub(r.x, tf.tensor1d(r.batchMean)), tf.sqrt(tf.add(tf.tensor1d(r.batchVar), 1e-3))), tf.tensor1d([1, 2, 0.5])), tf.tensor1d([0, 1, -1]));
    close(Array.from(r.y.dataSync()), Array.from(expected.dataSync()));
    close(r.next[0]!, [4, 0, 0].map((v, i) => 0.9 * v + 0.1 * r.batchMean[i]!));
    close(r.next[1]!, [4, 1, 9].map((v, i) => 0.9 * v + 0.1 * r.batchVar[i]!));
  });

  it('evaluation, and a frozen layer while training: the running statistics, left unchanged', () => {
    for (const r of [run(false), run(true, true)]) {
      const expected = tf.add(tf.mul(tf.div(tf.sub(r.x, tf.tensor1d([4, 0, 0])), tf.sqrt(tf.tensor1d([4.001, 1.001, 9.001]))), tf.tensor1d([1, 2, 0.5])), tf.tensor1d([0, 1, -1]));
      close(Array.from(r.y.dataSync()), Array.from(expected.dataSync()));
      expect(r.next).toEqual([[4, 0, 0], [4, 1, 9]]);
    }
  });
});

describe('batch_norm gradients', () => {
  it('the whole graph (conv → batch_norm → tanh → dense) matches tf.grads and finite differences, raw and optimised', async () => {
    const sink = new DiagnosticSink();
    const compiled = compileSource({ file: 'bn.nn', text: small('tanh') }, sink);
    expect(sink.items).toEqual([]);
    for (const g of [compiled!.raw, compiled!.training]) {
      expect(Object.keys(g.grads)).toEqual(['c.weight', 'bn.gamma', 'bn.beta', 'logits.weight', 'logits.bias']);
      for (const [seed, batch] of [[1, 3], [2, 5]] as const) {
        const rows = await gradcheck(g, { seed, batch, classes: 3, samples: 4 });
        for (const r of rows) {
          expect(r.relError, r.param).toBeLessThanOrEqual(1e-4);
          expect(r.pass, `${r.param} fd ${r.fdRelError}`).toBe(true);
        }
      }
    }
  });
});

describe('a generated trainer with batch_norm', () => {
  it('type-checks strictly, trains with a flat tensor count, and saves the updated running statistics', async () => {
    const text = readFileSync(join(REPO, FIXTURE), 'utf8');
    const sink = new DiagnosticSink();
    const compiled = compileSource({ file: FIXTURE, text }, sink)!;
    const emitted = emitTrainer(compiled.model, compiled.training, { specPath: FIXTURE, compilerVersion: '0.1.0', sourceText: text, runtimeFiles: readRuntimeFiles() });
    const dir = writeEmitted('cnn/digits-bn', emitted);
    const program = emitted.files[0]!.text;
    expect(program).toContain('params.bn_moving_mean = fwd.next_bn_moving_mean;');
    expect(typeErrors([join(dir, 'train.ts')])).toEqual([]);
    const ckpt = mkdtempSync(join(tmpdir(), 'nnc-bn-'));
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'train.ts'), '--backend', native ? 'node' : 'cpu', '--epochs', '2', '--limit', '800', '--quiet', '--checkpoint-dir', ckpt], {
        cwd: REPO,
        env: { ...process.env, NNC_TRACE_TENSORS: '1' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const tensors = (step: number) => Number(new RegExp(`^tensors after step ${step}: (\\d+)`, 'm').exec(r.stderr)?.[1]);
      expect(tensors(2)).toBeGreaterThan(0);
      expect(tensors(10)).toBe(tensors(2));
      expect(tensors(20)).toBe(tensors(2));
      expect(Number(/^test: .*accuracy (\S+)/m.exec(r.stdout)?.[1])).toBeGreaterThan(0.6);
      const saved = await loadCheckpoint(ckpt);
      const mean = Array.from(saved.tensors['bn.moving_mean']!.dataSync());
      const variance = Array.from(saved.tensors['bn.moving_variance']!.dataSync());
      expect(mean.some((v) => Math.abs(v) > 1e-3)).toBe(true);
      expect(variance.some((v) => Math.abs(v - 1) > 1e-3)).toBe(true);
      expect(Object.keys(saved.tensors).filter((k) => k.includes('moving'))).toEqual(['bn.moving_mean', 'bn.moving_variance']);
      tf.dispose(Object.values(saved.tensors));
    } finally {
      rmSync(ckpt, { recursive: true, force: true });
    }
  }, 150_000);
});
