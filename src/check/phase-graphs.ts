// The forward graph as one phase trains it: the same nodes, with `trainable`
// set to that phase's parameters, so autodiff builds that phase's backward
// (no gradient ops for what the phase freezes). The emitter takes one
// differentiated graph per phase (`phaseGraphs`).
import type { ForwardGraph } from '../ir/types.js';
import type { CheckedModel } from './model.js';
import { withFrozenStatistics } from './layers/batch-norm.js';

export function forwardForPhase(model: CheckedModel, phaseIndex: number): ForwardGraph {
  const phase = model.phases[phaseIndex];
  if (!phase) throw new Error(`internal: model ${model.name} has no phase #${phaseIndex}`);
  const trained = new Set(phase.trainable);
  // A batch_norm whose scale and offset this phase freezes normalises with its running statistics.
  return withFrozenStatistics({ ...model.forward, params: model.forward.params.map((p) => ({ ...p, trainable: trained.has(p.name) })) });
}

/** One forward graph per phase, in order (empty without phases). */
export function phaseForwards(model: CheckedModel): ForwardGraph[] {
  return model.phases.map((_, i) => forwardForPhase(model, i));
}
