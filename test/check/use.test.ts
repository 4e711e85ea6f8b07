// `use "base.nn"` + `replace`: fine-tuning specs built on another spec.
import { describe, expect, it } from 'vitest';
import { check, checkOk, paramCount } from './helpers.js';

const BASE = `model base
input x: f32[16]
target y: class(10)
net {
  h = dense(x, 8, activation: relu)
  hd = dropout(h, rate: 0.1)
  logits = dense(hd, 10)
}
loss = cross_entropy(logits, y) + 1e-4 * l2(h.weight)
optimizer = adam(lr: 1e-3)
train { epochs: 5, batch: 16 }
freeze h
`;

describe('use and replace', () => {
  it('inherits the net, loss and recipe, and replaces the head with fresh parameters', () => {
    const m = checkOk(
      `model tuned
use "base.nn"
target y: class(5)
init from "checkpoints/base"
replace logits = dense(hd, 5)
lr_scale logits: 10
`,
      { 'base.nn': BASE },
    );
    expect(m.name).toBe('tuned');
    expect(m.classes).toBe(5);
    expect(m.forward.params.map((p) => `${p.name} ${JSON.stringify(p.type.shape)} ${p.lrScale}`)).toEqual([
      'h.weight [16,8] 1',
      'h.bias [8] 1',
      'logits.weight [8,5] 10',
      'logits.bias [5] 10',
    ]);
    expect(paramCount(m)).toBe(16 * 8 + 8 + 8 * 5 + 5);
    expect(m.optimizer.lr).toBe(1e-3);
    expect(m.train.epochs).toBe(5);
    // Freeze rules are the using spec's own: the base's `freeze h` is not inherited.
    expect(m.forward.params.every((p) => p.trainable)).toBe(true);
    expect(m.initFrom).toMatchObject({ path: 'checkpoints/base', fresh: ['logits.weight', 'logits.bias'], map: [], allowUnmatched: [] });
  });

  it('a replaced head must match the inherited target: redeclaring it makes the new task explicit', () => {
    const r = check('model tuned\nuse "base.nn"\nreplace logits = dense(hd, 5)\nfreeze h\n', { 'base.nn': BASE });
    expect(r.codes).toEqual(['NNC3020']);
    expect(r.text).toContain('declare `target y: class(5)`');
    const m = checkOk('model tuned\nuse "base.nn"\ntarget y: class(5)\nreplace logits = dense(hd, 5)\nfreeze h\n', { 'base.nn': BASE });
    expect(m.classes).toBe(5);
    expect(m.forward.params.filter((p) => !p.trainable).map((p) => p.name)).toEqual(['h.weight', 'h.bias']);
  });

  it('but not of a target the spec declares itself', () => {
    const r = check('model tuned\nuse "base.nn"\ntarget y: class(10)\nreplace logits = dense(hd, 5)\n', { 'base.nn': BASE });
    expect(r.codes).toEqual(['NNC3020']);
    expect(r.text).toContain('base.nn:9:22: error NNC3020: cross_entropy: logits have 5 classes but `y` is class(10): got f32[batch, 5] from `logits` (spec.nn:4)');
    expect(r.text).toContain('hint: make the last layer produce 10 units, e.g. dense(…, 10), or declare `target y: class(5)`');
  });

  it('reports a replace of a name the net does not bind', () => {
    const r = check('model tuned\nuse "base.nn"\nreplace logit = dense(hd, 10)\n', { 'base.nn': BASE });
    expect(r.model).toBeNull();
    expect(r.text).toContain('did you mean `logits`?');
  });

  it('reports a used file that cannot be found', () => {
    const r = check('model tuned\nuse "missing.nn"\n', {});
    expect(r.model).toBeNull();
    expect(r.text).toContain('cannot use "missing.nn": file not found');
  });
});
