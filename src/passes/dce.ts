// Dead-code elimination: keeps what the loss, the gradients and the named
// outputs need, plus every input and parameter (the trainer binds and saves
// those whether or not a pass left them unused).
import type { TrainingGraph, ValueId } from '../ir/types.js';
import { select } from './rebuild.js';

export function liveNodes(g: TrainingGraph): Set<ValueId> {
  const roots: ValueId[] = [g.loss, ...Object.values(g.grads), ...Object.values(g.outputs), ...Object.values(g.updates ?? {}), ...g.inputs.map((i) => i.id), ...g.params.map((p) => p.id)];
  const live = new Set<ValueId>();
  const stack = roots.slice();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (live.has(id)) continue;
    live.add(id);
    for (const i of g.graph.nodes[id]!.inputs) if (!live.has(i)) stack.push(i);
  }
  return live;
}

export function eliminateDeadCode(g: TrainingGraph): TrainingGraph {
  const live = liveNodes(g);
  return live.size === g.graph.nodes.length ? g : select(g, live);
}
