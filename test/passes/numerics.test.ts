// The passes must not change what a graph computes: run the graph before and
// after `optimize` on the same feeds (with runGraph, i.e. the lowered code)
// and compare the loss, the outputs and every gradient.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { runGraph } from '../../src/ir/interpret.js';
import { instantiate } from '../../src/ir/shapes.js';
import type { ForwardGraph, TrainingGraph, ValueId } from '../../src/ir/types.js';
import { verifyForwardGraph } from '../../src/ir/verify.js';
import { optimize } from '../../src/passes/index.js';
import { Rng } from '../../src/runtime/rng.js';
import { Fixture, fwd, mlp } from '../autodiff/fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Values of the loss, outputs and grads (in a fixed order), from leaves fed by name. */
function evaluate(tg: TrainingGraph, leaves: ReadonlyMap<string, tf.Tensor>): number[][] {
  const feeds = new Map<ValueId, tf.Tensor>();
  for (const i of tg.inputs) feeds.set(i.id, leaves.get(i.name)!);
  for (const p of tg.params) feeds.set(p.id, leaves.get(p.name)!);
  const names = Object.keys(tg.outputs).sort();
  const wanted = [tg.loss, ...names.map((n) => tg.outputs[n]!), ...tg.params.map((p) => tg.grads[p.name]!)];
  const out = runGraph(tg.graph, feeds, wanted, { training: true, rng: new Rng(5), verify: true });
  const values = out.map((t) => Array.from(t.dataSync()));
  tf.dispose(out.filter((t) => ![...feeds.values()].includes(t)));
  return values;
}

function randomLeaves(g: ForwardGraph, batch: number, seed: number): Map<string, tf.Tensor> {
  const rng = new Rng(seed);
  const leaves = new Map<string, tf.Tensor>();
  const all = [...g.inputs.map((i) => ({ name: i.name, type: i.type })), ...g.params];
  for (const { name, type } of all) {
    const shape = instantiate(type.shape, { batch });
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, () => (type.dtype === 'i32' ? rng.int(3) : rng.normal()));
    leaves.set(name, tf.tensor(values, shape, type.dtype === 'i32' ? 'int32' : 'float32'));
  }
  return leaves;
}

function expectSameResults(forward: ForwardGraph): void {
  const raw = differentiate(forward, new DiagnosticSink());
  const optimized = optimize(raw, { verify: true });
  expect(verifyForwardGraph(optimized)).toEqual([]);
  const leaves = randomLeaves(forward, 5, 11);
  const before = evaluate(raw, leaves);
  const after = evaluate(optimized, leaves);
  expect(after.length).toBe(before.length);
  before.forEach((vs, k) => {
    const scale = Math.max(1, ...vs.map(Math.abs));
    after[k]!.forEach((v, i) => expect(Math.abs(v - vs[i]!) / scale).toBeLessThan(1e-6));
  });
  tf.dispose([...leaves.values()]);
}

describe('passes preserve results', () => {
  it('on an MLP', () => expectSameResults(mlp()));
  it('on an MLP with dropout (same masks drawn)', () => expectSameResults(mlp({ dropout: 0.4 })));

  it('on a graph full of identities, transposes and constants', () => {
    const f = new Fixture();
    const x = f.input('x', ['batch', 3]);
    const w = f.param('w', [3, 3]);
    const s = f.param('s', []);
    const op = (kind: Parameters<typeof f.g.add>[0], inputs: number[], attrs = {}) => f.g.add(kind, inputs, attrs, fwd('v', 2));
    const c = (value: number) => op('const', [], { value });
    let v = op('mul', [x, op('exp', [c(0)])]);
    v = op('add', [c(0), v]);
    v = op('matmul', [v, op('transpose', [w], { perm: [1, 0] })]);
    v = op('mul', [v, op('mul', [s, op('div', [c(1), c(4)])])]);
    v = op('tanh', [op('neg', [op('neg', [v])])]);
    v = op('add', [v, op('broadcast_like', [op('sigmoid', [s]), v])]);
    const t = op('matmul', [op('transpose', [v]), op('sigmoid', [x])]);
    const loss = op('mean', [op('square', [op('sub', [op('reshape', [op('reshape', [t], { shape: [9] })], { shape: [3, 3] }), c(0)])])]);
    expectSameResults(f.finish(loss, { t }));
  });
});
