// softmax along `attrs.axis` (default -1). tfjs's kernel only takes the last
// axis; other axes go through rt.softmax. VJP from the saved output y:
// dx = y * (dy - Σ(dy*y) along axis).
import type { Node, TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, numAttr } from './common.js';
import { formatType, normalizeAxis } from '../ir/shapes.js';

/** The normalised axis of a softmax-like node (output rank = input rank). */
export function softmaxAxis(node: Node): number {
  return normalizeAxis(numAttr(node.attrs, 'axis') ?? -1, node.type.shape.length)!;
}

export function softmaxShape(op: string) {
  return (inputs: readonly TensorType[], attrs: Node['attrs']) => {
    const x = inputs[0]!;
    if (x.dtype !== 'f32') return fail(`${op}: expects a float tensor, got ${formatType(x)}`);
    const axis = numAttr(attrs, 'axis') ?? -1;
    if (normalizeAxis(axis, x.shape.length) === null) return fail(`${op}: axis ${axis} is out of range for ${formatType(x)}`);
    return { dtype: 'f32' as const, shape: x.shape.slice() };
  };
}

export const softmax: OpDef = {
  kind: 'softmax',
  arity: 1,
  shape: softmaxShape('softmax'),
  vjp(b, node, dy) {
    const axis = softmaxAxis(node);
    const s = b.add('sum', [b.add('mul', [dy, node.id])], { axes: [axis], keepDims: true });
    return [b.add('mul', [node.id, b.add('sub', [dy, s])])];
  },
  lower([x], node) {
    const axis = softmaxAxis(node);
    return axis === node.type.shape.length - 1 ? call('tf.softmax', x!) : call('rt.softmax', x!, String(axis));
  },
};
