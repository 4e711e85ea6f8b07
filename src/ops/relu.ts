// max(x, 0). Its VJP reads the saved output: relu_grad(dy, y), so x need not
// be kept alive for the backward pass.
import type { OpDef } from './op.js';
import { call, floatUnary } from './common.js';

export const relu: OpDef = {
  kind: 'relu',
  arity: 1,
  shape: floatUnary('relu'),
  vjp: (b, node, dy) => [b.add('relu_grad', [dy, node.id])],
  lower: ([x]) => call('rt.relu', x!),
};
