// A scalar constant `attrs.value` (f32 unless `attrs.dtype` is 'i32'). The
// emitter may hoist these out of the step so they are uploaded once.
import type { OpDef } from './op.js';
import { fail, numAttr } from './common.js';

export const constant: OpDef = {
  kind: 'const',
  arity: 0,
  shape(_inputs, attrs) {
    const v = numAttr(attrs, 'value');
    if (v === undefined) return fail("const: attribute 'value' must be a number");
    const dtype = attrs['dtype'] === 'i32' ? 'i32' : 'f32';
    if (dtype === 'i32' && !Number.isInteger(v)) return fail(`const: ${v} is not an integer`);
    return { dtype, shape: [] };
  },
  vjp: null,
  lower: (_args, node) =>
    node.type.dtype === 'i32' ? `tf.scalar(${String(node.attrs['value'])}, 'int32')` : `tf.scalar(${String(node.attrs['value'])})`,
};
