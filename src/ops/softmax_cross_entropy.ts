// Fused softmax cross-entropy with integer labels:
//   softmax_cross_entropy(logits f32[B, C], labels i32[B]) → f32[B]
//     loss_i = logsumexp(logits_i) - logits_i[label_i]   (stable: no exp overflow)
//   softmax_cross_entropy_grad(logits, labels, dy f32[B]) → f32[B, C]
//     = (softmax(logits) - onehot(labels)) * dy[:, None]
// The loss is per example; the caller averages. Labels get no gradient.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail } from './common.js';
import { formatType } from '../ir/shapes.js';

function checkLogitsLabels(op: string, logits: TensorType, labels: TensorType): string | null {
  if (logits.dtype !== 'f32' || logits.shape.length !== 2) return `${op}: expects logits f32[batch, classes], got ${formatType(logits)}`;
  if (labels.dtype !== 'i32' || labels.shape.length !== 1) return `${op}: expects class labels i32[batch], got ${formatType(labels)}`;
  if (labels.shape[0] !== logits.shape[0]) return `${op}: batch sizes differ: logits ${formatType(logits)}, labels ${formatType(labels)}`;
  return null;
}

export const softmaxCrossEntropy: OpDef = {
  kind: 'softmax_cross_entropy',
  arity: 2,
  shape(inputs) {
    const [logits, labels] = inputs as [TensorType, TensorType];
    const e = checkLogitsLabels('softmax_cross_entropy', logits, labels);
    return e ? fail(e) : { dtype: 'f32', shape: [logits.shape[0]!] };
  },
  vjp: (b, node, dy) => [b.add('softmax_cross_entropy_grad', [node.inputs[0]!, node.inputs[1]!, dy]), null],
  lower: ([logits, labels]) => call('rt.softmaxCrossEntropy', logits!, labels!),
};

export const softmaxCrossEntropyGrad: OpDef = {
  kind: 'softmax_cross_entropy_grad',
  arity: 3,
  shape(inputs) {
    const [logits, labels, dy] = inputs as [TensorType, TensorType, TensorType];
    const e = checkLogitsLabels('softmax_cross_entropy_grad', logits, labels);
    if (e) return fail(e);
    if (dy.dtype !== 'f32' || dy.shape.length !== 1 || dy.shape[0] !== logits.shape[0]) {
      return fail(`softmax_cross_entropy_grad: dy must be f32[${String(logits.shape[0])}], got ${formatType(dy)}`);
    }
    return { dtype: 'f32', shape: logits.shape.slice() };
  },
  vjp: null, // backward-only kernel
  lower: ([logits, labels, dy]) => call('rt.softmaxCrossEntropyGrad', logits!, labels!, dy!),
};
