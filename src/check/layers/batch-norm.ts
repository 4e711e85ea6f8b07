// batch_norm(x, momentum: 0.99, epsilon: 1e-3) over the last axis (the
// channels of NHWC images, the features of [batch, n]), a composition of
// primitives, so autodiff derives the full batch-statistics gradient:
//   mean_b = mean(x, all axes but the last)      var_b = mean((x - mean_b)²)
//   m = training_select(mean_b, <name>.moving_mean)      (batch statistics
//   v = training_select(var_b,  <name>.moving_variance)   while training)
//   y = (x - m) · (v + ε)^-½ · <name>.gamma + <name>.beta
// The running statistics are state parameters (`ParamInfo.state`): never
// trained, saved in checkpoints, and replaced after each training step by
//   moving ← momentum · moving + (1 - momentum) · batch statistic
// (`ForwardGraph.updates`; the biased batch variance, as Keras). A frozen
// batch_norm (gamma not trained in a phase) normalises with its running
// statistics while training too and leaves them unchanged.
import type { ForwardGraph } from '../../ir/types.js';
import { initSpec } from '../init.js';
import type { TensorValue } from '../values.js';
import { layerOp, type Layer } from './layer.js';

export const batchNorm: Layer = {
  modes: ['net'],
  createsParams: true,
  expand(c) {
    const { ex, args } = c;
    const x = args.tensor('x');
    const momentum = args.number('momentum', 0.99, { min: 0, below: 1, hint: 'the weight of the old running value, e.g. momentum: 0.99' });
    const epsilon = args.number('epsilon', 1e-3, { above: 0, hint: 'a small positive number added to the variance, e.g. epsilon: 1e-3' });
    if (!x || momentum === null || epsilon === null) return null;
    const t = ex.type(x);
    if (t.dtype !== 'f32' || t.shape.length < 2 || t.shape[0] !== 'batch') {
      ex.sink.report('NNC3021', `batch_norm expects a batch of float values f32[batch, …, features], got ${ex.describe(x)}`, args.span('x'), {
        hint: 'it normalises each feature (the last axis) over the batch and any spatial axes',
      });
      return null;
    }
    const channels = t.shape[t.shape.length - 1];
    if (typeof channels !== 'number') {
      ex.sink.report('NNC3020', `batch_norm needs a known size of the last axis, got ${ex.describe(x)}`, args.span('x'));
      return null;
    }
    const shape = [channels];
    const add = (name: string, kind: 'ones' | 'zeros', state = false) =>
      ex.addParam(`${c.prefix}.${name}`, shape, initSpec({ kind }, shape), c.span, c.frame.label, { state });
    const gamma = add('gamma', 'ones');
    const beta = add('beta', 'zeros');
    const movingMean = add('moving_mean', 'zeros', true);
    const movingVar = add('moving_variance', 'ones', true);
    if (!gamma || !beta || !movingMean || !movingVar) return null;

    // The mean over all axes but the last, as a mean over the spatial axes (if any), then
    // over the batch: equal-sized groups give the same value, and a mean over one
    // batch axis reads its run-time size plainly (`x.shape[0]`).
    const spatial = [...Array(t.shape.length - 2).keys()].map((a) => a + 1);
    const meanStat = (v: TensorValue | null) => {
      const perExample = v && spatial.length > 0 ? layerOp(c, 'mean', [v], { axes: spatial, keepDims: false }) : v;
      return perExample && layerOp(c, 'mean', [perExample], { axes: [0], keepDims: false });
    };
    const k = (v: number) => ex.constant(v, c.span, c.frame.label);
    const select = (a: TensorValue | null, b: TensorValue) => a && layerOp(c, 'training_select', [a, b], { layer: c.prefix });
    const batchMean = meanStat(x);
    const centredB = batchMean && layerOp(c, 'sub', [x, batchMean]);
    const squares = centredB && layerOp(c, 'square', [centredB]);
    const batchVar = meanStat(squares);
    if (!batchMean || !batchVar) return null;

    const m = select(batchMean, movingMean);
    const v = select(batchVar, movingVar);
    const centred = m && layerOp(c, 'sub', [x, m]);
    const shifted = v && layerOp(c, 'add', [v, k(epsilon)]);
    const inv = shifted && layerOp(c, 'pow', [shifted], { exponent: -0.5 });
    const scale = inv && layerOp(c, 'mul', [inv, gamma]);
    const scaled = centred && scale && layerOp(c, 'mul', [centred, scale]);
    const y = scaled && layerOp(c, 'add', [scaled, beta]);
    if (!y) return null;

    // moving ← momentum · moving + (1 - momentum) · batch value; unchanged when frozen.
    const blend = (moving: TensorValue, batch: TensorValue) => {
      const kept = layerOp(c, 'mul', [moving, k(momentum)]);
      const fresh = layerOp(c, 'mul', [batch, k(1 - momentum)]);
      return select(kept && fresh && layerOp(c, 'add', [kept, fresh]), moving);
    };
    const nextMean = blend(movingMean, batchMean);
    const nextVar = blend(movingVar, batchVar);
    if (!nextMean || !nextVar) return null;
    ex.updates[movingMean.name] = nextMean.id;
    ex.updates[movingVar.name] = nextVar.id;
    return y;
  },
};

/**
 * Marks each batch_norm's `training_select` nodes frozen exactly when its
 * `gamma` is not trained, so a frozen layer uses (and keeps) its running
 * statistics. Idempotent; returns `g` itself when nothing changes.
 */
export function withFrozenStatistics(g: ForwardGraph): ForwardGraph {
  const trained = new Set(g.params.filter((p) => p.trainable).map((p) => p.name));
  let changed = false;
  const nodes = g.graph.nodes.map((n) => {
    const layer = n.attrs['layer'];
    if (n.op !== 'training_select' || typeof layer !== 'string') return n;
    const frozen = !trained.has(`${layer}.gamma`);
    if ((n.attrs['frozen'] === true) === frozen) return n;
    changed = true;
    const { frozen: _, ...rest } = n.attrs;
    return { ...n, attrs: frozen ? { ...rest, frozen: true } : rest };
  });
  return changed ? { ...g, graph: { nodes } } : g;
}
