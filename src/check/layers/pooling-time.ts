// Masked pooling over the time axis of a sequence x f32[batch, L, d] that
// comes from a text input: padding positions (token id 0) do not count.
//   mask        = sign(cast(ids, f32))                       f32[batch, L]
//   mean_pool   = sum(x · mask, time) / sum(mask, time)      f32[batch, d]
//   max_pool_time = max(x + (mask − 1) · 1e9, time)          f32[batch, d]
// Every step is a primitive, so the gradient is derived like any other:
// mean spreads dy over the real tokens only, max routes it to the maximal one.
// The data loader drops texts without a token, so the count is never 0.
import type { TensorValue } from '../values.js';
import { textSourceOf } from '../text-input.js';
import { layerOp, type Layer, type LayerCall } from './layer.js';

/** Far below any activation: padded positions never win the max. */
const PAD_PENALTY = 1e9;

export function sequenceAndMask(c: LayerCall): { x: TensorValue; mask3: TensorValue; mask: TensorValue; length: number } | null {
  const { ex, args } = c;
  const x = args.tensor('x');
  if (!x) return null;
  const t = ex.type(x);
  if (t.dtype !== 'f32' || t.shape.length !== 3 || t.shape[0] !== 'batch') {
    ex.sink.report('NNC3021', `${c.callee} expects a sequence f32[batch, length, features], got ${ex.describe(x)}`, args.span('x'), {
      hint: 'pool the output of embedding(…) or lstm(…, return_sequences: true)',
    });
    return null;
  }
  const text = textSourceOf(ex, x.id);
  const length = t.shape[1];
  if (text === null || typeof length !== 'number' || text.type.shape[1] !== length) {
    ex.sink.report('NNC3010', `${c.callee} masks padding, but ${ex.describe(x)} does not come from a text input of that length`, args.span('x'), {
      hint: 'use it on a sequence computed from a `text(…)` input, e.g. mean_pool(embedding(review, 64))',
    });
    return null;
  }
  const ids: TensorValue = { kind: 'tensor', id: text.id, name: String(text.attrs['name']), span: text.origin.span };
  const asFloat = layerOp(c, 'cast', [ids], { dtype: 'f32' });
  const mask = asFloat && layerOp(c, 'sign', [asFloat]);
  const mask3 = mask && layerOp(c, 'reshape', [mask], { shape: ['batch', length, 1] });
  return mask && mask3 ? { x, mask, mask3, length } : null;
}

export const meanPool: Layer = {
  modes: ['net'],
  createsParams: false,
  expand(c) {
    const s = sequenceAndMask(c);
    if (!s) return null;
    const masked = layerOp(c, 'mul', [s.x, s.mask3]);
    const total = masked && layerOp(c, 'sum', [masked], { axes: [1], keepDims: false });
    const count = layerOp(c, 'sum', [s.mask], { axes: [1], keepDims: true });
    return total && count && layerOp(c, 'div', [total, count]);
  },
};

export const maxPoolTime: Layer = {
  modes: ['net'],
  createsParams: false,
  expand(c) {
    const s = sequenceAndMask(c);
    if (!s) return null;
    const off = layerOp(c, 'sub', [s.mask3, c.ex.constant(1, c.span, c.frame.label)]);
    const penalty = off && layerOp(c, 'mul', [off, c.ex.constant(PAD_PENALTY, c.span, c.frame.label)]);
    const shifted = penalty && layerOp(c, 'add', [s.x, penalty]);
    return shifted && layerOp(c, 'max', [shifted], { axes: [1], keepDims: false });
  },
};
