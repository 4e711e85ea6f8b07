// Learning-rate schedules at known steps (values worked out by hand).
import { describe, expect, it } from 'vitest';
import { learningRate, type Duration, type Schedule } from '../../src/runtime/index.js';

const epochs = (value: number): Duration => ({ value, unit: 'epoch' });
const steps = (value: number): Duration => ({ value, unit: 'step' });
function schedule(kind: Schedule['kind'], extra: Partial<Schedule> = {}): Schedule {
  return { kind, hyper: {}, durations: {}, milestones: [], warmup: null, ...extra };
}
/** lr at global `step` with 10 steps per epoch, base 0.1, 100 steps in total. */
const at = (s: Schedule, step: number, total = 100) => learningRate(s, step, Math.floor(step / 10), 10, 0.1, total);

describe('learningRate', () => {
  it('constant', () => {
    expect(at(schedule('constant'), 0)).toBe(0.1);
    expect(at(schedule('constant'), 77)).toBe(0.1);
  });

  it('step: decays by gamma every `every` (epochs at epoch boundaries, or steps)', () => {
    const s = schedule('step', { hyper: { gamma: 0.5 }, durations: { every: epochs(2) } });
    expect(at(s, 19)).toBeCloseTo(0.1, 12); // epoch 1
    expect(at(s, 20)).toBeCloseTo(0.05, 12); // epoch 2
    expect(at(s, 55)).toBeCloseTo(0.025, 12); // epoch 5
    const byStep = schedule('step', { hyper: { gamma: 0.5 }, durations: { every: steps(15) } });
    expect(at(byStep, 14)).toBeCloseTo(0.1, 12);
    expect(at(byStep, 15)).toBeCloseTo(0.05, 12);
    expect(at(schedule('step'), 10)).toBeCloseTo(0.01, 12); // defaults: gamma 0.1 every epoch
  });

  it('multistep: gamma per milestone passed', () => {
    const s = schedule('multistep', { milestones: [epochs(2), epochs(5)] });
    expect(at(s, 19)).toBeCloseTo(0.1, 12);
    expect(at(s, 20)).toBeCloseTo(0.01, 12);
    expect(at(s, 50)).toBeCloseTo(0.001, 12);
  });

  it('exponential: gamma^(t / every), continuous', () => {
    const s = schedule('exponential', { hyper: { gamma: 0.5 } });
    expect(at(s, 5)).toBeCloseTo(0.1 * Math.SQRT1_2, 12);
    expect(at(s, 20)).toBeCloseTo(0.025, 12);
  });

  it('inverse: (1 + gamma t)^-power', () => {
    const s = schedule('inverse', { hyper: { gamma: 0.1, power: 0.5 } });
    expect(at(s, 30)).toBeCloseTo(0.05, 12);
  });

  it('poly: down to min_lr over the run', () => {
    const s = schedule('poly', { hyper: { power: 2 } });
    expect(at(s, 50)).toBeCloseTo(0.025, 12);
    expect(at(s, 100)).toBeCloseTo(0, 12);
    expect(at(schedule('poly', { hyper: { power: 2, min_lr: 0.01 } }), 50)).toBeCloseTo(0.0325, 12);
  });

  it('cosine: half a cosine period over the run, or over `period`', () => {
    const s = schedule('cosine');
    expect(at(s, 0)).toBeCloseTo(0.1, 12);
    expect(at(s, 50)).toBeCloseTo(0.05, 12);
    expect(at(s, 100)).toBeCloseTo(0, 12);
    const withPeriod = schedule('cosine', { durations: { period: epochs(2) }, hyper: { min_lr: 0.02 } });
    expect(at(withPeriod, 10)).toBeCloseTo(0.06, 12);
    expect(at(withPeriod, 30)).toBeCloseTo(0.02, 12);
  });

  it('linear warmup, then the schedule (cosine starts after warmup)', () => {
    const s = schedule('cosine', { warmup: epochs(1) });
    expect(at(s, 0, 110)).toBeCloseTo(0.01, 12);
    expect(at(s, 4, 110)).toBeCloseTo(0.05, 12);
    expect(at(s, 9, 110)).toBeCloseTo(0.1, 12);
    expect(at(s, 10, 110)).toBeCloseTo(0.1, 12);
    expect(at(s, 60, 110)).toBeCloseTo(0.05, 12);
    const c = schedule('constant', { warmup: steps(4) });
    expect([0, 1, 2, 3, 4].map((t) => at(c, t))).toEqual([0.025, 0.05, 0.07500000000000001, 0.1, 0.1]);
  });
});
