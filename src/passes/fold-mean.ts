// Fold the 1/N of a batch mean into the loss gradient:
//   softmax_cross_entropy_grad(logits, labels, broadcast_like(inv_count(l, [0]), l))
//     → softmax_cross_entropy_mean_grad(logits, labels)
// when l's batch axis is the logits' (same size or same symbol). The mean's
// VJP makes the left side (1/N, a broadcast, then the fused gradient with a
// reshape and a multiply: 4 kernels, 3 uploads on tfjs-node); the right side is
// one fused kernel and one multiply (2 kernels, 1 upload).
import type { Node, TrainingGraph, ValueId } from '../ir/types.js';
import { rebuild, type GraphWriter } from './rebuild.js';

/** The inv_count under a broadcast of it (or the inv_count itself), else null. */
function batchReciprocal(out: GraphWriter, id: ValueId): Node | null {
  let n = out.node(id);
  if (n.op === 'broadcast_like' || n.op === 'broadcast') n = out.node(n.inputs[0]!);
  if (n.op !== 'inv_count') return null;
  const axes = n.attrs['axes'];
  return Array.isArray(axes) && axes.length === 1 && axes[0] === 0 ? n : null;
}

export function foldMean(g: TrainingGraph): TrainingGraph {
  return rebuild(g, (n, out) => {
    if (n.op !== 'softmax_cross_entropy_grad') return undefined;
    const [logits, labels, dy] = n.inputs as [ValueId, ValueId, ValueId];
    const inv = batchReciprocal(out, dy);
    if (inv === null) return undefined;
    const counted = out.node(inv.inputs[0]!).type.shape[0];
    if (counted === undefined || counted !== out.node(logits).type.shape[0]) return undefined;
    return out.add('softmax_cross_entropy_mean_grad', [logits, labels], {}, n.origin);
  });
}
