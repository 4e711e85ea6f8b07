// Learning-rate schedules. The types mirror the compiler's `ScheduleConfig`
// (src/check/model.ts) so the emitter can pass it as a JSON literal; the
// runtime must not import the compiler.

export type ScheduleKind = 'constant' | 'step' | 'multistep' | 'exponential' | 'inverse' | 'poly' | 'cosine';

export interface Duration {
  value: number;
  unit: 'epoch' | 'step';
}

export interface Schedule {
  kind: ScheduleKind;
  /**
   * Numeric settings; missing ones take these defaults:
   * `gamma` (step/multistep: 0.1, exponential: 0.96 per `every`, inverse: 1e-3), `power` (poly: 1, inverse: 0.75),
   * `min_lr` (poly/cosine: 0).
   */
  hyper: Record<string, number>;
  /**
   * `every` (step, exponential: default 1 epoch), `period` (cosine/poly: default the whole run after warmup).
   */
  durations: Record<string, Duration>;
  /** Milestones of multistep. */
  milestones: Duration[];
  /** Linear warmup from lr/warmupSteps up to the scheduled lr. */
  warmup: Duration | null;
}

/** A duration in steps (epochs × stepsPerEpoch). */
export function durationSteps(d: Duration, stepsPerEpoch: number): number {
  return d.unit === 'epoch' ? d.value * stepsPerEpoch : d.value;
}

/**
 * The learning rate for the update at global step `step` (0-based, counted from the
 * start of training, continued across `--resume`).
 *
 * - `epoch` (0-based) drives the staircase schedules (step, multistep) when their
 *   durations are in epochs, so the rate changes exactly at epoch boundaries.
 * - `totalSteps` (epochs × stepsPerEpoch) is the horizon of cosine and poly when no
 *   `period` is given.
 * - Warmup multiplies the schedule by (step + 1) / warmupSteps while step < warmupSteps.
 *   Cosine and poly start decaying after warmup; the others use absolute time.
 */
export function learningRate(
  schedule: Schedule,
  step: number,
  epoch: number,
  stepsPerEpoch: number,
  baseLr: number,
  totalSteps: number,
): number {
  const h = schedule.hyper;
  const hp = (name: string, dflt: number) => (typeof h[name] === 'number' ? (h[name] as number) : dflt);
  const warmupSteps = schedule.warmup ? durationSteps(schedule.warmup, stepsPerEpoch) : 0;
  // Staircase position: whole epochs for epoch durations, steps otherwise.
  const staircasePos = (d: Duration) => (d.unit === 'epoch' ? epoch / d.value : step / d.value);
  const afterWarmup = Math.max(0, step - warmupSteps);
  const horizon = (dflt: number) => {
    const p = schedule.durations['period'];
    return Math.max(1, p ? durationSteps(p, stepsPerEpoch) : dflt);
  };

  let lr: number;
  switch (schedule.kind) {
    case 'constant':
      lr = baseLr;
      break;
    case 'step': {
      const every = schedule.durations['every'] ?? { value: 1, unit: 'epoch' };
      lr = baseLr * Math.pow(hp('gamma', 0.1), Math.floor(staircasePos(every) + 1e-9));
      break;
    }
    case 'multistep': {
      let passed = 0;
      for (const m of schedule.milestones) {
        const reached = m.unit === 'epoch' ? epoch >= m.value : step >= m.value;
        if (reached) passed++;
      }
      lr = baseLr * Math.pow(hp('gamma', 0.1), passed);
      break;
    }
    case 'exponential': {
      const every = schedule.durations['every'] ?? { value: 1, unit: 'epoch' };
      lr = baseLr * Math.pow(hp('gamma', 0.96), step / Math.max(1e-12, durationSteps(every, stepsPerEpoch)));
      break;
    }
    case 'inverse':
      lr = baseLr * Math.pow(1 + hp('gamma', 1e-3) * step, -hp('power', 0.75));
      break;
    case 'poly': {
      const T = horizon(totalSteps - warmupSteps);
      const minLr = hp('min_lr', 0);
      const frac = Math.min(1, afterWarmup / T);
      lr = minLr + (baseLr - minLr) * Math.pow(1 - frac, hp('power', 1));
      break;
    }
    case 'cosine': {
      const T = horizon(totalSteps - warmupSteps);
      const minLr = hp('min_lr', 0);
      const frac = Math.min(1, afterWarmup / T);
      lr = minLr + (baseLr - minLr) * 0.5 * (1 + Math.cos(Math.PI * frac));
      break;
    }
    default: {
      const never: never = schedule.kind;
      throw new Error(`unknown schedule ${String(never)}`);
    }
  }
  if (warmupSteps > 0 && step < warmupSteps) lr *= (step + 1) / warmupSteps;
  return lr;
}
