// The fold-step pass: plain SGD's learning rate joins the loss gradient when
// every gradient is linear in it, and only then. Checked by running the folded
// and the unfolded graphs (the lowerings the trainer emits), and by the
// emitted trainer's own update against w − lr·∂loss/∂w from tfjs's autodiff.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import { compileSpecAt } from '../../src/golden.js';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { optimize, stepFoldRefusal } from '../../src/passes/index.js';
import { runGraph } from '../../src/ir/interpret.js';
import type { TrainingGraph, ValueId } from '../../src/ir/types.js';
import { Rng } from '../../src/runtime/rng.js';
import { loadTrainer } from '../../bench/generated.js';
import { tinyModel } from '../emit/fixture.js';
import { loadNative } from '../support/native.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Deterministic feeds for every input and parameter of `g`. */
function feeds(g: TrainingGraph): Map<ValueId, tf.Tensor> {
  const rng = new Rng(3);
  const m = new Map<ValueId, tf.Tensor>();
  for (const i of g.inputs) {
    const shape = i.type.shape.map((d) => (typeof d === 'number' ? d : 4));
    const n = shape.reduce((a, b) => a * b, 1);
    m.set(i.id, i.type.dtype === 'i32' ? tf.tensor(Array.from({ length: n }, () => Math.floor(rng.uniform() * 10)), shape, 'int32') : tf.tensor(Array.from({ length: n }, () => rng.uniform()), shape));
  }
  for (const p of g.params) {
    const shape = g.graph.nodes[p.id]!.type.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    m.set(p.id, tf.tensor(Array.from({ length: n }, () => rng.uniform(-0.3, 0.3)), shape));
  }
  return m;
}

function gradients(g: TrainingGraph, stepSize: number): Record<string, Float32Array> {
  const names = Object.keys(g.grads);
  const f = feeds(g);
  const out = runGraph(g.graph, f, names.map((n) => g.grads[n]!), { training: true, stepSize });
  const values = Object.fromEntries(names.map((n, i) => [n, out[i]!.dataSync() as Float32Array]));
  tf.dispose([...out, ...f.values()]);
  return values;
}

beforeAll(async () => {
  // tfjs-node when installed (the CNN's gradients take seconds on the pure-JS backend)
  await tf.setBackend((await loadNative()) ? 'tensorflow' : 'cpu');
});

describe('fold-step', () => {
  for (const spec of ['bench/specs/w1-sgd.nn', 'bench/specs/w3-sgd.nn']) {
    it(`scales every gradient of ${spec} by the step size, exactly as lr·g`, () => {
      const { compiled } = compileSpecAt(ROOT, spec);
      expect(compiled.training.stepScaled).toBe(true);
      const plain = optimize(differentiate(compiled.model.forward, new DiagnosticSink()));
      expect(plain.stepScaled).toBeUndefined();
      const want = gradients(plain, 1);
      const got = gradients(compiled.training, 0.05);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const [name, g] of Object.entries(got)) {
        const w = want[name]!;
        // float32 round-off, relative to the gradient's largest entry
        let worst = 0;
        let scale = 0;
        g.forEach((v, i) => {
          worst = Math.max(worst, Math.abs(v - 0.05 * w[i]!));
          scale = Math.max(scale, Math.abs(0.05 * w[i]!));
        });
        expect(scale, name).toBeGreaterThan(0);
        expect(worst / scale, name).toBeLessThan(1e-5);
      }
      // step size 1: the folded graph computes the true gradients
      const unit = gradients(compiled.training, 1);
      for (const [name, g] of Object.entries(unit)) g.forEach((v, i) => expect(v, name).toBeCloseTo(want[name]![i]!, 5));
    });
  }

  it('refuses when a gradient has a term that does not come from the loss gradient (an L2 regulariser)', () => {
    // the MNIST MLP's loss adds 1e-4·Σw²: its weight gradients are affine in the loss gradient, not linear
    expect(stepFoldRefusal(optimize(tinyModel().tg))).toMatch(/%\d+ = add is not linear in the loss gradient/);
    expect(stepFoldRefusal(compileSpecAt(ROOT, 'specs/mnist-mlp.nn').compiled.training)).toMatch(/%\d+ = add is not linear in the loss gradient/);
  });

  it('is left out on request (PipelineOptions.without, for bench:ab)', () => {
    expect(compileSpecAt(ROOT, 'bench/specs/w1-sgd.nn', { without: ['fold-step'] }).compiled.training.stepScaled).toBeUndefined();
  });

  it('leaves every optimizer but plain SGD alone (momentum keeps lr out of its velocity)', () => {
    const { compiled } = compileSpecAt(ROOT, 'bench/specs/w1-adam.nn');
    expect(compiled.training.stepScaled).toBeUndefined();
    expect(compiled.training.graph.nodes.some((n) => n.attrs['stepScaled'] === true)).toBe(false);
  });

  it("the emitted trainer's step is w − lr·∂loss/∂w, the gradient from tfjs's own autodiff", async () => {
    const { module: m } = await loadTrainer(ROOT, 'bench/specs/w1-sgd.nn');
    const params = m.initParams(new Rng(7));
    const before = Object.fromEntries(Object.entries(params).map(([k, t]) => [k, t.clone()]));
    const rng = new Rng(11);
    const image = tf.tensor(Array.from({ length: 8 * 784 }, () => rng.uniform()), [8, 784]);
    const digit = tf.tensor(Array.from({ length: 8 }, (_, i) => i % 10), [8], 'int32');
    const names = m.TRAINABLE as readonly string[];
    const loss = (...ws: tf.Tensor[]) => {
      const p = Object.fromEntries(names.map((n, i) => [n, ws[i]!]));
      const h = tf.relu(tf.add(tf.matMul(image, p['h_weight']!), p['h_bias']!));
      const logits = tf.add(tf.matMul(h, p['logits_weight']!), p['logits_bias']!);
      return tf.losses.softmaxCrossEntropy(tf.oneHot(digit, 10), logits) as tf.Scalar;
    };
    const grads = tf.grads(loss)(names.map((n) => before[n]!));
    const state = m.initOptimizerState(params);
    m.trainStep(params, state, { image, digit }, 0.3, new Rng(1));
    names.forEach((n, i) => {
      const want = tf.sub(before[n]!, tf.mul(grads[i]!, 0.3)).dataSync();
      const got = params[n]!.dataSync();
      want.forEach((v, j) => expect(got[j], `${n}[${j}]`).toBeCloseTo(v, 5));
    });
    tf.dispose([...Object.values(params), ...Object.values(before), ...grads, image, digit]);
  });

  it('a learning rate that changes every step (a schedule) holds one factor, not one per value', async () => {
    const { module: m } = await loadTrainer(ROOT, 'bench/specs/w1-sgd.nn');
    const params = m.initParams(new Rng(7));
    const state = m.initOptimizerState(params);
    const rng = new Rng(11);
    const image = tf.tensor(Array.from({ length: 8 * 784 }, () => rng.uniform()), [8, 784]);
    const digit = tf.tensor(Array.from({ length: 8 }, (_, i) => i % 10), [8], 'int32');
    const counts: number[] = [];
    for (const lr of [0.1, 0.05, 0.025, 0.0125]) {
      m.trainStep(params, state, { image, digit }, lr, new Rng(1));
      counts.push(tf.memory().numTensors);
    }
    expect(counts.slice(1)).toEqual([counts[0], counts[0], counts[0]]);
    tf.dispose([...Object.values(params), image, digit]);
  });
});
