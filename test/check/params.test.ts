// Parameter names, shapes, initialisers (with fans) and counts.
import { describe, expect, it } from 'vitest';
import { check, checkOk, mlp, paramCount } from './helpers.js';

describe('parameters', () => {
  it('names dense parameters after the binding, in order', () => {
    const m = checkOk(mlp());
    expect(m.forward.params.map((p) => `${p.name} ${JSON.stringify(p.type.shape)}`)).toEqual([
      'h.weight [8,4]',
      'h.bias [4]',
      'logits.weight [4,3]',
      'logits.bias [3]',
    ]);
  });

  it('counts the digits MLP 64-64-10', () => {
    const m = checkOk(`model digits
input pixels: f32[64]
target digit: class(10)
net {
  h = dense(pixels, 64, activation: relu)
  logits = dense(h, 10)
}
loss = cross_entropy(logits, digit)
`);
    expect(paramCount(m)).toBe(64 * 64 + 64 + 64 * 10 + 10);
  });

  it('gives dense glorot_uniform weights and zero biases, with Keras fans', () => {
    const [w, b] = checkOk(mlp()).forward.params;
    expect(w!.init).toEqual({ kind: 'glorot_uniform', fanIn: 8, fanOut: 4 });
    expect(b!.init).toEqual({ kind: 'zeros', fanIn: 4, fanOut: 4 });
    expect(w!.trainable && w!.lrScale === 1 && w!.decayScale === 1).toBe(true);
  });

  it('lets init: and bias_init: override, and use_bias: false drop the bias', () => {
    const m = checkOk(mlp({ net: '  h = dense(x, 4, init: he_normal, bias_init: constant(0.1))\n  logits = dense(h, 3, use_bias: false, init: normal(std: 0.02))' }));
    expect(m.forward.params.map((p) => [p.name, p.init.kind, p.init.value])).toEqual([
      ['h.weight', 'he_normal', undefined],
      ['h.bias', 'constant', 0.1],
      ['logits.weight', 'normal', 0.02],
    ]);
  });

  it('refuses initialisers the trainer cannot draw', () => {
    const r = check(mlp({ net: '  h = dense(x, 4, init: uniform(min: 0, max: 1))\n  logits = dense(h, 3)' }));
    expect(r.text).toContain('error NNC3017: uniform: only symmetric ranges U(-a, a) are supported, got U(0, 1)');
  });

  it('names parameters of nested, unbound layer calls after their binding', () => {
    const m = checkOk(mlp({ net: '  logits = dense(relu(dense(x, 5)), 3)' }));
    expect(m.forward.params.map((p) => p.name)).toEqual(['logits.dense_1.weight', 'logits.dense_1.bias', 'logits.weight', 'logits.bias']);
  });

  it('resolves parameter references in the loss, with a did-you-mean', () => {
    const ok = checkOk(mlp({ loss: 'cross_entropy(logits, y) + 0.1 * l2(h.weight)' }));
    const l2 = ok.forward.graph.nodes.find((n) => n.op === 'l2')!;
    expect(l2.inputs).toEqual([ok.forward.params[0]!.id]);
    const r = check(mlp({ loss: 'cross_entropy(logits, y) + 0.1 * l2(h.weights)' }));
    expect(r.text).toContain('error NNC3015: unknown parameter `h.weights`');
    expect(r.text).toContain('hint: did you mean `h.weight`?');
  });

  it('rejects dropout rates outside [0, 1)', () => {
    const r = check(mlp({ net: '  h = dropout(x, rate: 1)\n  logits = dense(h, 3)' }));
    expect(r.text).toContain('error NNC3017: dropout: `rate` must be a number in [0, 1), got 1');
  });
});

describe('outputs', () => {
  it('maps every net binding and `prediction` to its node', () => {
    const m = checkOk(mlp());
    expect(Object.keys(m.forward.outputs)).toEqual(['h', 'logits', 'prediction']);
    expect(m.forward.outputs['prediction']).toBe(m.forward.outputs['logits']);
  });

  it('keeps a binding the user named `prediction`', () => {
    const m = checkOk(mlp({ net: '  h = dense(x, 4)\n  prediction = softmax(h)\n  logits = dense(h, 3)', loss: 'cross_entropy(logits, y) + 0 * mean(prediction)' }));
    expect(m.forward.outputs['prediction']).not.toBe(m.forward.outputs['logits']);
    expect(m.forward.graph.nodes[m.forward.outputs['prediction']!]!.op).toBe('softmax');
  });
});
