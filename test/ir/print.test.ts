import { describe, expect, it } from 'vitest';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { trainingGraphToDot } from '../../src/ir/dot.js';
import { formatNode, printTrainingGraph } from '../../src/ir/print.js';
import type { Node } from '../../src/ir/types.js';
import { mlp, span } from '../autodiff/fixtures.js';

describe('text form', () => {
  it('prints a backward node with its origin, attrs sorted', () => {
    const n: Node = {
      id: 12,
      op: 'matmul',
      inputs: [3, 7],
      attrs: { transposeB: true, transposeA: false },
      type: { dtype: 'f32', shape: ['batch', 10] },
      origin: { phase: 'backward', span: { ...span(8), file: 'specs/x.nn' }, of: 9, label: 'dense h' },
    };
    expect(formatNode(n)).toBe('%12 = matmul(%3, %7) {transposeA: false, transposeB: true} : f32[batch, 10]   # backward of %9 (dense h, specs/x.nn:8)');
    expect(formatNode({ ...n, attrs: { transposeA: false, transposeB: true } })).toBe(formatNode(n));
    expect(formatNode({ ...n, origin: { phase: 'forward', span: null, of: null, label: null } })).toBe(
      '%12 = matmul(%3, %7) {transposeA: false, transposeB: true} : f32[batch, 10]',
    );
  });

  it('prints numbers, lists, strings and scalars faithfully', () => {
    const n: Node = {
      id: 0,
      op: 'reshape',
      inputs: [1],
      attrs: { shape: ['batch', 784], value: 1e-4, name: 'a "b"', neg: -0 },
      type: { dtype: 'f32', shape: [] },
      origin: { phase: 'forward', span: span(3), of: null, label: 'x' },
    };
    expect(formatNode(n)).toBe('%0 = reshape(%1) {name: "a \\"b\\"", neg: -0, shape: ["batch", 784], value: 0.0001} : f32[]   # x (t.nn:3)');
  });

  it('prints the tables after the nodes: inputs, params (frozen or not), outputs, loss, grads in param order', () => {
    const text = printTrainingGraph(differentiate(mlp({ freezeFirst: true }), new DiagnosticSink()));
    expect(text.split('\n')[0]).toBe('# 13 forward + 7 backward nodes; 2 of 4 parameters get a gradient');
    const tail = text.trimEnd().split('\n\n')[1];
    expect(tail).toBe(
      [
        'input x = %0 : f32[batch, 4]',
        'target y = %1 : i32[batch]',
        'param h.weight = %2 : f32[4, 5] glorot_uniform frozen',
        'param h.bias = %3 : f32[5] glorot_uniform frozen',
        'param logits.weight = %4 : f32[5, 3] glorot_uniform trainable',
        'param logits.bias = %5 : f32[3] glorot_uniform trainable',
        'output h = %8',
        'output logits = %10',
        'output prediction = %10',
        'loss = %12',
        'grad logits.weight = %19',
        'grad logits.bias = %18',
      ].join('\n'),
    );
  });

  it('is deterministic', () => {
    expect(printTrainingGraph(differentiate(mlp({ dropout: 0.5 }), new DiagnosticSink()))).toBe(
      printTrainingGraph(differentiate(mlp({ dropout: 0.5 }), new DiagnosticSink())),
    );
  });
});

describe('DOT form', () => {
  it('styles forward and backward nodes apart and dashes backward edges', () => {
    const tg = differentiate(mlp(), new DiagnosticSink());
    const dot = trainingGraphToDot(tg, 'mlp');
    expect(dot.startsWith('digraph "mlp" {\n')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    const nodeLines = dot.split('\n').filter((l) => /^ {2}n\d+ \[label=/.test(l));
    expect(nodeLines).toHaveLength(tg.graph.nodes.length);
    const forwardFill = nodeLines.filter((l) => l.includes('#dbe8fb')).length;
    const backwardFill = nodeLines.filter((l) => l.includes('#fde2c8')).length;
    const paramFill = nodeLines.filter((l) => l.includes('#d9f2d9')).length;
    const backward = tg.graph.nodes.filter((n) => n.origin.phase === 'backward').length;
    expect([forwardFill + paramFill, backwardFill]).toEqual([tg.graph.nodes.length - backward, backward]);
    // Every edge into a backward node is dashed; none into a forward node is.
    for (const n of tg.graph.nodes) {
      for (const i of n.inputs) {
        const edge = dot.split('\n').find((l) => l.startsWith(`  n${i} -> n${n.id}`))!;
        expect(edge.includes('style=dashed')).toBe(n.origin.phase === 'backward');
      }
    }
    // Gradients are named and drawn bold.
    expect(dot).toMatch(/n23 \[label="%23 matmul d h\.weight\\n.*penwidth=2\.5/);
  });
});
