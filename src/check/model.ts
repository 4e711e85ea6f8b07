// What the checker hands to the rest of the compiler: the forward graph with
// resolved parameters (layers already expanded into primitives, every value
// typed) and the training recipe as plain, validated configuration.
import type { Span } from '../syntax/ast.js';
import type { ForwardGraph } from '../ir/types.js';

export type OptimizerKind = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam' | 'adamw';

export interface OptimizerConfig {
  kind: OptimizerKind;
  lr: number;
  /** Hyperparameters with defaults filled in: momentum, beta1, beta2, epsilon, rho, weight_decay, … */
  hyper: Record<string, number>;
  /** Clip gradients to this global L2 norm (null: no clipping). */
  clipNorm: number | null;
}

export type ScheduleKind = 'constant' | 'step' | 'multistep' | 'exponential' | 'inverse' | 'poly' | 'cosine';

export interface Duration {
  value: number;
  unit: 'epoch' | 'step';
}

export interface ScheduleConfig {
  kind: ScheduleKind;
  /** Numeric settings with defaults filled in (gamma, every, power, min_lr, …); durations in `durations`. */
  hyper: Record<string, number>;
  durations: Record<string, Duration>;
  /** `milestones` of multistep. */
  milestones: Duration[];
  warmup: Duration | null;
}

/** Where rows come from. Paths are as written in the spec (resolved by the trainer against --data-dir). */
export type DataSource =
  | { kind: 'csv'; path: string; label: string; scale: number; header: boolean; classes?: number[]; span: Span }
  | { kind: 'idx'; images: string; labels: string; scale: number; classes?: number[]; span: Span }
  | TextDataSource;

/** A source of texts with labels (for a `text(…)` input): `json(…)`, `tsv(…)`, or `csv(…, text: "column")`. */
export type TextDataSource =
  | { kind: 'json'; path: string; text: string; label: string; span: Span }
  | { kind: 'tsv' | 'csv'; path: string; text: string; label: string; header: boolean; span: Span };

export interface SplitConfig {
  /** Which named source is split. */
  from: string;
  fraction: number;
  stratified: boolean;
  span: Span;
}

export interface DataConfig {
  train: DataSource | SplitConfig;
  validation: DataSource | SplitConfig | null;
  test: DataSource | SplitConfig | null;
}

export type Metric = 'accuracy' | 'macro_precision' | 'macro_recall' | 'macro_f1' | 'loss' | BinaryMetric;

/** Metrics of a `binary` target, for the positive class (roc_auc is threshold-free). */
export type BinaryMetric = 'precision' | 'recall' | 'f1' | 'roc_auc';

export interface TrainConfig {
  epochs: number;
  /** 'all' = full-batch gradient descent. */
  batch: number | 'all';
  seed: number;
  metrics: Metric[];
  /** Stop when validation loss has not improved for this many epochs (null: never). */
  patience: number | null;
}

export interface PhaseConfig {
  label: string;
  epochs: number;
  /** null: the optimizer's learning rate. */
  lr: number | null;
  /** Parameter names (patterns resolved) this phase unfreezes / freezes. */
  unfreeze: string[];
  freeze: string[];
  /** Every parameter trainable during this phase, in parameter order. */
  trainable: string[];
  /** The phase's own schedule (null: the model's schedule). */
  schedule: ScheduleConfig | null;
  span: Span;
}

export interface CheckedModel {
  name: string;
  file: string;
  forward: ForwardGraph;
  /** The target's class count for classification (`class(N)`), 2 for `binary`, null for regression. */
  classes: number | null;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
  data: DataConfig | null;
  train: TrainConfig;
  phases: PhaseConfig[];
  initFrom: InitFromConfig | null;
}

/** `init from "checkpoint" map { … } allow unmatched [...]`; the checkpoint itself is read by the trainer/CLI. */
export interface InitFromConfig {
  path: string;
  /** `to <- from` name patterns; `to` patterns are checked against the model's parameters. */
  map: { to: string; from: string }[];
  allowUnmatched: string[];
  /** Parameters created by `replace` bindings: freshly initialised, never loaded. */
  fresh: string[];
  span: Span;
}
