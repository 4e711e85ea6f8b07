// Embedding lookup: gather(table f32[V, E…], ids i32[…]) → f32[…, E…], the
// rows of `table` named by `ids` (axis 0). VJP: the rows' adjoints summed per
// id, unsorted_segment_sum(dy, ids; segments V); ids get no gradient.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail } from './common.js';
import { formatType } from '../ir/shapes.js';

export const gather: OpDef = {
  kind: 'gather',
  arity: 2,
  shape(inputs) {
    const [table, ids] = inputs as [TensorType, TensorType];
    if (table.shape.length < 1) return fail(`gather: expects a table of rank ≥ 1, got ${formatType(table)}`);
    if (ids.dtype !== 'i32') return fail(`gather: expects integer ids, got ${formatType(ids)}`);
    return { dtype: table.dtype, shape: [...ids.shape, ...table.shape.slice(1)] };
  },
  vjp: (b, node, dy) => {
    const [table, ids] = node.inputs as [number, number];
    return [b.add('unsorted_segment_sum', [dy, ids], { segments: b.type(table).shape[0]! }), null];
  },
  lower: ([table, ids]) => call('rt.gather', table!, ids!),
};
