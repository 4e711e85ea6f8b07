// x * y with numpy broadcasting: adjoints dy*y and dy*x.
import type { OpDef } from './op.js';
import { broadcasting, call } from './common.js';

export const mul: OpDef = {
  kind: 'mul',
  arity: 2,
  shape: broadcasting('mul', '*'),
  vjp: (b, node, dy) => {
    const [x, y] = node.inputs as [number, number];
    return [b.add('mul', [dy, y]), b.add('mul', [dy, x])];
  },
  lower: ([a, b]) => call('rt.mul', a!, b!),
};
