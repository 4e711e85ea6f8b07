// mse(pred, target) → f32[batch]: per-example mean of (pred - target)² over
// every non-batch axis (for rank 1 the squared error itself). The caller
// averages over the batch. VJP: ±(pred - target) * 2/K * dy[:, None, …].
import type { Dim, TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail } from './common.js';
import { formatType, sameType, staticSize } from '../ir/shapes.js';

export const mse: OpDef = {
  kind: 'mse',
  arity: 2,
  shape(inputs) {
    const [p, t] = inputs as [TensorType, TensorType];
    const both = `${formatType(p)} and ${formatType(t)}`;
    if (p.dtype !== 'f32' || !sameType(p, t)) return fail(`mse: prediction and target must be f32 of one shape, got ${both}`);
    if (p.shape.length === 0) return fail(`mse: expects a batch axis, got ${formatType(p)}`);
    if (staticSize(p.shape.slice(1)) === null) return fail(`mse: non-batch dimensions must be static, got ${formatType(p)}`);
    return { dtype: 'f32', shape: [p.shape[0]!] };
  },
  vjp(b, node, dy) {
    const [p, t] = node.inputs as [number, number];
    const shape = b.type(p).shape;
    const k = staticSize(shape.slice(1))!;
    const perExample: Dim[] = [shape[0]!, ...shape.slice(1).map(() => 1)];
    const dyCol = shape.length > 1 ? b.add('reshape', [dy], { shape: perExample }) : dy;
    const scaled = b.add('mul', [dyCol, b.constant(2 / k)]);
    const dp = b.add('mul', [b.add('sub', [p, t]), scaled]);
    return [dp, b.add('neg', [dp])];
  },
  lower: ([p, t]) => call('rt.meanSquaredError', p!, t!),
};
