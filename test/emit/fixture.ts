// A small classifier built directly as IR (no front end needed): an MLP with
// relu, dropout, softmax cross-entropy and an L2 term, differentiated by the
// real autodiff. Tests vary its recipe (optimizer, schedule, freezing).
import { GraphBuilder } from '../../src/ir/builder.js';
import type { ForwardGraph, Origin, ParamInfo, TrainingGraph, ValueId } from '../../src/ir/types.js';
import type { CheckedModel, OptimizerConfig } from '../../src/check/model.js';
import type { Span } from '../../src/syntax/ast.js';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';

export const SOURCE = `model tiny_mlp
input  features: f32[4]
target label: class(3)
net {
  h      = dense(features, 8, activation: relu)
  hd     = dropout(h, rate: 0.1)
  logits = dense(hd, 3)
}
loss      = cross_entropy(logits, label) + 1e-4 * l2(h.weight)
optimizer = adam(lr: 0.01)
data {
  train      = csv("blobs.csv", label: "label")
  test       = split(train, 0.2, stratified)
  validation = split(train, 0.1, stratified)
}
train { epochs: 3, batch: 16, seed: 1, metrics: [accuracy, macro_f1] }
`;

const FILE = 'specs/tiny.nn';

function span(line: number): Span {
  return { file: FILE, offset: 0, line, column: 1, length: 1 };
}

function origin(line: number, label: string): Origin {
  return { phase: 'forward', span: span(line), of: null, label };
}

export interface FixtureOptions {
  optimizer?: OptimizerConfig;
  freezeHidden?: boolean;
  lrScaleHead?: number;
  dropout?: boolean;
  /** `init from` this checkpoint directory (the head listed in `fresh` keeps its initialisation). */
  initFrom?: { path: string; fresh: string[] };
}

export function tinyForward(opts: FixtureOptions = {}): ForwardGraph {
  const g = new GraphBuilder();
  const params: ParamInfo[] = [];
  const leaf = (op: 'input' | 'param', name: string, dtype: 'f32' | 'i32', shape: (number | string)[], line: number) =>
    g.add(op, [], { name, dtype, shape }, origin(line, name));
  const param = (name: string, shape: number[], init: ParamInfo['init'], line: number, trainable: boolean, lrScale = 1) => {
    const id = leaf('param', name, 'f32', shape, line);
    params.push({ name, id, type: g.type(id), init, trainable, lrScale, decayScale: 1, span: span(line) });
    return id;
  };
  const x = leaf('input', 'features', 'f32', ['batch', 4], 2);
  const y = leaf('input', 'label', 'i32', ['batch'], 3);
  const hidden = !opts.freezeHidden;
  const w1 = param('h.weight', [4, 8], { kind: 'he_normal', fanIn: 4, fanOut: 8 }, 5, hidden);
  const b1 = param('h.bias', [8], { kind: 'zeros', fanIn: 4, fanOut: 8 }, 5, hidden);
  const w2 = param('logits.weight', [8, 3], { kind: 'glorot_uniform', fanIn: 8, fanOut: 3 }, 7, true, opts.lrScaleHead ?? 1);
  const b2 = param('logits.bias', [3], { kind: 'zeros', fanIn: 8, fanOut: 3 }, 7, true, opts.lrScaleHead ?? 1);

  const o5 = origin(5, 'h');
  const h = g.add('relu', [g.add('add', [g.add('matmul', [x, w1], {}, o5), b1], {}, o5)], {}, o5);
  let hd: ValueId = h;
  if (opts.dropout ?? true) {
    const o6 = origin(6, 'hd');
    hd = g.add('mul', [h, g.add('dropout_mask', [h], { rate: 0.1 }, o6)], {}, o6);
  }
  const o7 = origin(7, 'logits');
  const logits = g.add('add', [g.add('matmul', [hd, w2], {}, o7), b2], {}, o7);
  const o9 = origin(9, 'loss');
  const ce = g.add('mean', [g.add('softmax_cross_entropy', [logits, y], {}, o9)], { axes: null, keepDims: false }, o9);
  const reg = g.add('mul', [g.add('const', [], { value: 1e-4 }, o9), g.add('l2', [w1], {}, o9)], {}, o9);
  const loss = g.add('add', [ce, reg], {}, o9);
  return {
    graph: g.build(),
    inputs: [
      { name: 'features', id: x, type: g.type(x), role: 'input' },
      { name: 'label', id: y, type: g.type(y), role: 'target' },
    ],
    params,
    loss,
    outputs: { h, ...(hd !== h ? { hd } : {}), logits, prediction: logits },
  };
}

export function tinyModel(opts: FixtureOptions = {}): { model: CheckedModel; tg: TrainingGraph } {
  const forward = tinyForward(opts);
  const sink = new DiagnosticSink();
  const tg = differentiate(forward, sink);
  if (sink.hasErrors) throw new Error(sink.items.map((d) => d.message).join('\n'));
  const model: CheckedModel = {
    name: 'tiny_mlp',
    file: FILE,
    forward,
    classes: 3,
    optimizer: opts.optimizer ?? { kind: 'adam', lr: 0.01, hyper: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, clipNorm: null },
    schedule: { kind: 'constant', hyper: {}, durations: {}, milestones: [], warmup: null },
    data: {
      train: { kind: 'csv', path: 'blobs.csv', label: 'label', scale: 1, header: true, span: span(12) },
      test: { from: 'train', fraction: 0.2, stratified: true, span: span(13) },
      validation: { from: 'train', fraction: 0.1, stratified: true, span: span(14) },
    },
    train: { epochs: 3, batch: 16, seed: 1, metrics: ['accuracy', 'macro_f1'], patience: null },
    phases: [],
    initFrom: opts.initFrom ? { path: opts.initFrom.path, map: [{ to: 'h.*', from: 'h.*' }], allowUnmatched: [], fresh: opts.initFrom.fresh, span: span(1) } : null,
  };
  return { model, tg };
}

/** `classes` (≤ 3) well-separated Gaussian blobs in 4-D, as CSV text with a header (seeded, deterministic). */
export function blobsCsv(rowsPerClass: number, seed = 42, classes = 3): string {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centers = [
    [2, 0, 0, 1],
    [0, 2, 1, 0],
    [-1, -1, 2, 2],
  ];
  const lines = ['a,b,c,d,label'];
  for (let i = 0; i < rowsPerClass; i++) {
    for (let c = 0; c < classes; c++) {
      const row = centers[c]!.map((m) => (m + 0.5 * gauss()).toFixed(4));
      lines.push([...row, String(c)].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * The fine-tuning shape: phase 1 trains only the head (h frozen), phase 2
 * unfreezes h at a lower learning rate. One training graph per phase.
 */
export function tinyPhasedModel(): { model: CheckedModel; tg: TrainingGraph; phaseGraphs: TrainingGraph[] } {
  const headOnly = tinyModel({ freezeHidden: true });
  const all = tinyModel();
  const head = ['logits.weight', 'logits.bias'];
  const everything = ['h.weight', 'h.bias', ...head];
  const model: CheckedModel = {
    ...headOnly.model,
    phases: [
      { label: '1', epochs: 2, lr: null, unfreeze: [], freeze: [], trainable: head, schedule: null, span: span(16) },
      {
        label: '2',
        epochs: 2,
        lr: 0.005,
        unfreeze: ['h.weight', 'h.bias'],
        freeze: [],
        trainable: everything,
        schedule: { kind: 'cosine', hyper: {}, durations: {}, milestones: [], warmup: null },
        span: span(16),
      },
    ],
  };
  return { model, tg: headOnly.tg, phaseGraphs: [headOnly.tg, all.tg] };
}

/**
 * A binary classifier: one logit per example, sigmoid cross-entropy against a
 * `binary` (f32) target — the float-target and thresholded-prediction paths.
 */
export function tinyBinaryModel(): { model: CheckedModel; tg: TrainingGraph } {
  const g = new GraphBuilder();
  const x = g.add('input', [], { name: 'features', dtype: 'f32', shape: ['batch', 4] }, origin(2, 'features'));
  const y = g.add('input', [], { name: 'label', dtype: 'f32', shape: ['batch'] }, origin(3, 'label'));
  const w = g.add('param', [], { name: 'score.weight', dtype: 'f32', shape: [4, 1] }, origin(5, 'score'));
  const b = g.add('param', [], { name: 'score.bias', dtype: 'f32', shape: [1] }, origin(5, 'score'));
  const o5 = origin(5, 'score');
  const column = g.add('add', [g.add('matmul', [x, w], {}, o5), b], {}, o5);
  const score = g.add('reshape', [column], { shape: ['batch'] }, o5);
  const o9 = origin(9, 'loss');
  const loss = g.add('mean', [g.add('sigmoid_cross_entropy', [score, y], {}, o9)], { axes: null, keepDims: false }, o9);
  const params: ParamInfo[] = [
    { name: 'score.weight', id: w, type: g.type(w), init: { kind: 'glorot_uniform', fanIn: 4, fanOut: 1 }, trainable: true, lrScale: 1, decayScale: 1, span: span(5) },
    { name: 'score.bias', id: b, type: g.type(b), init: { kind: 'zeros', fanIn: 4, fanOut: 1 }, trainable: true, lrScale: 1, decayScale: 1, span: span(5) },
  ];
  const forward: ForwardGraph = {
    graph: g.build(),
    inputs: [
      { name: 'features', id: x, type: g.type(x), role: 'input' },
      { name: 'label', id: y, type: g.type(y), role: 'target' },
    ],
    params,
    loss,
    outputs: { score, prediction: score },
  };
  const sink = new DiagnosticSink();
  const tg = differentiate(forward, sink);
  if (sink.hasErrors) throw new Error(sink.items.map((d) => d.message).join('\n'));
  const base = tinyModel({ dropout: false }).model;
  return { model: { ...base, name: 'tiny_binary', forward, classes: 2, optimizer: { kind: 'sgd', lr: 0.5, hyper: {}, clipNorm: null } }, tg };
}
