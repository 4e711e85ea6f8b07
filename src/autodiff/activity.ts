// Activity analysis: a node gets an adjoint only if it depends on a trainable
// parameter through differentiable ops AND the loss depends on it. Everything
// else (inputs, labels, constants, frozen parameters, masks, and whatever is
// computed from them alone) is a constant of the backward pass.
import { OPS } from '../ops/registry.js';
import { zeroGradient } from '../ops/common.js';
import type { ForwardGraph, ValueId } from '../ir/types.js';

/** True when no gradient flows through the op at all (leaves, labels, masks, step). */
export function blocksGradient(op: keyof typeof OPS): boolean {
  const vjp = OPS[op].vjp;
  return vjp === null || vjp === (zeroGradient as unknown);
}

export interface Activity {
  /** Nodes the loss depends on. */
  reachesLoss: boolean[];
  /** Nodes that depend differentiably on a trainable parameter. */
  varies: boolean[];
  /** Both: the nodes that get an adjoint. */
  active: boolean[];
}

export function analyseActivity(fwd: ForwardGraph): Activity {
  const nodes = fwd.graph.nodes;
  const trainable = new Set<ValueId>(fwd.params.filter((p) => p.trainable).map((p) => p.id));

  const varies = nodes.map(() => false);
  for (const n of nodes) {
    if (n.op === 'param') varies[n.id] = trainable.has(n.id);
    else if (n.type.dtype === 'f32' && !blocksGradient(n.op)) varies[n.id] = n.inputs.some((i) => varies[i]);
  }

  const reachesLoss = nodes.map(() => false);
  reachesLoss[fwd.loss] = true;
  for (let id = fwd.loss; id >= 0; id--) {
    if (!reachesLoss[id]) continue;
    for (const i of nodes[id]!.inputs) reachesLoss[i] = true;
  }

  return { reachesLoss, varies, active: nodes.map((_, id) => varies[id]! && reachesLoss[id]!) };
}
