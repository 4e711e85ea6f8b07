// eˣ: adjoint dy * eˣ, from the saved output.
import type { OpDef } from './op.js';
import { call, floatUnary } from './common.js';

export const exp: OpDef = {
  kind: 'exp',
  arity: 1,
  shape: floatUnary('exp'),
  vjp: (b, node, dy) => [b.add('mul', [dy, node.id])],
  lower: ([x]) => call('tf.exp', x!),
};
