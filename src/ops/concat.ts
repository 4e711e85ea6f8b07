// concat(x₁, x₂, …; axis): joins along `axis` (default -1), which must be
// static in every part; the other dimensions must agree. VJP: each part's
// slice of dy.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, numAttr } from './common.js';
import { formatType, normalizeAxis } from '../ir/shapes.js';

export function concatAxis(attrs: Parameters<OpDef['shape']>[1], rank: number): number | null {
  return normalizeAxis(numAttr(attrs, 'axis') ?? -1, rank);
}

export const concat: OpDef = {
  kind: 'concat',
  arity: 'variadic',
  shape(inputs, attrs) {
    const first = inputs[0] as TensorType;
    const all = inputs.map(formatType).join(', ');
    const axis = concatAxis(attrs, first.shape.length);
    if (axis === null) return fail(`concat: axis ${String(attrs['axis'] ?? -1)} is out of range for ${formatType(first)}`);
    let total = 0;
    for (const t of inputs) {
      const same = t.dtype === first.dtype && t.shape.length === first.shape.length && t.shape.every((d, i) => i === axis || d === first.shape[i]);
      if (!same) return fail(`concat: parts differ off axis ${axis}: ${all}`);
      const d = t.shape[axis]!;
      if (typeof d !== 'number') return fail(`concat: the joined axis must be static: ${all}`);
      total += d;
    }
    const shape = first.shape.slice();
    shape[axis] = total;
    return { dtype: first.dtype, shape };
  },
  vjp(b, node, dy) {
    const axis = concatAxis(node.attrs, node.type.shape.length)!;
    let offset = 0;
    return node.inputs.map((x) => {
      const shape = b.type(x).shape;
      const begin = shape.map((_, i) => (i === axis ? offset : 0));
      offset += shape[axis] as number;
      return b.add('slice', [dy], { begin, size: shape });
    });
  },
  lower: (args, node) => call('tf.concat', `[${args.join(', ')}]`, String(concatAxis(node.attrs, node.type.shape.length))),
};
