// Converts between f32 and i32 (`attrs.dtype`); f32 → i32 truncates toward
// zero as tfjs does. Only the f32 → f32 case passes a gradient through.
import type { DType, TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, tfDtype } from './common.js';

export const cast: OpDef = {
  kind: 'cast',
  arity: 1,
  shape(inputs, attrs) {
    const dtype = attrs['dtype'];
    if (dtype !== 'f32' && dtype !== 'i32') return fail(`cast: dtype must be 'f32' or 'i32', got ${String(dtype)}`);
    return { dtype, shape: (inputs[0] as TensorType).shape.slice() };
  },
  vjp: (b, node, dy) => [b.type(node.inputs[0]!).dtype === 'f32' && node.type.dtype === 'f32' ? dy : null],
  lower: ([x], node) => call('tf.cast', x!, `'${tfDtype(node.attrs['dtype'] as DType)}'`),
};
