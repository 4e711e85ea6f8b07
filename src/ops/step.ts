// Heaviside step as f32: 1 where x > 0, else 0 (step(0) = 0). Its gradient
// is zero almost everywhere.
import type { OpDef } from './op.js';
import { call, floatUnary, zeroGradient } from './common.js';

export const step: OpDef = {
  kind: 'step',
  arity: 1,
  shape: floatUnary('step'),
  vjp: zeroGradient,
  lower: ([x]) => call('tf.step', x!),
};
