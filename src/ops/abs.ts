// |x|: adjoint dy * sign(x) (0 at x = 0, the subgradient tfjs also uses).
import type { OpDef } from './op.js';
import { call, floatUnary } from './common.js';

export const abs: OpDef = {
  kind: 'abs',
  arity: 1,
  shape: floatUnary('abs'),
  vjp: (b, node, dy) => [b.add('mul', [dy, b.add('sign', [node.inputs[0]!])])],
  lower: ([x]) => call('tf.abs', x!),
};
