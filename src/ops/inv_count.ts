// f32[] = 1 / (number of elements of x along `attrs.axes`), read from x's
// run-time shape: the 1/N of a mean over the batch, for a batch of any size.
// Only x's shape is used, so its gradient is zero.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { fail, zeroGradient } from './common.js';
import { formatType } from '../ir/shapes.js';

export const invCount: OpDef = {
  kind: 'inv_count',
  arity: 1,
  shape(inputs, attrs) {
    const x = inputs[0] as TensorType;
    const axes = attrs['axes'];
    const ok = Array.isArray(axes) && axes.every((a) => typeof a === 'number' && Number.isInteger(a) && a >= 0 && a < x.shape.length);
    if (!ok) return fail(`inv_count: 'axes' must list non-negative axes of ${formatType(x)}`);
    return { dtype: 'f32', shape: [] };
  },
  vjp: zeroGradient,
  lower([x], node) {
    const axes = node.attrs['axes'] as number[];
    const count = axes.length === 0 ? '1' : axes.map((a) => `${x!}.shape[${a}]`).join(' * ');
    return `rt.inverseCount(${count})`;
  },
};
