// Broadcasts x to `attrs.shape` (numpy rules). A symbolic target dimension
// must already be x's own (aligned at the right), so the lowering can keep
// x's size there (rt.broadcastTo with -1); to stretch a size-1 axis to a
// symbolic size, use broadcast_like. VJP: dy of the output's shape, which
// autodiff un-broadcasts centrally.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, lit } from './common.js';
import { broadcastsTo, dimsAttr, formatType } from '../ir/shapes.js';

export const broadcast: OpDef = {
  kind: 'broadcast',
  arity: 1,
  shape(inputs, attrs) {
    const x = inputs[0] as TensorType;
    const shape = dimsAttr(attrs['shape']);
    if (!shape) return fail("broadcast: attribute 'shape' must be a list of sizes and symbols");
    const target = `${x.dtype}[${shape.join(', ')}]`;
    if (!broadcastsTo(x.shape, shape)) return fail(`broadcast: ${formatType(x)} does not broadcast to ${target}`);
    const lead = shape.length - x.shape.length;
    const bad = shape.find((d, i) => typeof d === 'string' && x.shape[i - lead] !== d);
    if (bad !== undefined) return fail(`broadcast: cannot stretch ${formatType(x)} to symbolic '${bad}' in ${target}`, 'use broadcast_like');
    return { dtype: x.dtype, shape };
  },
  vjp: (_b, _node, dy) => [dy],
  lower([x], node) {
    // A symbolic size is x's own aligned dimension: -1 tells the helper to keep it.
    const dims = node.type.shape.map((d) => (typeof d === 'number' ? d : -1));
    return call('rt.broadcastTo', x!, lit(dims));
  },
};
