import { describe, expect, it } from 'vitest';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import type { Node, TrainingGraph } from '../../src/ir/types.js';
import { verifyForwardGraph, verifyGraph } from '../../src/ir/verify.js';
import { mlp } from '../autodiff/fixtures.js';

function trained(): TrainingGraph {
  return differentiate(mlp({ dropout: 0.1 }), new DiagnosticSink());
}

/** A copy of the graph with node `id` changed. */
function corrupt(tg: TrainingGraph, id: number, change: (n: Node) => Node): TrainingGraph {
  const nodes = tg.graph.nodes.map((n) => (n.id === id ? change({ ...n }) : n));
  return { ...tg, graph: { nodes } };
}

const find = (tg: TrainingGraph, op: string) => tg.graph.nodes.find((n) => n.op === op)!.id;

describe('verifier', () => {
  it('accepts what autodiff produces', () => {
    expect(verifyForwardGraph(trained())).toEqual([]);
  });

  it('catches an id that is not the index', () => {
    const tg = trained();
    expect(verifyGraph(corrupt(tg, 7, (n) => ({ ...n, id: 70 })).graph)).toEqual(['%7 (add): id is %70, expected its index 7']);
  });

  it('catches a use before definition and a missing input', () => {
    const tg = trained();
    const mm = find(tg, 'matmul');
    const late = verifyGraph(corrupt(tg, mm, (n) => ({ ...n, inputs: [n.inputs[0]!, mm + 1] })).graph);
    expect(late).toEqual([`%${mm} (matmul): input %${mm + 1} is not defined before its use (order is not topological)`]);
    const missing = verifyGraph(corrupt(tg, mm, (n) => ({ ...n, inputs: [n.inputs[0]!, 999] })).graph);
    expect(missing).toEqual([`%${mm} (matmul): input %999 does not exist`]);
  });

  it('catches a wrong arity and a stored type the shape rule disagrees with', () => {
    const tg = trained();
    const relu = find(tg, 'relu');
    expect(verifyGraph(corrupt(tg, relu, (n) => ({ ...n, inputs: [n.inputs[0]!, n.inputs[0]!] })).graph)).toEqual([
      `%${relu} (relu): takes 1 input(s), has 2`,
    ]);
    expect(verifyGraph(corrupt(tg, relu, (n) => ({ ...n, type: { dtype: 'f32', shape: ['batch', 7] } })).graph)).toContain(
      `%${relu} (relu): stored type f32[batch, 7] but the shape rule gives f32[batch, 5]`,
    );
    const mm = find(tg, 'matmul');
    expect(verifyGraph(corrupt(tg, mm, (n) => ({ ...n, inputs: [n.inputs[1]!, n.inputs[0]!] })).graph)[0]).toMatch(
      /^%\d+ \(matmul\): shape rule refuses the inputs: matmul: inner dimensions differ/,
    );
  });

  it('catches a backward node without a forward origin', () => {
    const tg = trained();
    const last = tg.graph.nodes.length - 1;
    expect(verifyGraph(corrupt(tg, last, (n) => ({ ...n, origin: { ...n.origin, of: null } })).graph)).toEqual([
      `%${last} (matmul): backward node has no forward origin`,
    ]);
    expect(verifyGraph(corrupt(tg, last, (n) => ({ ...n, origin: { ...n.origin, of: last - 1 } })).graph)).toEqual([
      `%${last} (matmul): origin %${last - 1} is not a forward node`,
    ]);
  });

  it('catches tables that point at the wrong nodes', () => {
    const tg = trained();
    const wrongGrad = { ...tg, grads: { ...tg.grads, 'h.bias': tg.grads['h.weight']! } };
    expect(verifyForwardGraph(wrongGrad)).toEqual(["grad h.bias: type f32[4, 5] differs from the parameter's f32[5]"]);
    const frozenWithGrad = { ...tg, params: tg.params.map((p) => (p.name === 'h.bias' ? { ...p, trainable: false } : p)) };
    expect(verifyForwardGraph(frozenWithGrad)).toEqual(['grad h.bias: the parameter is frozen but has a gradient']);
    const paramIsNot = { ...tg, params: tg.params.map((p) => (p.name === 'h.bias' ? { ...p, id: 0 } : p)) };
    expect(verifyForwardGraph(paramIsNot)).toEqual(['param h.bias: %0 is not a param node (it is input)']);
    expect(verifyForwardGraph({ ...tg, loss: find(tg, 'relu') })).toEqual([`loss: %${find(tg, 'relu')} is not a scalar`]);
  });
});
