// max(x; axes, keepDims) over `axes` (absent: every axis). VJP through the
// backward kernel max_grad(dy, x, y): dy shared equally among the positions
// that attain the maximum (TensorFlow's rule), zero elsewhere.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { axesAttr, boolAttr, call, fail, lit } from './common.js';
import { formatType, sameType } from '../ir/shapes.js';
import { lowerReduce, reduceShape } from './sum.js';

export const max: OpDef = {
  kind: 'max',
  arity: 1,
  shape: reduceShape('max'),
  vjp: (b, node, dy) => {
    const x = node.inputs[0]!;
    const axes = axesAttr('max', node.attrs, b.type(x)) as number[];
    return [b.add('max_grad', [dy, x, node.id], { axes, keepDims: boolAttr(node.attrs, 'keepDims') })];
  },
  lower: ([x], node) => lowerReduce('tf.max', x!, node),
};

export const maxGrad: OpDef = {
  kind: 'max_grad',
  arity: 3,
  shape(inputs, attrs) {
    const [dy, x, y] = inputs as [TensorType, TensorType, TensorType];
    const reduced = reduceShape('max_grad')([x], attrs);
    if ('error' in reduced) return reduced;
    if (!sameType(dy, y) || !sameType(y, reduced)) return fail(`max_grad: dy ${formatType(dy)} and y ${formatType(y)} must be the reduction of x ${formatType(x)}`);
    return { dtype: 'f32', shape: x.shape.slice() };
  },
  vjp: null, // backward-only kernel
  lower: ([dy, x, y], node) => call('rt.maxGrad', dy!, x!, y!, lit(node.attrs['axes'] as number[])),
};
