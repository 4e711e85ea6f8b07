// 1 / (1 + e⁻ˣ); VJP from the saved output: sigmoid_grad(dy, y).
import type { OpDef } from './op.js';
import { call, floatUnary } from './common.js';

export const sigmoid: OpDef = {
  kind: 'sigmoid',
  arity: 1,
  shape: floatUnary('sigmoid'),
  vjp: (b, node, dy) => [b.add('sigmoid_grad', [dy, node.id])],
  lower: ([x]) => call('tf.sigmoid', x!),
};
