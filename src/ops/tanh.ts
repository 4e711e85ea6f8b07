// tanh x; VJP from the saved output: tanh_grad(dy, y).
import type { OpDef } from './op.js';
import { call, floatUnary } from './common.js';

export const tanh: OpDef = {
  kind: 'tanh',
  arity: 1,
  shape: floatUnary('tanh'),
  vjp: (b, node, dy) => [b.add('tanh_grad', [dy, node.id])],
  lower: ([x]) => call('tf.tanh', x!),
};
