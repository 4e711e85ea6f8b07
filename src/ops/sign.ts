// sign(x) ∈ {-1, 0, 1} as f32; piecewise constant: zero gradient.
import type { OpDef } from './op.js';
import { call, floatUnary, zeroGradient } from './common.js';

export const sign: OpDef = {
  kind: 'sign',
  arity: 1,
  shape: floatUnary('sign'),
  vjp: zeroGradient,
  lower: ([x]) => call('tf.sign', x!),
};
