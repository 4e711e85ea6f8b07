// training_select(a, b): `a` while training, `b` otherwise — how batch_norm
// switches between batch statistics (training) and running statistics
// (evaluation) inside one forward function. Both inputs are computed; the
// choice is the trainer's `training` flag at run time. With `frozen: true`
// it is always `b` (a frozen batch_norm normalises with its running
// statistics while training too). The backward pass runs only while
// training, so the gradient goes to `a` (to `b` when frozen).
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { boolAttr, call, fail } from './common.js';
import { formatType } from '../ir/shapes.js';

export const trainingSelect: OpDef = {
  kind: 'training_select',
  arity: 2,
  shape(inputs) {
    const [a, b] = inputs as [TensorType, TensorType];
    const same = a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
    if (!same) return fail(`training_select: both branches must have one type, got ${formatType(a)} and ${formatType(b)}`);
    return { dtype: a.dtype, shape: a.shape.slice() };
  },
  vjp: (_b, node, dy) => (boolAttr(node.attrs, 'frozen') ? [null, dy] : [dy, null]),
  // A clone, so the node is one new tensor the memory plan may dispose like any other.
  lower: ([a, b], node, ctx) => call('tf.clone', boolAttr(node.attrs, 'frozen') ? b! : `${ctx.training} ? ${a!} : ${b!}`),
};
