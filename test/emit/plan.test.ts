// The memory plan, checked on the plan itself: every tensor the step creates
// is disposed exactly once — at its last use — or handed to the caller.
import { describe, expect, it } from 'vitest';
import { planStep, type StepPlan } from '../../src/emit/plan.js';
import { tinyBinaryModel, tinyModel, type FixtureOptions } from './fixture.js';

function created(plan: StepPlan): string[] {
  return [...plan.forward, ...plan.backward].map((s) => s.name);
}

function disposals(plan: StepPlan): string[] {
  return [...plan.forward, ...plan.backward].flatMap((s) => s.disposeAfter);
}

/** Index (in forward ++ backward order) of the last statement reading `name`. */
function lastRead(plan: StepPlan, name: string): number {
  const all = [...plan.forward, ...plan.backward];
  let last = -1;
  all.forEach((s, i) => {
    if (new RegExp(`\\b${name}\\b`).test(s.expr)) last = i;
  });
  return last;
}

const cases: [string, FixtureOptions][] = [
  ['adam with dropout', {}],
  ['frozen hidden layer', { freezeHidden: true }],
  ['no dropout', { dropout: false }],
];

describe('planStep', () => {
  for (const [what, opts] of cases) {
    it(`disposes each intermediate once, at its last use, or hands it over (${what})`, () => {
      const plan = planStep(tinyModel(opts).tg);
      const returned = new Set([plan.loss, plan.prediction, ...plan.grads.map((g) => g.expr)]);
      const disposed = disposals(plan);
      expect(new Set(disposed).size).toBe(disposed.length);
      for (const name of created(plan)) {
        if (returned.has(name)) {
          expect(disposed, name).not.toContain(name);
          continue;
        }
        expect(disposed, name).toContain(name);
        const all = [...plan.forward, ...plan.backward];
        const at = all.findIndex((s) => s.disposeAfter.includes(name));
        expect(at, `${name} dies after its last read`).toBe(lastRead(plan, name));
      }
    });
  }

  it('hands over to backward exactly the forward values backward reads', () => {
    const plan = planStep(tinyModel().tg);
    const forwardNames = new Set(plan.forward.map((s) => s.name));
    const readByBackward = [...forwardNames].filter((n) => plan.backward.some((s) => new RegExp(`\\b${n}\\b`).test(s.expr)));
    expect([...plan.saved].sort()).toEqual(readByBackward.sort());
  });

  it('hoists scalar constants out of the step', () => {
    const plan = planStep(tinyModel().tg);
    expect(plan.constants.map((c) => c.expr)).toContain('tf.scalar(0.0001)');
    for (const s of [...plan.forward, ...plan.backward]) expect(s.expr).not.toMatch(/^tf\.scalar\([-\d.e]+\)$/);
  });

  it('hands on the per-example losses when the loss is just their batch mean (the host averages them)', () => {
    const { tg } = tinyBinaryModel();
    const plan = planStep(tg);
    expect(plan.lossPerExample).toBe(true);
    expect(plan.forward.some((s) => s.node.id === tg.loss)).toBe(false);
    const handed = plan.forward.find((s) => s.name === plan.loss)!;
    expect(handed.node.op).toBe('sigmoid_cross_entropy');
  });

  it('keeps the scalar loss when more than a mean makes it (a regulariser added)', () => {
    const { tg } = tinyModel();
    const plan = planStep(tg);
    expect(plan.lossPerExample).toBe(false);
    expect(plan.forward.find((s) => s.name === plan.loss)!.node.id).toBe(tg.loss);
  });
});
