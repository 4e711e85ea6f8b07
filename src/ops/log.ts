// Natural log: adjoint dy / x.
import type { OpDef } from './op.js';
import { call, floatUnary } from './common.js';

export const log: OpDef = {
  kind: 'log',
  arity: 1,
  shape: floatUnary('log'),
  vjp: (b, node, dy) => [b.add('div', [dy, node.inputs[0]!])],
  lower: ([x]) => call('tf.log', x!),
};
