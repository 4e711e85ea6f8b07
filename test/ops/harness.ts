// Gradient-check harness for the primitives. A case builds a small forward
// graph with GraphBuilder; the harness adds the backward nodes by applying the
// ops' own VJP rules in a minimal reverse sweep (with un-broadcasting), runs
// everything through runGraph (i.e. the lowered code), and compares
//   (1) with tfjs's own tf.grads of an equivalent forward written directly in tfjs,
//   (2) with central finite differences of f(x) = Σ y(x)·dy.
import * as tf from '@tensorflow/tfjs';
import { GraphBuilder } from '../../src/ir/builder.js';
import { runGraph } from '../../src/ir/interpret.js';
import { broadcastAxes, instantiate, sameShape } from '../../src/ir/shapes.js';
import type { Dim, DType, Origin, ValueId } from '../../src/ir/types.js';
import { OPS } from '../../src/ops/registry.js';
import type { VjpBuilder } from '../../src/ops/op.js';
import { Rng } from '../../src/runtime/rng.js';

export const FORWARD: Origin = { phase: 'forward', span: null, of: null, label: null };
const BACKWARD: Origin = { phase: 'backward', span: null, of: null, label: null };

/** How an input's values are drawn (all away from the kinks and poles the op may have). */
export type Gen = 'normal' | 'positive' | 'away0' | 'unit' | 'distinct' | { labels: number };

export interface InputSpec {
  shape: Dim[];
  dtype?: DType;
  gen?: Gen;
}

export interface GradCase {
  inputs: InputSpec[];
  /** Adds the forward nodes; returns the value y whose gradients are checked. */
  build(g: GraphBuilder, xs: ValueId[]): ValueId;
  /** The same forward, written directly with tfjs (differentiated with tf.grads). */
  reference(xs: tf.Tensor[]): tf.Tensor;
  /** Size of the symbolic batch axis (odd, to catch shape slips). */
  batch?: number;
  training?: boolean;
  seed?: number;
}

export interface GradReport {
  /** max |ours - tf.grads| / max(1, max |tf.grads|), over every float input. */
  vsTfjs: number;
  /** max over elements of |ours - fd| / (1 + |ours|). */
  vsFiniteDiff: number;
  /** max |forward - reference forward|. */
  forward: number;
}

function draw(gen: Gen, rng: Rng): number {
  if (typeof gen === 'object') return rng.int(gen.labels);
  switch (gen) {
    case 'normal':
      return rng.normal();
    case 'positive':
      return rng.uniform(0.5, 2);
    case 'away0':
      return (rng.uniform() < 0.5 ? -1 : 1) * rng.uniform(0.2, 1.5);
    case 'unit':
      return rng.uniform(0.05, 0.95);
    case 'distinct':
      throw new Error('distinct values are drawn per tensor');
  }
}

function randomTensor(spec: InputSpec, shape: number[], rng: Rng): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const gen = spec.gen ?? 'normal';
  // 'distinct': a shuffled grid 0.05 apart, so no ±eps step changes which value is a max.
  const values = gen === 'distinct' ? Array.from(rng.permutation(n), (k) => (k - n / 2) * 0.05) : Array.from({ length: n }, () => draw(gen, rng));
  return tf.tensor(values, shape, spec.dtype === 'i32' ? 'int32' : 'float32');
}

/**
 * The reverse sweep a test needs: adjoints from y back to `wrt`, by each op's
 * VJP rule; contributions of a broadcast shape are summed back to the input's
 * shape (sum keepDims + reshape), as the real autodiff does centrally.
 */
export function reverseSweep(g: GraphBuilder, y: ValueId, dy: ValueId, wrt: readonly ValueId[]): (ValueId | null)[] {
  const b: VjpBuilder = {
    add: (op, inputs, attrs) => g.add(op, inputs, attrs ?? {}, BACKWARD),
    constant: (value) => g.add('const', [], { value }, BACKWARD),
    type: (id) => g.type(id),
  };
  const adjoint = new Map<ValueId, ValueId>([[y, dy]]);
  for (let id = y; id >= 0; id--) {
    const node = g.nodes[id]!;
    const dOut = adjoint.get(id);
    const rule = OPS[node.op].vjp;
    if (dOut === undefined || !rule) continue;
    rule(b, node, dOut).forEach((contrib, k) => {
      const x = node.inputs[k]!;
      if (contrib === null || g.type(x).dtype !== 'f32') return;
      const c = unbroadcast(g, contrib, g.type(x).shape);
      const prev = adjoint.get(x);
      adjoint.set(x, prev === undefined ? c : g.add('add', [prev, c], {}, BACKWARD));
    });
  }
  return wrt.map((x) => adjoint.get(x) ?? null);
}

function unbroadcast(g: GraphBuilder, c: ValueId, shape: Dim[]): ValueId {
  const from = g.type(c).shape;
  if (sameShape(from, shape)) return c;
  const axes = broadcastAxes(shape, from);
  const summed = g.add('sum', [c], { axes, keepDims: true }, BACKWARD);
  return g.add('reshape', [summed], { shape }, BACKWARD);
}

/** Σ y·dy in float64, from a float32 forward run. */
function objective(values: tf.Tensor, dy: Float32Array): number {
  const y = values.dataSync();
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]! * dy[i]!;
  return s;
}

export function checkGradients(c: GradCase, eps = 1e-2): GradReport {
  const batch = c.batch ?? 3;
  const rng = new Rng(c.seed ?? 1);
  const training = c.training ?? false;
  const g = new GraphBuilder();
  const xs = c.inputs.map((s, i) => g.add('input', [], { dtype: s.dtype ?? 'f32', shape: s.shape, name: `x${i}` }, FORWARD));
  const y = c.build(g, xs);
  const yType = g.type(y);
  const dyNode = g.add('input', [], { dtype: 'f32', shape: yType.shape, name: 'dy' }, FORWARD);
  const floatIdx = c.inputs.map((s, i) => (s.dtype === 'i32' ? -1 : i)).filter((i) => i >= 0);
  const grads = reverseSweep(g, y, dyNode, floatIdx.map((i) => xs[i]!));
  const graph = g.build();

  const sizes = { batch };
  const xTensors = c.inputs.map((s) => randomTensor(s, instantiate(s.shape, sizes), rng));
  const dyT = randomTensor({ shape: yType.shape }, instantiate(yType.shape, sizes), rng);
  const feeds = (xsNow: tf.Tensor[]) => new Map<ValueId, tf.Tensor>([...xsNow.map((t, i) => [xs[i]!, t] as const), [dyNode, dyT]]);
  // A fresh generator per run, so stochastic ops (dropout) draw the same mask every time.
  const run = (xsNow: tf.Tensor[], wanted: ValueId[]) =>
    runGraph(graph, feeds(xsNow), wanted, { training, rng: new Rng(99), verify: true });

  // A null adjoint means "no contribution": a zero gradient, checked as such.
  const reached = grads.filter((id): id is ValueId => id !== null);
  const [yOurs, ...computed] = run(xTensors, [y, ...reached]);
  const ours = grads.map((id, k) => (id === null ? tf.zerosLike(xTensors[floatIdx[k]!]!) : computed[reached.indexOf(id)]!));

  // (1) tf.grads of the reference forward, integer inputs held fixed.
  const withFloats = (fs: tf.Tensor[]) => xTensors.map((t, i) => (floatIdx.includes(i) ? fs[floatIdx.indexOf(i)]! : t));
  const yRef = c.reference(xTensors);
  const refGrads = tf.grads((...fs: tf.Tensor[]) => c.reference(withFloats(fs)))(floatIdx.map((i) => xTensors[i]!), dyT);
  const forward = maxAbsDiff(yOurs!, yRef);
  let vsTfjs = 0;
  ours.forEach((o, k) => {
    const r = refGrads[k]!;
    if (!sameShape(o.shape, r.shape)) throw new Error(`gradient ${k}: shape [${o.shape}] vs tf.grads [${r.shape}]`);
    const scale = Math.max(1, ...Array.from(r.dataSync(), Math.abs));
    vsTfjs = Math.max(vsTfjs, maxAbsDiff(o, r) / scale);
  });

  // (2) central finite differences, one element at a time.
  const dyValues = dyT.dataSync() as Float32Array;
  let vsFiniteDiff = 0;
  floatIdx.forEach((inputIdx, k) => {
    const base = xTensors[inputIdx]!;
    const values = base.dataSync().slice() as Float32Array;
    const analytic = ours[k]!.dataSync();
    for (let e = 0; e < values.length; e++) {
      const at = (delta: number) => {
        const v = values.slice();
        v[e] = v[e]! + delta;
        const xsNow = xTensors.slice();
        xsNow[inputIdx] = tf.tensor(v, base.shape, 'float32');
        const [yv] = run(xsNow, [y]);
        const f = objective(yv!, dyValues);
        yv!.dispose();
        xsNow[inputIdx]!.dispose();
        return f;
      };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      vsFiniteDiff = Math.max(vsFiniteDiff, Math.abs(fd - analytic[e]!) / (1 + Math.abs(analytic[e]!)));
    }
  });

  tf.dispose([yOurs!, ...ours, yRef, ...refGrads, ...xTensors, dyT]);
  return { vsTfjs, vsFiniteDiff, forward };
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  if (!sameShape(a.shape, b.shape)) throw new Error(`shapes differ: [${a.shape}] vs [${b.shape}]`);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** Stated tolerances: tf.grads agreement is float32 round-off; finite differences use eps = 1e-2. */
export const TOL = { vsTfjs: 1e-4, vsFiniteDiff: 5e-3, forward: 1e-4 };

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
}

/** Builds `op(xs…)` with attributes: the common one-node case. */
export function single(op: Parameters<GraphBuilder['add']>[0], attrs: Record<string, unknown> = {}) {
  return (g: GraphBuilder, xs: ValueId[]) => g.add(op, xs, attrs as never, FORWARD);
}
