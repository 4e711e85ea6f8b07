// Index of the largest value along `attrs.axis` (default -1) → i32, that axis
// removed; ties go to the first index. Piecewise constant: zero gradient.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, numAttr, zeroGradient } from './common.js';
import { formatType, normalizeAxis } from '../ir/shapes.js';

export const argmax: OpDef = {
  kind: 'argmax',
  arity: 1,
  shape(inputs, attrs) {
    const x = inputs[0] as TensorType;
    const axis = normalizeAxis(numAttr(attrs, 'axis') ?? -1, x.shape.length);
    if (axis === null) return fail(`argmax: axis ${String(attrs['axis'] ?? -1)} is out of range for ${formatType(x)}`);
    return { dtype: 'i32', shape: x.shape.filter((_, i) => i !== axis) };
  },
  vjp: zeroGradient,
  lower: ([x], node) => call('tf.argMax', x!, String(numAttr(node.attrs, 'axis') ?? -1)),
};
