// `schedule = cosine(warmup: 1 epoch)` → ScheduleConfig, settings from the
// signature table with defaults filled in: numbers into `hyper` (gamma, power,
// min_lr), durations into `durations` (step's `every`; exponential decays per
// 1 epoch), multistep's `milestones`, and `warmup` for every schedule.
// No schedule statement: constant, no warmup.
import type { Setting } from '../../syntax/ast.js';
import type { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import type { NumberRule, ParamSlot } from '../args.js';
import type { Duration, ScheduleConfig, ScheduleKind } from '../model.js';
import { SCHEDULES } from '../signatures.js';
import { defaultOf, slotsOf } from '../sigs.js';
import type { StaticArgs } from './args.js';
import { readDuration } from './args.js';
import { readRecipeCall } from './call.js';

const DECAY: NumberRule = { above: 0, max: 1, hint: 'gamma multiplies the learning rate at each decay; it lies in (0, 1]' };

function rule(kind: ScheduleKind, name: string): NumberRule {
  if (name === 'gamma') return kind === 'inverse' ? { above: 0 } : DECAY;
  if (name === 'power') return { above: 0 };
  return { min: 0 };
}

/** Durations the runtime needs that the table does not expose. */
const IMPLIED: Partial<Record<ScheduleKind, Record<string, Duration>>> = { exponential: { every: { value: 1, unit: 'epoch' } } };

export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['constant', 'step', 'multistep', 'exponential', 'inverse', 'poly', 'cosine'];

function tableSlots(): Record<ScheduleKind, ParamSlot[]> {
  const out = {} as Record<ScheduleKind, ParamSlot[]>;
  for (const k of SCHEDULE_KINDS) {
    const sig = SCHEDULES.get(k);
    if (sig) out[k] = slotsOf(sig);
  }
  return out;
}

export const DEFAULT_SCHEDULE: ScheduleConfig = { kind: 'constant', hyper: {}, durations: {}, milestones: [], warmup: null };

/** Reads a schedule given as a statement or as a phase's `schedule:` value. */
export function readSchedule(s: Setting | null, sink: DiagnosticSink): ScheduleConfig | null {
  if (s === null) return structuredClone(DEFAULT_SCHEDULE);
  return readScheduleExpr(s.value, sink);
}

export function readScheduleExpr(e: Setting['value'], sink: DiagnosticSink): ScheduleConfig | null {
  const c = readRecipeCall('schedule', e, tableSlots(), 'NNC3006', sink);
  if (!c) return null;
  const sig = SCHEDULES.get(c.kind)!;
  let ok = true;
  const hyper: Record<string, number> = {};
  const durations: Record<string, Duration> = { ...structuredClone(IMPLIED[c.kind] ?? {}) };
  let warmup: Duration | null = null;
  let milestones: Duration[] = [];
  for (const p of sig.params) {
    if (p.type === 'number') {
      const v = c.args.number(p.name, defaultOf(sig, p.name) ?? 0, rule(c.kind, p.name));
      if (v === null) ok = false;
      else hyper[p.name] = v;
    } else if (p.type === 'duration') {
      const d = c.args.duration(p.name);
      if (d === null) ok = false;
      else if (d !== undefined && p.name === 'warmup') warmup = d;
      else if (d !== undefined) durations[p.name] = d;
    } else if (p.type === 'durations') {
      const m = readMilestones(c.args, p.name, sink);
      if (m === null) ok = false;
      else milestones = m;
    }
  }
  if (!ok) return null;
  return { kind: c.kind, hyper, durations, milestones, warmup };
}

function readMilestones(args: StaticArgs, name: string, sink: DiagnosticSink): Duration[] | null {
  const m = args.raw(name);
  if (m === undefined) return [];
  const hint = `e.g. ${name}: [30 epoch, 60 epoch]`;
  if (m.kind !== 'list') {
    sink.report('NNC3010', `${args.owner}: \`${name}\` must be a list of durations`, m.span, { hint });
    return null;
  }
  if (m.items.length === 0) {
    sink.report('NNC3017', `${args.owner}: \`${name}\` is empty`, m.span, { hint });
    return null;
  }
  const out: Duration[] = [];
  for (const item of m.items) {
    const d = readDuration(item, `${args.owner}: a milestone`, sink);
    if (d === null) return null;
    out.push(d);
  }
  return out;
}
