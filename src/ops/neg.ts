// -x.
import type { OpDef } from './op.js';
import { call, floatUnary } from './common.js';

export const neg: OpDef = {
  kind: 'neg',
  arity: 1,
  shape: floatUnary('neg'),
  vjp: (b, _node, dy) => [b.add('neg', [dy])],
  lower: ([x]) => call('tf.neg', x!),
};
