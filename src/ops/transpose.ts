// Permutes axes by `attrs.perm` (default: reversed). VJP: the inverse permutation.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, lit } from './common.js';
import { formatType } from '../ir/shapes.js';

function permOf(perm: unknown, rank: number): number[] | null {
  if (perm === undefined || perm === null) return [...Array(rank).keys()].reverse();
  if (!Array.isArray(perm) || perm.length !== rank) return null;
  const sorted = [...perm].sort((a, b) => a - b);
  return sorted.every((p, i) => p === i) ? (perm as number[]).slice() : null;
}

export const transpose: OpDef = {
  kind: 'transpose',
  arity: 1,
  shape(inputs, attrs) {
    const x = inputs[0] as TensorType;
    const perm = permOf(attrs['perm'], x.shape.length);
    if (!perm) return fail(`transpose: perm ${lit(attrs['perm'] ?? null)} is not a permutation of the axes of ${formatType(x)}`);
    return { dtype: x.dtype, shape: perm.map((p) => x.shape[p]!) };
  },
  vjp(b, node, dy) {
    const perm = permOf(node.attrs['perm'], node.type.shape.length)!;
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [b.add('transpose', [dy], { perm: inverse })];
  },
  lower: ([x], node) => call('tf.transpose', x!, lit(permOf(node.attrs['perm'], node.type.shape.length)!)),
};
