// Section 1: the spec's training recipe as typed literals, so a reader sees
// every setting in one place and flags can override the defaults.
import type { ProgramBuilder } from '../program.js';
import type { DataConfig, DataSource, ScheduleConfig, SplitConfig } from '../../check/model.js';
import type { EmitContext } from '../context.js';
import { constant, section } from '../build.js';
import { literal, quote, type Plain } from '../literal.js';

export function emitConfig(out: ProgramBuilder, ctx: EmitContext): void {
  const { model } = ctx;
  const t = model.train;
  const phased = model.phases.length > 0;
  section(out, 'Configuration', [
    `The recipe of ${ctx.opts.specPath}; ${phased ? '--batch, --lr and --seed override it (each phase runs its own epochs).' : '--epochs, --batch, --lr and --seed override it.'}`,
  ]);
  constant(out, 'MODEL', quote(model.name), 'The model name (checkpoints are tagged with it).');
  const defaults: Plain = {
    epochs: phased ? model.phases.reduce((sum, p) => sum + p.epochs, 0) : t.epochs,
    batch: t.batch,
    lr: model.optimizer.lr,
    seed: t.seed,
    checkpointDir: `checkpoints/${model.name}`,
  };
  constant(out, 'DEFAULTS', literal(defaults), 'Flag defaults, from the `train` block and the optimizer.', 'rt.FlagDefaults');
  constant(out, 'CLASSES', model.classes === null ? 'null' : String(model.classes), 'Number of target classes (null: regression).', 'number | null');
  constant(out, 'METRICS', literal(t.metrics), 'Metrics reported per epoch (validation) and at the end (test).', 'readonly string[]');
  constant(out, 'PATIENCE', t.patience === null ? 'null' : String(t.patience), 'Stop when the validation loss has not improved for this many epochs (null: never).', 'number | null');
  constant(out, 'SCHEDULE', literal(scheduleLiteral(model.schedule)), `Learning-rate schedule: ${model.schedule.kind}${model.schedule.warmup ? ' with warmup' : ''}.`, 'rt.Schedule');
  constant(out, 'DATA', model.data === null ? 'null' : literal(dataLiteral(model.data)), 'Where the examples come from (paths resolve against --data-dir).', 'rt.DataConfig | null');
  if (model.phases.length > 0) {
    const phases: Plain = model.phases.map((p) => ({
      label: p.label,
      epochs: p.epochs,
      lr: p.lr,
      schedule: p.schedule ? scheduleLiteral(p.schedule) : null,
      trainable: p.trainable,
    }));
    constant(
      out,
      'PHASES',
      literal(phases),
      'Training phases, run in order (lr null: --lr; schedule null: SCHEDULE). `trainable` lists what each phase updates.',
      'readonly { label: string; epochs: number; lr: number | null; schedule: rt.Schedule | null; trainable: readonly string[] }[]',
    );
  }
}

function scheduleLiteral(s: ScheduleConfig): Plain {
  const duration = (d: { value: number; unit: string }) => ({ value: d.value, unit: d.unit });
  return {
    kind: s.kind,
    hyper: { ...s.hyper },
    durations: Object.fromEntries(Object.entries(s.durations).map(([k, d]) => [k, duration(d)])),
    milestones: s.milestones.map(duration),
    warmup: s.warmup ? duration(s.warmup) : null,
  };
}

function dataLiteral(d: DataConfig): Plain {
  return { train: sourceLiteral(d.train), validation: sourceLiteral(d.validation), test: sourceLiteral(d.test) };
}

function sourceLiteral(s: DataSource | SplitConfig | null): Plain {
  if (s === null) return null;
  if ('from' in s) return { from: s.from, fraction: s.fraction, stratified: s.stratified };
  if ('text' in s) return s.kind === 'json' ? { kind: 'json', path: s.path, text: s.text, label: s.label } : { kind: s.kind, path: s.path, text: s.text, label: s.label, header: s.header };
  const selected = 'classes' in s && s.classes !== undefined ? { classes: s.classes } : {};
  if (s.kind === 'csv') return { kind: 'csv', path: s.path, label: s.label, scale: s.scale, header: s.header, ...selected };
  return { kind: 'idx', images: s.images, labels: s.labels, scale: s.scale, ...selected };
}
