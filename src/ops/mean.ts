// Mean over `attrs.axes` (absent: every axis), `attrs.keepDims` as for sum.
// VJP: dy/N spread over x, with N the number of averaged elements; when N
// involves the batch size it is read at run time (inv_count), so the
// generated program divides by the actual size of a short last batch.
import type { OpDef } from './op.js';
import { axesAttr, staticCount } from './common.js';
import { lowerReduce, reduceShape, spreadOver } from './sum.js';

export const mean: OpDef = {
  kind: 'mean',
  arity: 1,
  shape: reduceShape('mean'),
  vjp(b, node, dy) {
    const x = node.inputs[0]!;
    const axes = axesAttr('mean', node.attrs, b.type(x)) as number[];
    const n = staticCount(b.type(x).shape, axes);
    const scale = n !== null ? b.constant(1 / n) : b.add('inv_count', [x], { axes });
    return [spreadOver(b, x, node, b.add('mul', [dy, scale]))];
  },
  lower: ([x], node) => lowerReduce('rt.mean', x!, node), // rt.mean: tf.mean, or one native kernel on tfjs-node
};
