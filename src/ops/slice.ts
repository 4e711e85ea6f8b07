// slice(x; begin, size): the block starting at `begin` with extent `size` per
// axis. A size may be x's own symbolic dimension (with begin 0): the whole
// axis, lowered as -1. VJP: dy zero-padded back to x's shape (pad).
import type { Dim, TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, lit } from './common.js';
import { dimsAttr, formatType } from '../ir/shapes.js';

function beginAttr(v: unknown, rank: number): number[] | null {
  return Array.isArray(v) && v.length === rank && v.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0) ? (v as number[]) : null;
}

export const slice: OpDef = {
  kind: 'slice',
  arity: 1,
  shape(inputs, attrs) {
    const x = inputs[0] as TensorType;
    const rank = x.shape.length;
    const begin = beginAttr(attrs['begin'], rank);
    const size = dimsAttr(attrs['size']);
    if (!begin || !size || size.length !== rank) return fail(`slice: 'begin' and 'size' must list one entry per axis of ${formatType(x)}`);
    for (let i = 0; i < rank; i++) {
      const d = x.shape[i]!;
      const s = size[i]!;
      const ok = typeof s === 'string' ? s === d && begin[i] === 0 : typeof d === 'number' ? begin[i]! + s <= d : false;
      if (!ok) return fail(`slice: [${lit(begin)} +${lit(size)}] does not fit in ${formatType(x)}`);
    }
    return { dtype: x.dtype, shape: size };
  },
  vjp(b, node, dy) {
    const x = b.type(node.inputs[0]!);
    const begin = node.attrs['begin'] as number[];
    const paddings = x.shape.map((d, i) => {
      const s = node.type.shape[i]!;
      return typeof d === 'number' && typeof s === 'number' ? [begin[i]!, d - begin[i]! - s] : [0, 0];
    });
    return [b.add('pad', [dy], { paddings: paddings.flat() })];
  },
  lower: ([x], node) => call('tf.slice', x!, lit(node.attrs['begin'] as number[]), lit(node.type.shape.map((d: Dim) => (typeof d === 'number' ? d : -1)))),
};
