// √x: adjoint dy / (2√x), from the saved output.
import type { OpDef } from './op.js';
import { call, floatUnary } from './common.js';

export const sqrt: OpDef = {
  kind: 'sqrt',
  arity: 1,
  shape: floatUnary('sqrt'),
  vjp: (b, node, dy) => [b.add('div', [dy, b.add('mul', [node.id, b.constant(2)])])],
  lower: ([x]) => call('tf.sqrt', x!),
};
