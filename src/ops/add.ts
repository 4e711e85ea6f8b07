// x + y with numpy broadcasting. Both adjoints are dy (of the output's shape;
// autodiff un-broadcasts them).
import type { OpDef } from './op.js';
import { broadcasting, call } from './common.js';

export const add: OpDef = {
  kind: 'add',
  arity: 2,
  shape: broadcasting('add', '+'),
  vjp: (_b, _node, dy) => [dy, dy],
  lower: ([a, b]) => call('rt.add', a!, b!),
};
