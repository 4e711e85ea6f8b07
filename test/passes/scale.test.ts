// Autodiff and the passes stay linear-ish: a 100-layer MLP differentiates and
// optimises quickly (the 100-layer compile budget of the speed issue is 300 ms
// for the whole compiler; this stage gets a generous bound so a loaded CI
// machine does not flake, and the measured time is printed).
import { describe, expect, it } from 'vitest';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import type { ForwardGraph } from '../../src/ir/types.js';
import { verifyForwardGraph } from '../../src/ir/verify.js';
import { optimize } from '../../src/passes/index.js';
import { Fixture, fwd } from '../autodiff/fixtures.js';

function deepMlp(layers: number, width: number): ForwardGraph {
  const f = new Fixture();
  let h = f.input('x', ['batch', width]);
  const y = f.input('y', ['batch'], 'i32', 'target');
  for (let l = 0; l < layers; l++) {
    const w = f.param(`l${l}.weight`, [width, width], true, l + 2);
    const b = f.param(`l${l}.bias`, [width], true, l + 2);
    const o = fwd(`l${l}`, l + 2);
    h = f.g.add('relu', [f.g.add('add', [f.g.add('matmul', [h, w], {}, o), b], {}, o)], {}, o);
  }
  const loss = f.g.add('mean', [f.g.add('softmax_cross_entropy', [h, y], {}, fwd('loss'))], {}, fwd('loss'));
  return f.finish(loss);
}

describe('scale', () => {
  it('differentiates and optimises a 100-layer MLP quickly', () => {
    const g = deepMlp(100, 32);
    const t0 = performance.now();
    const tg = optimize(differentiate(g, new DiagnosticSink()));
    const ms = performance.now() - t0;
    console.log(`100 layers: ${g.graph.nodes.length} forward → ${tg.graph.nodes.length} nodes in ${ms.toFixed(0)} ms`);
    expect(verifyForwardGraph(tg)).toEqual([]);
    expect(Object.keys(tg.grads)).toHaveLength(200);
    // Per layer: dh (matmul), relu_grad, bias sum, dW; the first layer needs no dh; the loss one fused gradient (fold-mean).
    expect(tg.graph.nodes.length - g.graph.nodes.length).toBe(100 * 4 - 1 + 1);
    expect(ms).toBeLessThan(1500);
  });
});
