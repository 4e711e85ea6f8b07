// Broadcasts x to the run-time shape of `like` (numpy rules); used where a
// size-1 axis must stretch to a symbolic size, e.g. the VJP of a sum over the
// batch. VJP: dy to x (un-broadcast centrally); `like` only lends its shape.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail } from './common.js';
import { broadcastsTo, formatType } from '../ir/shapes.js';

export const broadcastLike: OpDef = {
  kind: 'broadcast_like',
  arity: 2,
  shape(inputs) {
    const [x, like] = inputs as [TensorType, TensorType];
    if (!broadcastsTo(x.shape, like.shape)) return fail(`broadcast_like: ${formatType(x)} does not broadcast to ${formatType(like)}`);
    return { dtype: x.dtype, shape: like.shape.slice() };
  },
  vjp: (_b, _node, dy) => [dy, null],
  lower: ([x, like]) => call('rt.broadcastTo', x!, `${like!}.shape`),
};
