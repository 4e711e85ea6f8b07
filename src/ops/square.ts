// x²: adjoint dy * 2x.
import type { OpDef } from './op.js';
import { call, floatUnary } from './common.js';

export const square: OpDef = {
  kind: 'square',
  arity: 1,
  shape: floatUnary('square'),
  vjp: (b, node, dy) => [b.add('mul', [dy, b.add('mul', [node.inputs[0]!, b.constant(2)])])],
  lower: ([x]) => call('tf.square', x!),
};
