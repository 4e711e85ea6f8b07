// The mask of inverted dropout, as a forward value: f32 of x's shape holding
// 0 (probability `attrs.rate`) or 1/(1-rate), drawn from the trainer's seeded
// generator while training, all ones otherwise. Forward dropout is
// mul(x, mask); the backward reuses the same mask through mul's VJP. The mask
// does not depend on x's values, so its own gradient is zero.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, numAttr, zeroGradient } from './common.js';
import { formatType } from '../ir/shapes.js';

export const dropoutMask: OpDef = {
  kind: 'dropout_mask',
  arity: 1,
  shape(inputs, attrs) {
    const x = inputs[0] as TensorType;
    const rate = numAttr(attrs, 'rate');
    if (rate === undefined || !(rate >= 0 && rate < 1)) return fail(`dropout: rate must be in [0, 1), got ${String(attrs['rate'])}`);
    if (x.dtype !== 'f32') return fail(`dropout: expects a float tensor, got ${formatType(x)}`);
    return { dtype: 'f32', shape: x.shape.slice() };
  },
  vjp: zeroGradient,
  lower: ([x], node, ctx) => call('rt.dropoutMask', x!, String(node.attrs['rate']), ctx.training, ctx.rng),
};
