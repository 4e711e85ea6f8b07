// The loss functions, each the mean (or sum) of a fused primitive:
// cross_entropy = mean of softmax_cross_entropy over the batch,
// binary_cross_entropy = mean of sigmoid_cross_entropy, mse = mean of mse,
// l2(a, b, …) = sum of l2 of each. They may only appear in `loss = …`.
import { formatType } from '../format.js';
import type { TensorValue } from '../values.js';
import { layerOp, type Layer, type LayerCall } from './layer.js';

/** The mean over every axis: a scalar. */
function meanAll(c: LayerCall, v: TensorValue): TensorValue | null {
  return layerOp(c, 'mean', [v], { axes: null, keepDims: false });
}

/** Reads the (predictions, target) pair and checks the target is of `kind`. */
function pair(c: LayerCall, expected: 'class' | 'binary' | 'regression', predName: string, targetName: string) {
  const pred = c.args.tensor(predName);
  const target = c.args.tensor(targetName);
  if (!pred || !target) return null;
  const info = c.ex.targets.get(target.id);
  if (!info) {
    c.ex.sink.report('NNC3010', `${c.callee} compares with a target, but \`${target.name}\` is not one`, c.args.span(targetName), {
      hint: 'declare it with `target NAME: class(N)` (or binary, or f32[…])',
    });
    return null;
  }
  if (info.kind !== expected && !(expected === 'regression' && info.kind === 'binary')) {
    const use = info.kind === 'class' ? 'cross_entropy' : info.kind === 'binary' ? 'binary_cross_entropy' : 'mse';
    c.ex.sink.report('NNC3010', `${c.callee} needs a ${expected === 'class' ? 'class(N)' : expected === 'binary' ? 'binary' : 'f32[…]'} target, but \`${info.name}\` is ${info.kind === 'class' ? `class(${info.classes})` : info.kind === 'binary' ? 'binary' : formatType(c.ex.type(target))}`, c.args.span(targetName), {
      hint: `use ${use}(…) for this target`,
      related: [{ message: `\`${info.name}\` declared here`, span: info.span }],
    });
    return null;
  }
  return { pred, target, info };
}

export const crossEntropy: Layer = {
  modes: ['loss'],
  createsParams: false,
  expand(c) {
    const p = pair(c, 'class', 'logits', 'labels');
    const smoothing = c.args.number('label_smoothing', 0, { min: 0, below: 1, hint: 'a small fraction such as 0.1' });
    if (!p || smoothing === null) return null;
    const t = c.ex.type(p.pred);
    const last = t.shape[t.shape.length - 1];
    if (t.shape.length !== 2 || t.shape[0] !== 'batch') {
      c.ex.sink.report('NNC3021', `cross_entropy expects logits f32[batch, ${p.info.classes}], got ${c.ex.describe(p.pred)}`, c.args.span('logits'));
      return null;
    }
    // No silent re-interpretation: a replaced head with another width than the (possibly inherited)
    // target is an error. A new task on a subset of classes says so: `target digit: class(5)` and
    // `idx(…, classes: [5, 6, 7, 8, 9])` in its data (check/class-selection.ts).
    if (last !== p.info.classes) {
      c.ex.sink.report('NNC3020', `cross_entropy: logits have ${last} classes but \`${p.info.name}\` is class(${p.info.classes}): got ${c.ex.describe(p.pred)}`, c.args.span('logits'), {
        hint: `make the last layer produce ${p.info.classes} units, e.g. dense(…, ${p.info.classes}), or declare \`target ${p.info.name}: class(${last})\``,
        related: [{ message: `\`${p.info.name}\` declared here`, span: p.info.span }],
      });
      return null;
    }
    const perExample = layerOp(c, 'softmax_cross_entropy', [p.pred, p.target]);
    if (!perExample) return null;
    const hard = meanAll(c, perExample);
    if (smoothing === 0 || !hard) return hard;
    // Label smoothing: (1-ε)·CE(onehot) + ε·CE(uniform), and CE(uniform) = -mean of log_softmax.
    const logp = layerOp(c, 'log_softmax', [p.pred], { axis: -1 });
    const uniform = logp && layerOp(c, 'mean', [logp], { axes: null, keepDims: false });
    if (!uniform) return null;
    const kept = layerOp(c, 'mul', [hard, c.ex.constant(1 - smoothing, c.span, c.frame.label)]);
    const spread = layerOp(c, 'mul', [uniform, c.ex.constant(-smoothing, c.span, c.frame.label)]);
    return kept && spread && layerOp(c, 'add', [kept, spread]);
  },
};

export const binaryCrossEntropy: Layer = {
  modes: ['loss'],
  createsParams: false,
  expand(c) {
    const p = pair(c, 'binary', 'logits', 'labels');
    if (!p) return null;
    let logits = p.pred;
    const t = c.ex.type(logits);
    // A [batch, 1] head is the usual binary output: compare it with the [batch] labels.
    if (t.shape.length === 2 && t.shape[1] === 1) {
      const r = layerOp(c, 'reshape', [logits], { shape: ['batch'] });
      if (!r) return null;
      logits = r;
    }
    const perExample = layerOp(c, 'sigmoid_cross_entropy', [logits, p.target]);
    return perExample && meanAll(c, perExample);
  },
};

export const mse: Layer = {
  modes: ['loss'],
  createsParams: false,
  expand(c) {
    const p = pair(c, 'regression', 'prediction', 'target');
    if (!p) return null;
    const e = layerOp(c, 'mse', [p.pred, p.target]);
    return e && (c.ex.type(e).shape.length === 0 ? e : meanAll(c, e));
  },
};

export const l2: Layer = {
  modes: ['loss'],
  createsParams: false,
  expand(c) {
    let total: TensorValue | null = null;
    for (const given of c.args.rest) {
      if (given.value.kind !== 'tensor') {
        c.ex.sink.report('NNC3010', 'l2 takes tensors (e.g. parameters such as `h.weight`)', given.span);
        return null;
      }
      const term = layerOp(c, 'l2', [given.value]);
      if (!term) return null;
      total = total ? layerOp(c, 'add', [total, term]) : term;
      if (!total) return null;
    }
    return total;
  },
};
