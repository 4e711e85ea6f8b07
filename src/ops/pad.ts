// pad(x; paddings) with zeros: `paddings` is the flat list
// [before₀, after₀, before₁, after₁, …]; a symbolic axis cannot be padded.
// VJP: the slice of dy where x sits.
import type { Dim, TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail } from './common.js';
import { formatType } from '../ir/shapes.js';

function pairs(v: unknown, rank: number): [number, number][] | null {
  if (!Array.isArray(v) || v.length !== 2 * rank || !v.every((p) => typeof p === 'number' && Number.isInteger(p) && p >= 0)) return null;
  return Array.from({ length: rank }, (_, i) => [v[2 * i] as number, v[2 * i + 1] as number]);
}

export const pad: OpDef = {
  kind: 'pad',
  arity: 1,
  shape(inputs, attrs) {
    const x = inputs[0] as TensorType;
    const p = pairs(attrs['paddings'], x.shape.length);
    if (!p) return fail(`pad: 'paddings' must hold a (before, after) pair of non-negative integers per axis of ${formatType(x)}`);
    const shape: Dim[] = [];
    for (let i = 0; i < p.length; i++) {
      const d = x.shape[i]!;
      const [a, z] = p[i]!;
      if (typeof d === 'string' && a + z > 0) return fail(`pad: cannot pad the symbolic axis '${d}' of ${formatType(x)}`);
      shape.push(typeof d === 'number' ? a + d + z : d);
    }
    return { dtype: x.dtype, shape };
  },
  vjp(b, node, dy) {
    const x = b.type(node.inputs[0]!);
    const p = pairs(node.attrs['paddings'], x.shape.length)!;
    return [b.add('slice', [dy], { begin: p.map(([a]) => a), size: x.shape })];
  },
  lower: ([x], node) => {
    const p = pairs(node.attrs['paddings'], node.type.shape.length)!;
    return call('tf.pad', x!, `[${p.map(([a, z]) => `[${a}, ${z}]`).join(', ')}]`);
  },
};
