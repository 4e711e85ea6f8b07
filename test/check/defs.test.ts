// `def` layers: params scoped under the binding, static dim(), nesting.
import { describe, expect, it } from 'vitest';
import { formatType } from '../../src/ir/shapes.js';
import { check, checkOk } from './helpers.js';

const RESIDUAL = `def residual(x, units) {
  param w: [dim(x, -1), units] init he_normal
  param b: [units] init zeros
  return x + relu(x @ w + b)
}`;

const spec = (net: string, defs = RESIDUAL) => `model d
input x: f32[16]
target y: class(4)
${defs}
net {
${net}
}
loss = cross_entropy(logits, y)
`;

describe('def layers', () => {
  it('expands the body with params named under the binding', () => {
    const m = checkOk(spec('  r = residual(x, 16)\n  logits = dense(r, 4)'));
    expect(m.forward.params.map((p) => `${p.name} ${JSON.stringify(p.type.shape)} ${p.init.kind}`)).toEqual([
      'r.w [16,16] he_normal',
      'r.b [16] zeros',
      'logits.weight [16,4] glorot_uniform',
      'logits.bias [4] zeros',
    ]);
    expect(formatType(m.forward.graph.nodes[m.forward.outputs['r']!]!.type)).toBe('f32[batch, 16]');
  });

  it('gives two calls their own parameters', () => {
    const m = checkOk(spec('  r1 = residual(x, 16)\n  r2 = residual(r1, 16)\n  logits = dense(r2, 4)'));
    expect(m.forward.params.map((p) => p.name).slice(0, 4)).toEqual(['r1.w', 'r1.b', 'r2.w', 'r2.b']);
  });

  it('scopes layers and defs called inside a def under it', () => {
    const defs = `${RESIDUAL}
def block(x, units: 16) {
  a = residual(x, units)
  h = dense(a, units, activation: relu)
  return h
}`;
    const m = checkOk(spec('  blk = block(x)\n  logits = dense(blk, 4)', defs));
    expect(m.forward.params.map((p) => p.name)).toEqual(['blk.a.w', 'blk.a.b', 'blk.h.weight', 'blk.h.bias', 'logits.weight', 'logits.bias']);
  });

  it('evaluates dim(x, -1) statically', () => {
    const defs = `def proj(x, k) {
  param w: [dim(x, -1), dim(x, -1) * k]
  return x @ w
}`;
    const m = checkOk(spec('  p = proj(x, 2)\n  logits = dense(p, 4)', defs));
    expect(m.forward.params[0]!.type.shape).toEqual([16, 32]);
    expect(m.forward.params[0]!.init.kind).toBe('glorot_uniform');
  });

  it('reports a param dimension that is not a positive integer', () => {
    const defs = `def bad(x, k) {
  param w: [dim(x, -1), k]
  return x @ w
}`;
    const r = check(spec('  p = bad(x, 0.5)\n  logits = dense(p, 4)', defs));
    expect(r.text).toContain('error NNC3017: param `w`: a dimension must be a positive integer, got 0.5');
  });
});

describe('recursive defs', () => {
  it('are reported once, with the call chain, instead of expanding forever', () => {
    const defs = `def ping(x) {
  a = pong(x)
  return a
}
def pong(x) {
  b = ping(x)
  c = ping(x)
  return b + c
}`;
    const r = check(spec('  p = ping(x)\n  logits = dense(p, 4)', defs));
    expect(r.model).toBeNull();
    expect(r.codes).toEqual(['NNC3017']);
    expect(r.text).toContain('error NNC3017: def `ping` calls itself (ping → pong → ping), so its expansion never ends');
  });
});
