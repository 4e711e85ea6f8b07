// freeze/unfreeze with names and globs, lr_scale/decay_scale groups, phases.
import { describe, expect, it } from 'vitest';
import type { CheckedModel } from '../../src/check/model.js';
import { phaseForwards } from '../../src/check/phase-graphs.js';
import { check, checkOk, checkUnnamed } from './helpers.js';

const base = (rules: string) => `model f
input x: f32[8]
target y: class(3)
net {
  enc1 = dense(x, 8, activation: relu)
  enc2 = dense(enc1, 8, activation: relu)
  head = dense(enc2, 3)
}
loss = cross_entropy(head, y)
${rules}
`;

const frozen = (m: CheckedModel) => m.forward.params.filter((p) => !p.trainable).map((p) => p.name);

describe('freeze rules', () => {
  it('freezes a layer by name', () => {
    expect(frozen(checkOk(base('freeze enc1')))).toEqual(['enc1.weight', 'enc1.bias']);
  });

  it('freezes by glob, and a single parameter by its dotted name', () => {
    expect(frozen(checkOk(base('freeze enc*')))).toEqual(['enc1.weight', 'enc1.bias', 'enc2.weight', 'enc2.bias']);
    expect(frozen(checkOk(base('freeze *.bias')))).toEqual(['enc1.bias', 'enc2.bias', 'head.bias']);
    expect(frozen(checkOk(base('freeze head.weight')))).toEqual(['head.weight']);
  });

  it('freezes all except a group, and a later unfreeze wins', () => {
    expect(frozen(checkOk(base('freeze all except head')))).toEqual(['enc1.weight', 'enc1.bias', 'enc2.weight', 'enc2.bias']);
    expect(frozen(checkOk(base('freeze all\nunfreeze enc2')))).toEqual(['enc1.weight', 'enc1.bias', 'head.weight', 'head.bias']);
  });

  it('reports a pattern that matches nothing, with a did-you-mean', () => {
    const r = checkUnnamed(base('freeze all except enc3'));
    expect(r.reachedChecker).toBe(true);
    expect(r.text).toBe(`spec.nn:10:19: error NNC3016: freeze … except \`enc3\` matches no parameter
   |
10 | freeze all except enc3
   |                   ^~~~
  hint: did you mean \`enc1\`?`);
    // The front end's own name check says it too, so users see it once either way.
    expect(check(base('freeze enc3')).codes).toEqual(['NNC3016']);
  });
});

describe('scales and phases', () => {
  it('sets lr_scale and decay_scale per group', () => {
    const m = checkOk(base('lr_scale head: 10\ndecay_scale *.bias: 0'));
    expect(m.forward.params.map((p) => `${p.name} ${p.lrScale} ${p.decayScale}`)).toEqual([
      'enc1.weight 1 1',
      'enc1.bias 1 0',
      'enc2.weight 1 1',
      'enc2.bias 1 0',
      'head.weight 10 1',
      'head.bias 10 0',
    ]);
  });

  it('rejects a non-positive lr_scale', () => {
    const r = check(base('lr_scale head: 0'));
    expect(r.reachedChecker).toBe(true);
    expect(r.text).toContain('error NNC3017: lr_scale must be a positive number, got 0');
    expect(r.text).toContain('hint: to stop a group from training, `freeze` it');
  });

  it('resolves each phase to the parameters it trains', () => {
    const m = checkOk(base('freeze enc*\nphases { 1: { epochs: 2 }, 2: { unfreeze: enc2, epochs: 3, lr: 1e-4 } }'));
    expect(m.phases.map((p) => ({ label: p.label, epochs: p.epochs, lr: p.lr, unfreeze: p.unfreeze, trainable: p.trainable }))).toEqual([
      { label: '1', epochs: 2, lr: null, unfreeze: [], trainable: ['head.weight', 'head.bias'] },
      { label: '2', epochs: 3, lr: 1e-4, unfreeze: ['enc2.weight', 'enc2.bias'], trainable: ['enc2.weight', 'enc2.bias', 'head.weight', 'head.bias'] },
    ]);
    // The parameters start as phase 1 trains them.
    expect(frozen(m)).toEqual(['enc1.weight', 'enc1.bias', 'enc2.weight', 'enc2.bias']);
  });

  it('reads a phase schedule and rejects a phase lr ≤ 0', () => {
    const m = checkOk(base('phases { 1: { epochs: 1, schedule: cosine(min_lr: 1e-5) } }'));
    expect(m.phases[0]!.schedule).toEqual({ kind: 'cosine', hyper: { min_lr: 1e-5 }, durations: {}, milestones: [], warmup: null });
    const r = check(base('phases { 1: { epochs: 1, lr: -0.1 } }'));
    expect(r.text).toContain('error NNC3017: phase 1: `lr` must be a positive number, got -0.1');
  });
});

describe('phase graphs', () => {
  it('give each phase its own trainable set over the same nodes', () => {
    const m = checkOk(base('freeze enc*\nphases { 1: { epochs: 2 }, 2: { unfreeze: all, epochs: 1 } }'));
    const [p1, p2] = phaseForwards(m);
    expect(p1!.params.filter((p) => p.trainable).map((p) => p.name)).toEqual(['head.weight', 'head.bias']);
    expect(p2!.params.every((p) => p.trainable)).toBe(true);
    expect(p2!.graph).toBe(m.forward.graph);
    // The model's own parameters are not changed by taking the views.
    expect(frozen(m)).toEqual(['enc1.weight', 'enc1.bias', 'enc2.weight', 'enc2.bias']);
  });
});
