// l2(x) → f32[]: the plain sum of squares Σx² (no ½ factor, so the gradient
// is 2x·dy). Used for weight decay terms like `1e-4 * l2(h.weight)`.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail } from './common.js';
import { formatType } from '../ir/shapes.js';

export const l2: OpDef = {
  kind: 'l2',
  arity: 1,
  shape(inputs) {
    const x = inputs[0] as TensorType;
    if (x.dtype !== 'f32') return fail(`l2: expects a float tensor, got ${formatType(x)}`);
    return { dtype: 'f32', shape: [] };
  },
  vjp: (b, node, dy) => [b.add('mul', [node.inputs[0]!, b.add('mul', [dy, b.constant(2)])])],
  lower: ([x]) => call('rt.sumOfSquares', x!),
};
