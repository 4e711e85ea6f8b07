// rt.GraphStep (src/runtime/graph-step.ts): a step function recorded once on
// tfjs-node and replayed as one TensorFlow session call must give what the
// eager calls give, take each call's inputs (not the recorded ones), record a
// new graph for a new input signature, and refuse — staying eager, with the
// reason — whatever a replay could not repeat. Off tfjs-node it is a plain call.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNative } from '../support/native.js';
import { GraphStep, graphConstant, graphFeed, graphSteps } from '../../src/runtime/graph-step.js';
import * as rt from '../../src/runtime/kernels.js';
import { nativeBackend } from '../../src/runtime/kernels-native.js';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { wrapBinding } from '../../bench/measure.js';
import { loadTrainer, syntheticBatches } from '../../bench/generated.js';
import { compileSpecAt } from '../../src/golden.js';
import { initBackend } from '../../src/runtime/backend.js';
import { Rng } from '../../src/runtime/rng.js';

const hasNative = await loadNative();

/** A small dense layer's forward and backward pass plus an SGD update, through the runtime's kernels. */
function denseStep(w: tf.Tensor, b: tf.Tensor, x: tf.Tensor, labels: tf.Tensor, factor: number): tf.Tensor[] {
  const z = rt.matMul(x, w);
  const logits = rt.add(z, b);
  const loss = rt.softmaxCrossEntropy(logits, labels);
  const g = rt.softmaxCrossEntropyMeanGrad(logits, labels, factor);
  const dw = rt.matMul(x, g, true, false);
  const db = rt.sum(g, [0]);
  const flat = rt.reshape(dw, [-1]);
  const out = [loss, rt.sub(w, dw), rt.sub(b, db), flat];
  tf.dispose([z, logits, g, dw, db]);
  return out;
}

describe.skipIf(!hasNative)('graph steps on tfjs-node', () => {
  beforeAll(async () => void (await tf.setBackend('tensorflow')));
  afterAll(async () => void (await tf.setBackend('cpu')));

  const batch = (rows: number, seed: number) => [tf.randomUniform([rows, 6], 0, 1, 'float32', seed), tf.tensor1d(Array.from({ length: rows }, (_, i) => (i * 7 + seed) % 4), 'int32')];

  it('replays the recorded step with each call’s inputs, equal to eager calls, and records once per signature', () => {
    const step = new GraphStep('test dense');
    let [w, b] = [tf.randomNormal([6, 4], 0, 0.3, 'float32', 1), tf.zeros([4])];
    let [we, be] = [w.clone(), b.clone()];
    const lr = 0.5;
    const sessions: number[] = [];
    const backend = tf.backend() as unknown as { binding: object };
    const binding = backend.binding;
    let eagerOps = 0;
    backend.binding = wrapBinding(binding, {
      executeOp: (_a, call) => (eagerOps++, call()),
      runSavedModel: (_a, call) => (sessions.push(1), call()),
    });
    try {
      for (const [t, rows] of [[0, 8], [1, 8], [2, 8], [3, 5], [4, 8], [5, 5]] as const) {
        const [x, y] = batch(rows, t) as [tf.Tensor, tf.Tensor];
        const before = { ops: eagerOps, sessions: sessions.length };
        const out = step.run(
          () => [w, b, x, y, rt.lossGradientFactor(lr, rows)],
          () => denseStep(w, b, x, y, lr),
        );
        // the first call of a signature records (eager ops, then one session call to check the graph); later calls are one session call and nothing else
        const first = t === 0 || t === 3;
        expect(sessions.length - before.sessions, `session calls at step ${t}`).toBe(1);
        if (first) expect(eagerOps - before.ops, `eager ops at step ${t}`).toBeGreaterThan(5);
        else expect(eagerOps - before.ops, `eager ops at step ${t}`).toBe(0);
        const eager = denseStep(we, be, x, y, lr);
        out.forEach((o, i) => {
          const want = eager[i]!.dataSync();
          Array.from(o.dataSync()).forEach((v, k) => expect(v, `step ${t}, output ${i}[${k}]`).toBeCloseTo(want[k]!, 5));
        });
        tf.dispose([w, b, we, be, x, y, out[0]!, out[3]!, eager[0]!, eager[3]!]);
        [w, b] = [out[1]!, out[2]!];
        [we, be] = [eager[1]!, eager[2]!];
      }
    } finally {
      backend.binding = binding;
    }
    const mine = graphSteps().filter((g) => g.step === 'test dense');
    expect(mine.map((g) => g.graph)).toEqual([true, true]);
    expect(mine.map((g) => g.signature)).toEqual([expect.stringContaining('float32[8,6]'), expect.stringContaining('float32[5,6]')]);
    expect(mine[0]!.ops).toBeGreaterThan(5);
    step.dispose();
    tf.dispose([w, b, we, be]);
  });

  it('draws per-call feeds again from each call’s rng, in order, and refuses draws from another rng', () => {
    const step = new GraphStep('test feeds');
    const draws: number[] = [];
    const draw = (r: { next(): number }) => {
      const v = r.next();
      draws.push(v);
      return tf.tensor1d([v, -v]);
    };
    let counter = 0;
    const rng = { next: () => ++counter };
    const x = tf.tensor1d([10, 20]);
    const results: number[][] = [];
    for (let i = 0; i < 3; i++) {
      const out = step.run(() => [x], () => {
        const a = graphFeed(draw(rng), rng, draw);
        const b = graphFeed(draw(rng), rng, draw);
        const y = rt.add(rt.mul(x, a), b);
        tf.dispose([a, b]);
        return [y];
      }, rng);
      results.push(Array.from(out[0]!.dataSync()));
      tf.dispose(out);
    }
    // call k draws 2k+1 and 2k+2: x·a + b
    expect(draws).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results).toEqual([[12, -22], [34, -64], [56, -106]]);
    expect(step.statuses()[0]!.graph).toBe(true);

    const other = { next: () => 1 };
    const refused = new GraphStep('test feeds elsewhere');
    const out = refused.run(() => [x], () => [rt.mul(x, graphFeed(draw(other), other, draw))], rng);
    expect(refused.statuses()[0]!.refused).toMatch(/not the one the step was given/);
    tf.dispose([x, ...out]);
    step.dispose();
  });

  it('freezes registered constants into the graph', () => {
    const step = new GraphStep('test constant');
    const k = graphConstant(tf.scalar(3));
    const x1 = tf.tensor1d([1, 2]);
    const first = step.run(() => [x1], () => [rt.mul(x1, k)]);
    const x2 = tf.tensor1d([5, 7]);
    const second = step.run(() => [x2], () => [rt.mul(x2, k)]);
    expect(Array.from(first[0]!.dataSync())).toEqual([3, 6]);
    expect(Array.from(second[0]!.dataSync())).toEqual([15, 21]);
    expect(graphSteps().find((g) => g.step === 'test constant')!.graph).toBe(true);
    step.dispose();
    tf.dispose([k, x1, x2, ...first, ...second]);
  });

  const refusals: [string, (x: tf.Tensor) => tf.Tensor[], RegExp][] = [
    ['a tensor uploaded inside the step (a host-drawn mask)', (x) => [rt.mul(x, tf.tensor1d([1, 0]))], /neither an input nor a registered constant/],
    ['a tensor captured from outside without registration', (x) => [rt.mul(x, outside)], /neither an input nor a registered constant/],
    ['a read back to the host', (x) => [rt.mul(x, rt.reshape(x, [x.dataSync().length]))], /reads a tensor back to the host/],
    ['a random op', (x) => [rt.add(x, randomNormal([2]))], /RandomStandardNormal, which a replay could not repeat/],
  ];
  const outside = tf.tensor1d([2, 2]);
  /** TensorFlow's own random op (tf.randomNormal draws in JS and uploads); its shape a registered constant. */
  let shapeOf2: tf.Tensor | null = null;
  const randomNormal = (shape: number[]) => {
    const nb = nativeBackend()!;
    const b = nb.binding;
    const attrs = [
      { name: 'dtype', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
      { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_INT32 },
    ];
    shapeOf2 ??= graphConstant(tf.tensor1d(shape, 'int32'));
    return nb.executeSingleOutput('RandomStandardNormal', attrs, [shapeOf2]);
  };
  for (const [what, fn, why] of refusals) {
    it(`refuses ${what} and stays eager`, () => {
      const step = new GraphStep(`test refusal ${what}`);
      for (const v of [1, 2, 3]) {
        const x = tf.tensor1d([v, v + 1]);
        const out = step.run(() => [x], () => fn(x));
        expect(out).toHaveLength(1);
        tf.dispose([x, ...out]);
      }
      const status = graphSteps().find((g) => g.step === `test refusal ${what}`)!;
      expect(status.graph).toBe(false);
      expect(status.refused).toMatch(why);
    });
  }

  it('is a plain call on other backends', async () => {
    await tf.setBackend('cpu');
    try {
      const step = new GraphStep('test cpu');
      let asked = false;
      const x = tf.tensor1d([1, 2]);
      const out = step.run(() => ((asked = true), [x]), () => [rt.add(x, x)]);
      expect(Array.from(out[0]!.dataSync())).toEqual([2, 4]);
      expect(asked).toBe(false);
      expect(step.statuses()).toEqual([]);
      tf.dispose([x, ...out]);
    } finally {
      await tf.setBackend('tensorflow');
    }
  });
});

// Generated trainers: the same steps with graph steps on and off (NNC_GRAPH_STEP=0) give the same losses and parameters.
describe.skipIf(!hasNative)('generated trainers with and without graph steps', () => {
  const root = resolve(import.meta.dirname, '../..');
  beforeAll(async () => void (await initBackend('node', () => {})));
  afterAll(async () => void (await tf.setBackend('cpu')));

  // w1: folded SGD (update inside the graph); w3: convolutions and pools; digits: Adam after the graph;
  // mnist-mlp and mnist-cnn: dropout masks fed from the step's rng (each run's rng must advance alike)
  for (const spec of ['bench/specs/w1-sgd.nn', 'bench/specs/w3-adam.nn', 'specs/digits.nn', 'specs/mnist-mlp.nn', 'specs/mnist-cnn.nn']) {
    it(`${spec}: eight steps as one graph each equal eight eager steps`, async () => {
      const trainer = await loadTrainer(root, spec);
      const m = trainer.module;
      m.installConstants();
      const { forward } = compileSpecAt(root, spec).compiled.model;
      const batches = syntheticBatches(forward, 16);
      const runs = [true, false].map(() => {
        const params = m.initParams(new Rng(7));
        return { params, state: m.initOptimizerState(params), rng: new Rng(1), losses: [] as number[] };
      });
      for (let i = 0; i < 8; i++) {
        for (const [k, r] of runs.entries()) {
          if (k === 1) process.env['NNC_GRAPH_STEP'] = '0';
          try {
            r.losses.push(m.trainStep(r.params, r.state, batches[i]!, 0.01, r.rng));
          } finally {
            delete process.env['NNC_GRAPH_STEP'];
          }
        }
      }
      const [graph, eager] = runs as [(typeof runs)[0], (typeof runs)[0]];
      expect(graph.rng.state(), 'rng state after eight steps').toEqual(eager.rng.state());
      graph.losses.forEach((l, i) => expect(l, `loss at step ${i + 1}`).toBeCloseTo(eager.losses[i]!, 5));
      for (const [name, t] of Object.entries(graph.params)) {
        const want = eager.params[name]!.dataSync();
        const got = t.dataSync();
        let worst = 0;
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
        expect(worst, `max |Δ${name}|`).toBeLessThan(1e-5);
      }
      const { graphSteps: trainerGraphSteps } = (await import(pathToFileURL(join(trainer.dir, 'runtime', 'emit-support.ts')).href)) as typeof import('../../src/runtime/graph-step.js');
      expect(trainerGraphSteps().map((g) => [g.graph, g.refused])).toEqual([[true, null]]);
      for (const r of runs) {
        m.disposeOptimizerState(r.state);
        tf.dispose(Object.values(r.params));
      }
      tf.dispose(batches.flatMap((b) => Object.values(b)));
    });
  }
});
