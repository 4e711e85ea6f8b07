// `train { epochs: 10, batch: 128, seed: 7, metrics: [accuracy, macro_f1] }`
// → TrainConfig. Defaults (from the signature table): epochs 10, batch 32,
// seed 0, patience none; metrics [accuracy] for classification, [loss] for
// regression. `clip_norm` here sets the optimizer's gradient clipping.
import type { TrainBlock } from '../../syntax/ast.js';
import type { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import type { Metric, TrainConfig } from '../model.js';
import { formatNumber } from '../format.js';
import { TRAIN_KEYS } from '../signatures.js';
import { objectArgs, readSymbol, type StaticArgs } from './args.js';
import { staticValue } from './static.js';

export const SUPPORTED_METRICS: readonly Metric[] = ['accuracy', 'macro_precision', 'macro_recall', 'macro_f1', 'loss'];
const CLASS_METRICS: readonly Metric[] = ['accuracy', 'macro_precision', 'macro_recall', 'macro_f1'];
const BINARY_METRICS: readonly Metric[] = ['precision', 'recall', 'f1', 'roc_auc'];

function tableDefault(name: string, fallback: number): number {
  const d = TRAIN_KEYS.find((k) => k.name === name)?.default;
  return typeof d === 'number' ? d : fallback;
}

export function defaultTrain(classification: boolean): TrainConfig {
  return {
    epochs: tableDefault('epochs', 10),
    batch: tableDefault('batch', 32),
    seed: tableDefault('seed', 0),
    metrics: classification ? ['accuracy'] : ['loss'],
    patience: null,
  };
}

export interface TrainResult {
  train: TrainConfig;
  clipNorm: number | null;
}

export function readTrain(block: TrainBlock | null, classification: boolean, sink: DiagnosticSink, binary = false): TrainResult | null {
  const train = defaultTrain(classification);
  if (block === null) return { train, clipNorm: null };
  const v = staticValue(block.body, sink);
  const args = v && objectArgs('train', v, TRAIN_KEYS.map((k) => k.name), sink);
  if (!args) return null;
  const epochs = args.number('epochs', train.epochs, { integer: true, min: 1, hint: 'epochs is a whole number of passes over the training data' });
  const seed = args.number('seed', train.seed, { integer: true, min: 0 });
  const patience = args.number('patience', null, { integer: true, min: 1, hint: 'stop after this many epochs without a better validation loss' });
  const clipNorm = args.number('clip_norm', null, { above: 0 });
  const batch = readBatch(args, train.batch as number, sink);
  const metrics = readMetrics(args, train.metrics, classification, binary, sink);
  if (epochs === null || seed === null || batch === null || metrics === null) return null;
  if ((patience === null && args.has('patience')) || (clipNorm === null && args.has('clip_norm'))) return null;
  return { train: { epochs, batch, seed, metrics, patience }, clipNorm };
}

function readBatch(args: StaticArgs, fallback: number, sink: DiagnosticSink): number | 'all' | null {
  const v = args.raw('batch');
  if (v === undefined) return fallback;
  if (v.kind === 'symbol' && v.name === 'all') return 'all';
  if (v.kind === 'number' && Number.isInteger(v.value) && v.value >= 1) return v.value;
  sink.report('NNC3017', `train: \`batch\` must be a positive integer or \`all\`, got ${v.kind === 'number' ? formatNumber(v.value) : v.kind === 'symbol' ? `\`${v.name}\`` : v.kind}`, v.span, {
    hint: '`batch: all` trains on the whole training set at once (full-batch gradient descent)',
  });
  return null;
}

function readMetrics(args: StaticArgs, fallback: Metric[], classification: boolean, binary: boolean, sink: DiagnosticSink): Metric[] | null {
  const v = args.raw('metrics');
  if (v === undefined) return fallback;
  const items = v.kind === 'list' ? v.items : [v];
  const out: Metric[] = [];
  let ok = true;
  for (const item of items) {
    const m = readSymbol(item, [...SUPPORTED_METRICS, ...BINARY_METRICS], 'train: metric', sink, 'NNC3007');
    if (m === null) ok = false;
    else if (!binary && BINARY_METRICS.includes(m)) {
      sink.report('NNC3007', `metric \`${m}\` is for a binary target (the positive class); this model's target is not binary`, item.span, {
        hint: classification ? 'use macro_precision, macro_recall or macro_f1 for class(N) targets' : 'use `loss`',
      });
      ok = false;
    }
    else if (!classification && CLASS_METRICS.includes(m)) {
      sink.report('NNC3007', `metric \`${m}\` needs a class or binary target; this model does regression`, item.span, { hint: 'use `loss`' });
      ok = false;
    } else if (!out.includes(m)) out.push(m);
  }
  return ok ? out : null;
}
