// dense(x, units, activation:, use_bias:, init:, bias_init:) = x @ weight
// (+ bias) (then the activation). Weights [in, units] start glorot_uniform,
// the bias at zeros; `init:` and `bias_init:` override.
import { formatType } from '../format.js';
import { initSpec, readInit } from '../init.js';
import { layerOp, type Layer } from './layer.js';
import { activationAttrs, type Activation } from './activations.js';

const DENSE_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'log_softmax'] as const;

export const dense: Layer = {
  modes: ['net'],
  createsParams: true,
  expand(c) {
    const { ex, args } = c;
    const x = args.tensor('x');
    const units = args.number('units', null, { integer: true, min: 1 });
    const act = args.symbol('activation', DENSE_ACTIVATIONS, 'linear');
    const useBias = args.bool('use_bias', true);
    const rawInit = args.raw('init');
    const init = rawInit === undefined ? { kind: 'glorot_uniform' as const } : readInit(rawInit, ex.sink);
    const rawBiasInit = args.raw('bias_init');
    const biasInit = rawBiasInit === undefined ? { kind: 'zeros' as const } : readInit(rawBiasInit, ex.sink);
    if (!x || units === null || act === null || useBias === null || init === null || biasInit === null) return null;
    const t = ex.type(x);
    if (t.shape.length !== 2) {
      const source = x.name;
      ex.sink.report('NNC3021', `dense expects a rank-2 input, got ${ex.describe(x)}`, args.span('x'), {
        hint:
          t.shape.length > 2
            ? `insert flatten(…): \`${source}_flat = flatten(${source})\`, then dense(${source}_flat, ${units})`
            : `dense takes a batch of feature vectors, f32[batch, features]`,
      });
      return null;
    }
    if (t.dtype !== 'f32') {
      ex.sink.report('NNC3022', `dense expects a float input, got ${ex.describe(x)}`, args.span('x'), { hint: 'class labels are not features; use embedding(…) for token ids' });
      return null;
    }
    const features = t.shape[1]!;
    if (typeof features !== 'number') {
      ex.sink.report('NNC3020', `dense needs a known feature size, got ${formatType(t)} from \`${x.name}\``, args.span('x'));
      return null;
    }
    const weight = ex.addParam(`${c.prefix}.weight`, [features, units], initSpec(init, [features, units]), c.span, c.frame.label);
    if (!weight) return null;
    let y = layerOp(c, 'matmul', [x, weight], { transposeA: false, transposeB: false });
    if (!y) return null;
    if (useBias) {
      const bias = ex.addParam(`${c.prefix}.bias`, [units], initSpec(biasInit, [units]), c.span, c.frame.label);
      if (!bias) return null;
      y = layerOp(c, 'add', [y, bias]);
      if (!y) return null;
    }
    if (act === 'linear') return y;
    return layerOp(c, act, [y], activationAttrs(act as Activation));
  },
};
