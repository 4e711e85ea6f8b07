// The gradient of the batch-mean softmax cross-entropy, 1/N folded in:
//   softmax_cross_entropy_mean_grad(logits f32[B, C], labels i32[B]) → f32[B, C]
//     = (softmax(logits) - onehot(labels)) / B
// Made by the fold-mean pass (src/passes/fold-mean.ts) from
// softmax_cross_entropy_grad(logits, labels, broadcast(inv_count)): one fused
// kernel and one multiply by 1/B, instead of a broadcast, the fused kernel, a
// reshape and a multiply.
// With `stepScaled` (set by the fold-step pass, src/passes/fold-step.ts) it is
// multiplied by the step size too, (softmax − onehot)·(lr/B), in the same one
// multiply: the learning rate of plain SGD folded into the loss gradient.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail } from './common.js';
import { formatType } from '../ir/shapes.js';

export const softmaxCrossEntropyMeanGrad: OpDef = {
  kind: 'softmax_cross_entropy_mean_grad',
  arity: 2,
  shape(inputs) {
    const [logits, labels] = inputs as [TensorType, TensorType];
    if (logits.dtype !== 'f32' || logits.shape.length !== 2) return fail(`softmax_cross_entropy_mean_grad: expects logits f32[batch, classes], got ${formatType(logits)}`);
    if (labels.dtype !== 'i32' || labels.shape.length !== 1 || labels.shape[0] !== logits.shape[0]) {
      return fail(`softmax_cross_entropy_mean_grad: expects class labels i32[${String(logits.shape[0])}], got ${formatType(labels)}`);
    }
    return { dtype: 'f32', shape: logits.shape.slice() };
  },
  vjp: null, // backward-only kernel
  lower: ([logits, labels], node, ctx) =>
    node.attrs['stepScaled'] === true ? call('rt.softmaxCrossEntropyMeanGrad', logits!, labels!, ctx.stepSize) : call('rt.softmaxCrossEntropyMeanGrad', logits!, labels!),
};
