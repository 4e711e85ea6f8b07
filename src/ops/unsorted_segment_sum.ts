// unsorted_segment_sum(data f32[…ids, E…], ids i32[…ids]; segments S) →
// f32[S, E…]: out[s] = Σ data[i] over the i with ids[i] = s (ids outside
// [0, S) are dropped). The backward kernel of gather; the gradient to data
// is gather(dy, ids).
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, numAttr } from './common.js';
import { formatType, sameShape } from '../ir/shapes.js';

export const unsortedSegmentSum: OpDef = {
  kind: 'unsorted_segment_sum',
  arity: 2,
  shape(inputs, attrs) {
    const [data, ids] = inputs as [TensorType, TensorType];
    const s = numAttr(attrs, 'segments');
    if (s === undefined || !Number.isInteger(s) || s < 1) return fail(`unsorted_segment_sum: segments must be a positive integer, got ${String(attrs['segments'])}`);
    if (ids.dtype !== 'i32') return fail(`unsorted_segment_sum: expects integer ids, got ${formatType(ids)}`);
    if (!sameShape(data.shape.slice(0, ids.shape.length), ids.shape)) {
      return fail(`unsorted_segment_sum: data ${formatType(data)} must start with the ids' shape ${formatType(ids)}`);
    }
    return { dtype: data.dtype, shape: [s, ...data.shape.slice(ids.shape.length)] };
  },
  vjp: (b, node, dy) => [b.add('gather', [dy, node.inputs[1]!]), null],
  lower: ([data, ids], node) => call('rt.unsortedSegmentSum', data!, ids!, String(node.attrs['segments'])),
};
