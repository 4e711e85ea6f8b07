// Sum over `attrs.axes` (absent: every axis), keeping them as size 1 when
// `attrs.keepDims`. VJP: dy spread back over x's shape (spreadOver).
import type { Node, TensorType, ValueId } from '../ir/types.js';
import type { OpDef, VjpBuilder } from './op.js';
import { axesAttr, boolAttr, call, lit, reducedShape } from './common.js';

export function reduceShape(op: string) {
  return (inputs: readonly TensorType[], attrs: Node['attrs']) => {
    const x = inputs[0]!;
    const axes = axesAttr(op, attrs, x);
    if (!Array.isArray(axes)) return axes;
    return { dtype: x.dtype, shape: reducedShape(x.shape, axes, boolAttr(attrs, 'keepDims')) };
  };
}

/** `tf.sum(x)`, `tf.sum(x, [1])`, `tf.sum(x, [1], true)`: the shortest faithful call. */
export function lowerReduce(fn: string, x: string, node: Node): string {
  const keep = boolAttr(node.attrs, 'keepDims');
  const axes = node.attrs['axes'];
  const all = axes === undefined || axes === null;
  if (all && !keep) return call(fn, x);
  // Every axis, kept: the output's rank is the input's.
  const list = all ? lit([...Array(node.type.shape.length).keys()]) : lit(typeof axes === 'number' ? [axes] : axes);
  return keep ? call(fn, x, list, 'true') : call(fn, x, list);
}

/**
 * Spreads an adjoint of the reduced shape back over x's shape. Without
 * keepDims, dy is first reshaped to the kept form, unless the reduced axes are
 * leading ones (then dy already broadcasts, numpy-aligned at the right).
 * Stretching along a symbolic axis needs x itself at run time (broadcast_like).
 */
export function spreadOver(b: VjpBuilder, x: ValueId, node: Node, dy: ValueId): ValueId {
  const xt = b.type(x);
  const axes = axesAttr(node.op, node.attrs, xt) as number[];
  let g = dy;
  const leading = axes.every((a, i) => a === i);
  if (!boolAttr(node.attrs, 'keepDims') && !leading) {
    g = b.add('reshape', [g], { shape: reducedShape(xt.shape, axes, true) });
  }
  const stretchesSymbol = axes.some((a) => typeof xt.shape[a] === 'string');
  return stretchesSymbol ? b.add('broadcast_like', [g, x]) : b.add('broadcast', [g], { shape: xt.shape });
}

export const sum: OpDef = {
  kind: 'sum',
  arity: 1,
  shape: reduceShape('sum'),
  vjp: (b, node, dy) => [spreadOver(b, node.inputs[0]!, node, dy)],
  lower: ([x], node) => lowerReduce('rt.sum', x!, node), // rt.sum: tf.sum, or one native kernel on tfjs-node
};
