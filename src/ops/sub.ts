// x - y with numpy broadcasting: adjoints dy and -dy.
import type { OpDef } from './op.js';
import { broadcasting, call } from './common.js';

export const sub: OpDef = {
  kind: 'sub',
  arity: 2,
  shape: broadcasting('sub', '-'),
  vjp: (b, _node, dy) => [dy, b.add('neg', [dy])],
  lower: ([a, b]) => call('rt.sub', a!, b!),
};
