// one_hot(labels i32[...]; depth) → f32[..., depth]: 1 at the label, 0
// elsewhere (an out-of-range label gives a zero row, as in tfjs).
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, numAttr } from './common.js';
import { formatType } from '../ir/shapes.js';

export const oneHot: OpDef = {
  kind: 'one_hot',
  arity: 1,
  shape(inputs, attrs) {
    const x = inputs[0] as TensorType;
    const depth = numAttr(attrs, 'depth');
    if (depth === undefined || !Number.isInteger(depth) || depth < 1) return fail(`one_hot: depth must be a positive integer, got ${String(attrs['depth'])}`);
    if (x.dtype !== 'i32') return fail(`one_hot: expects integer labels, got ${formatType(x)}`);
    return { dtype: 'f32', shape: [...x.shape, depth] };
  },
  vjp: null, // integer labels carry no gradient
  // rt.oneHot, not tf.oneHot(…, 'float32'): the latter is broken on wasm.
  lower: ([x], node) => call('rt.oneHot', x!, String(node.attrs['depth'])),
};
