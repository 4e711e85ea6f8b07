// `loss = …`: loss functions, net bindings, targets, parameters (`h.weight`),
// numbers and arithmetic, which must come to a scalar f32 (NNC3023).
import type { Setting } from '../syntax/ast.js';
import type { Expander, Frame } from './expander.js';
import { formatType } from './format.js';
import type { Env } from './env.js';
import type { TensorValue } from './values.js';

export function expandLoss(ex: Expander, loss: Setting, scope: Env): TensorValue | null {
  const frame: Frame = { scope, base: '', prefix: '', label: 'loss', anonymous: new Map(), depth: 0, mode: 'loss' };
  const v = ex.evaluate(loss.value, frame);
  if (v === null) return null;
  if (v.kind === 'number') {
    ex.sink.report('NNC3023', `the loss is the constant ${v.value}; it must depend on the net`, loss.value.span, { hint: 'e.g. `loss = cross_entropy(logits, digit)`' });
    return null;
  }
  const t = v.kind === 'tensor' ? v : ex.asTensor(v, 'loss');
  if (!t) return null;
  const type = ex.type(t);
  if (type.shape.length !== 0 || type.dtype !== 'f32') {
    ex.sink.report('NNC3023', `the loss must be a scalar f32, got ${formatType(type)}`, loss.value.span, {
      hint: 'reduce it with a loss function, e.g. cross_entropy(logits, target) or mse(pred, target)',
    });
    return null;
  }
  return t;
}
