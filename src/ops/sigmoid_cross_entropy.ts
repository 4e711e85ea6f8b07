// Fused sigmoid cross-entropy, elementwise, with labels y in [0, 1] (f32):
//   sigmoid_cross_entropy(x, y) = max(x, 0) - x*y + log(1 + e^-|x|)   (stable form)
//   sigmoid_cross_entropy_grad(x, y, dy) = (sigmoid(x) - y) * dy
// The labels' own gradient, -x*dy, is given too (soft targets may be computed).
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail } from './common.js';
import { formatType, sameType } from '../ir/shapes.js';

export const sigmoidCrossEntropy: OpDef = {
  kind: 'sigmoid_cross_entropy',
  arity: 2,
  shape(inputs) {
    const [x, y] = inputs as [TensorType, TensorType];
    if (x.dtype !== 'f32' || !sameType(x, y)) {
      return fail(`sigmoid_cross_entropy: logits and labels must be f32 of one shape, got ${formatType(x)} and ${formatType(y)}`);
    }
    return { dtype: 'f32', shape: x.shape.slice() };
  },
  vjp(b, node, dy) {
    const [x, y] = node.inputs as [number, number];
    return [b.add('sigmoid_cross_entropy_grad', [x, y, dy]), b.add('neg', [b.add('mul', [x, dy])])];
  },
  lower: ([x, y]) => call('rt.sigmoidCrossEntropy', x!, y!),
};

export const sigmoidCrossEntropyGrad: OpDef = {
  kind: 'sigmoid_cross_entropy_grad',
  arity: 3,
  shape(inputs) {
    const [x, y, dy] = inputs as [TensorType, TensorType, TensorType];
    if (x.dtype !== 'f32' || !sameType(x, y) || !sameType(x, dy)) {
      return fail(`sigmoid_cross_entropy_grad: expects three f32 tensors of one shape, got ${[x, y, dy].map(formatType).join(', ')}`);
    }
    return { dtype: 'f32', shape: x.shape.slice() };
  },
  vjp: null, // backward-only kernel
  lower: ([x, y, dy]) => call('rt.sigmoidCrossEntropyGrad', x!, y!, dy!),
};
