// x / y (float) with numpy broadcasting: adjoints dy/y and -dy*(x/y)/y,
// the latter reusing the saved output q = x/y.
import type { OpDef } from './op.js';
import { broadcasting, call } from './common.js';

export const div: OpDef = {
  kind: 'div',
  arity: 2,
  shape: broadcasting('div', '/', ['f32']),
  vjp: (b, node, dy) => {
    const y = node.inputs[1]!;
    const dx = b.add('div', [dy, y]);
    return [dx, b.add('neg', [b.add('mul', [dx, node.id])])];
  },
  lower: ([a, b]) => call('tf.div', a!, b!),
};
