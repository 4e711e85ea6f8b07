// Brings an adjoint contribution to the shape of the value it is for. A VJP
// rule may return a contribution of its output's (broadcast) shape; this is
// the one place that sums it back over the broadcast axes. The opposite case
// (a contribution smaller than the value, e.g. a scalar) is stretched.
import { broadcastAxes, broadcastsTo, sameShape } from '../ir/shapes.js';
import { formatType } from '../ir/shapes.js';
import type { TensorType, ValueId } from '../ir/types.js';
import type { VjpBuilder } from '../ops/op.js';

/**
 * `like` is a value of the target's type (the forward value itself), used to
 * stretch along a symbolic axis whose size is only known at run time.
 */
export function fitToType(b: VjpBuilder, c: ValueId, target: TensorType, like: ValueId): ValueId {
  const from = b.type(c).shape;
  const to = target.shape;
  if (sameShape(from, to)) return c;

  if (broadcastsTo(to, from)) {
    const axes = broadcastAxes(to, from);
    const lead = from.length - to.length;
    // One sum when the reduced axes are all leading (drop them) or there are no
    // leading ones (keep them as 1); otherwise a sum and a reshape.
    if (lead === 0) return b.add('sum', [c], { axes, keepDims: true });
    const summed = b.add('sum', [c], { axes, keepDims: false });
    return sameShape(b.type(summed).shape, to) ? summed : b.add('reshape', [summed], { shape: to });
  }

  if (broadcastsTo(from, to)) {
    const lead = to.length - from.length;
    const symbolic = to.some((d, i) => typeof d === 'string' && from[i - lead] !== d);
    return symbolic ? b.add('broadcast_like', [c, like]) : b.add('broadcast', [c], { shape: to });
  }

  throw new Error(`internal: an adjoint of type ${formatType(b.type(c))} does not fit a value of type ${formatType(target)}`);
}
