// Freezing through the whole front end: `freeze h` on the digits spec removes
// every backward node that only served layer h, and nothing else.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import type { TrainingGraph } from '../../src/ir/types.js';
import { compileSource } from '../../src/pipeline.js';

function compile(text: string): TrainingGraph {
  const sink = new DiagnosticSink();
  const compiled = compileSource({ file: 'specs/digits.nn', text }, sink);
  expect(sink.items).toEqual([]);
  return compiled!.training;
}

const backward = (tg: TrainingGraph) => tg.graph.nodes.filter((n) => n.origin.phase === 'backward');

describe('freeze h (digits spec)', () => {
  const source = readFileSync('specs/digits.nn', 'utf8');
  const hLine = source.split('\n').findIndex((l) => /^\s*h\s*=\s*dense/.test(l)) + 1;

  it('drops the backward nodes of layer h, and only those', () => {
    const all = compile(source);
    const frozen = compile(source + '\nfreeze h\n');
    expect(Object.keys(frozen.grads)).toEqual(['logits.weight', 'logits.bias']);
    expect(frozen.graph.nodes.length).toBe(all.graph.nodes.length - 4);
    // Removed: dh (matmul through logits.weight), relu_grad, the h.bias sum, dW of h.
    const sig = (tg: TrainingGraph) => backward(tg).map((n) => `${n.op}@${n.origin.span?.line}`);
    const left = sig(frozen);
    const removed = sig(all).filter((s) => {
      const k = left.indexOf(s);
      if (k < 0) return true;
      left.splice(k, 1); // multiset difference: each kept node matches one
      return false;
    });
    expect(left).toEqual([]);
    expect(removed.sort()).toEqual([`matmul@${hLine}`, `matmul@${hLine + 1}`, `relu_grad@${hLine}`, `sum@${hLine}`].sort());
    const pixels = frozen.inputs.find((i) => i.role === 'input')!.id;
    const frozenIds = new Set(frozen.params.filter((p) => !p.trainable).map((p) => p.id));
    for (const n of backward(frozen)) {
      expect(n.origin.span?.line).not.toBe(hLine);
      expect(n.inputs).not.toContain(pixels);
      for (const i of n.inputs) expect(frozenIds.has(i)).toBe(false);
    }
  });
});
