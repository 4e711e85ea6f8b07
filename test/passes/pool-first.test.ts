// pool-first: max_pool(relu(add(z, b))) → relu(add(max_pool(z), b)). The
// rewritten graph must compute the same loss bit for bit and the same
// gradients (ties in the pooled windows and fully clipped windows included),
// and leave alone a pool whose activation something else reads.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import { compileSpecAt } from '../../src/golden.js';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { runGraph } from '../../src/ir/interpret.js';
import type { ForwardGraph, ValueId } from '../../src/ir/types.js';
import { optimize, poolFirst } from '../../src/passes/index.js';
import { Rng } from '../../src/runtime/rng.js';
import { loadNative } from '../support/native.js';

const ROOT = resolve(import.meta.dirname, '../..');

beforeAll(async () => {
  await tf.setBackend((await loadNative()) ? 'tensorflow' : 'cpu');
});

/**
 * Batch and parameters. `ties`: every value a small multiple of 1/4, so sums
 * are exact and equal pre-activations in a window are common (ties), and
 * biases are negative enough to clip whole windows. Otherwise continuous
 * values (ties only by chance).
 */
function feeds(fwd: ForwardGraph, batch: number, ties: boolean): Map<ValueId, tf.Tensor> {
  const rng = new Rng(9);
  const m = new Map<ValueId, tf.Tensor>();
  const values = (n: number, lo: number, hi: number) =>
    Array.from({ length: n }, () => (ties ? lo + Math.floor(rng.uniform() * ((hi - lo) * 4 + 1)) / 4 : rng.uniform(lo, hi)));
  for (const i of fwd.inputs) {
    const shape = i.type.shape.map((d) => (typeof d === 'number' ? d : batch));
    const n = shape.reduce((a, b) => a * b, 1);
    m.set(i.id, i.type.dtype === 'i32' ? tf.tensor(Array.from({ length: n }, (_, k) => k % 10), shape, 'int32') : tf.tensor(values(n, 0, 1), shape));
  }
  for (const p of fwd.params) {
    const shape = fwd.graph.nodes[p.id]!.type.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    m.set(p.id, tf.tensor(shape.length === 1 ? values(n, -1, 0.5) : values(n, -0.5, 0.5), shape));
  }
  return m;
}

describe('pool-first', () => {
  const { compiled } = compileSpecAt(ROOT, 'bench/specs/w3-sgd.nn');
  const fwd = compiled.model.forward;

  it('moves both of the CNN’s pools under their bias and relu', () => {
    const moved = poolFirst(fwd);
    // the nodes the loss reads, in graph order: conv → pool → add → relu, twice
    const read = new Set<ValueId>();
    const stack = [moved.loss];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (!read.has(id)) stack.push(...moved.graph.nodes[id]!.inputs);
      read.add(id);
    }
    const order = moved.graph.nodes
      .filter((n) => read.has(n.id) && ['conv2d', 'max_pool', 'add', 'relu'].includes(n.op))
      .map((n) => n.op)
      .join(' ');
    expect(order).toContain('conv2d max_pool add relu conv2d max_pool add relu');
    const p1 = moved.graph.nodes[moved.outputs['p1']!]!;
    expect(p1.op).toBe('relu');
    expect(p1.type.shape).toEqual(['batch', 14, 14, 32]);
  });

  for (const ties of [true, false]) {
    it(`computes the same loss bit for bit and the same gradients (${ties ? 'exact ties in the windows' : 'continuous values'}, clipped windows)`, () => {
      const moved = poolFirst(fwd);
      const sink = new DiagnosticSink();
      const before = optimize(differentiate(fwd, sink));
      const after = optimize(differentiate(moved, sink));
      const names = Object.keys(before.grads);
      const run = (g: typeof before) => {
        const f = feeds(g, 6, ties);
        const out = runGraph(g.graph, f, [g.loss, ...names.map((n) => g.grads[n]!)], { training: true });
        const values = out.map((t) => Array.from(t.dataSync()));
        tf.dispose([...out, ...f.values()]);
        return values;
      };
      const [lossBefore, ...gradsBefore] = run(before);
      const [lossAfter, ...gradsAfter] = run(after);
      expect(lossAfter).toEqual(lossBefore);
      names.forEach((name, k) => {
        const want = gradsBefore[k]!;
        const scale = Math.max(...want.map(Math.abs));
        expect(scale, name).toBeGreaterThan(0);
        gradsAfter[k]!.forEach((v, i) => expect(Math.abs(v - want[i]!) / scale, `${name}[${i}]`).toBeLessThan(1e-5));
      });
    });
  }

  it('leaves a pool alone when its activation has another reader', () => {
    const b = new GraphBuilder(fwd.graph);
    const firstRelu = fwd.graph.nodes.find((n) => n.op === 'relu')!;
    b.add('mul', [firstRelu.id, firstRelu.id], {}, firstRelu.origin);
    const moved = poolFirst({ ...fwd, graph: b.build() });
    const pools = moved.graph.nodes.filter((n) => n.op === 'max_pool');
    // the first pool still reads the relu; only the second moved (its copy added at the end)
    expect(moved.graph.nodes[pools[0]!.inputs[0]!]!.op).toBe('relu');
    expect(moved.graph.nodes[moved.outputs['p2']!]!.op).toBe('relu');
    expect(moved.graph.nodes[moved.outputs['p1']!]!.op).toBe('max_pool');
  });

  it('is applied by the pipeline, and left out on request (PipelineOptions.without, for bench:ab)', () => {
    const poolOf = (g: { graph: { nodes: { op: string; inputs: number[] }[] } }) => g.graph.nodes.find((n) => n.op === 'max_pool')!;
    const applied = compileSpecAt(ROOT, 'bench/specs/w3-sgd.nn').compiled.training;
    const skipped = compileSpecAt(ROOT, 'bench/specs/w3-sgd.nn', { without: ['pool-first'] }).compiled.training;
    expect(applied.graph.nodes[poolOf(applied).inputs[0]!]!.op).toBe('conv2d');
    expect(skipped.graph.nodes[poolOf(skipped).inputs[0]!]!.op).toBe('relu');
  });

  it('changes nothing in a net without pooling', () => {
    const mlp = compileSpecAt(ROOT, 'bench/specs/w1-sgd.nn').compiled.model.forward;
    expect(poolFirst(mlp)).toBe(mlp);
  });
});
