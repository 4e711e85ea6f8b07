// Reshape to `attrs.shape`, whose entries are sizes or symbols. Symbols must
// be carried over unchanged (the same multiset on both sides, at most one),
// and the static sizes must multiply to the same number. The symbol lowers to
// -1, e.g. flatten: f32[batch, 28, 28] → rt.reshape(x, [-1, 784]).
import type { Dim, TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, lit } from './common.js';
import { dimsAttr, formatType } from '../ir/shapes.js';

const symbols = (s: readonly Dim[]) => s.filter((d): d is string => typeof d === 'string').sort();
const staticProduct = (s: readonly Dim[]) => s.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);

export const reshape: OpDef = {
  kind: 'reshape',
  arity: 1,
  shape(inputs, attrs) {
    const x = inputs[0] as TensorType;
    const shape = dimsAttr(attrs['shape']);
    if (!shape) return fail("reshape: attribute 'shape' must be a list of sizes and symbols");
    const target = `${x.dtype}[${shape.join(', ')}]`;
    const sx = symbols(x.shape);
    const so = symbols(shape);
    if (so.length > 1) return fail(`reshape: at most one symbolic dimension, got ${target}`);
    if (sx.join() !== so.join()) return fail(`reshape: symbolic dimensions must be kept: ${formatType(x)} → ${target}`);
    if (staticProduct(x.shape) !== staticProduct(shape)) return fail(`reshape: element counts differ: ${formatType(x)} → ${target}`);
    return { dtype: x.dtype, shape };
  },
  vjp: (b, node, dy) => [b.add('reshape', [dy], { shape: b.type(node.inputs[0]!).shape })],
  lower: ([x], node) => call('rt.reshape', x!, lit(node.type.shape.map((d) => (typeof d === 'number' ? d : -1)))),
};
