// Symbolic reverse-mode differentiation: the forward graph in, the same graph
// with the backward nodes appended out. The sweep runs from the scalar loss
// (seeded with the constant 1) down the active nodes only; each active node's
// adjoint is the sum of its consumers' contributions (fan-in), each brought
// to the node's shape first (un-broadcasting), both done here, once.
import { GraphBuilder } from '../ir/builder.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { Attrs, ForwardGraph, Node, Origin, TrainingGraph, ValueId } from '../ir/types.js';
import type { OpKind } from '../ops/kinds.js';
import type { VjpBuilder } from '../ops/op.js';
import { OPS } from '../ops/registry.js';
import { select } from '../passes/rebuild.js';
import { analyseActivity } from './activity.js';
import { fitToType } from './unbroadcast.js';

/** Backward nodes made on behalf of forward node `n` keep its span and label. */
export function backwardOrigin(n: Node): Origin {
  return { phase: 'backward', span: n.origin.span, of: n.id, label: n.origin.label };
}

/** A VjpBuilder over a GraphBuilder; `origin` is switched per forward node. */
class Backward implements VjpBuilder {
  origin: Origin;

  constructor(
    readonly graph: GraphBuilder,
    first: Origin,
  ) {
    this.origin = first;
  }

  add(op: OpKind, inputs: ValueId[], attrs: Attrs = {}): ValueId {
    return this.graph.add(op, inputs, attrs, this.origin);
  }

  constant(value: number): ValueId {
    return this.graph.add('const', [], { value }, this.origin);
  }

  type(id: ValueId) {
    return this.graph.type(id);
  }
}

export function differentiate(fwd: ForwardGraph, sink: DiagnosticSink): TrainingGraph {
  const nodes = fwd.graph.nodes;
  const lossNode = nodes[fwd.loss]!;
  const { active, reachesLoss } = analyseActivity(fwd);
  const trainable = fwd.params.filter((p) => p.trainable);

  if (lossNode.type.shape.length !== 0) {
    throw new Error(`internal: the loss %${fwd.loss} is not a scalar; the checker should have refused it (NNC3023)`);
  }
  if (!trainable.some((p) => active[p.id])) {
    const why = trainable.length === 0 ? 'every parameter is frozen' : 'no trainable parameter reaches it through differentiable ops';
    sink.report('NNC4001', `the loss does not depend on any trainable parameter (${why}), so there is nothing to train`, lossNode.origin.span, {
      hint: trainable.length === 0 ? 'unfreeze a layer, or remove the `freeze` statement' : 'check that the loss is computed from the net’s output',
    });
    return { ...fwd, grads: {} };
  }

  const graph = new GraphBuilder(fwd.graph);
  const b = new Backward(graph, backwardOrigin(lossNode));
  const contributions = new Map<ValueId, ValueId[]>();
  const contribute = (id: ValueId, c: ValueId) => {
    const list = contributions.get(id);
    if (list) list.push(c);
    else contributions.set(id, [c]);
  };

  contribute(fwd.loss, b.constant(1));
  const adjoint = new Map<ValueId, ValueId>();

  for (let id = fwd.loss; id >= 0; id--) {
    const list = contributions.get(id);
    if (!active[id] || !list) continue;
    const n = nodes[id]!;
    b.origin = backwardOrigin(n);
    const dy = list.reduce((acc, c) => b.add('add', [acc, c]));
    adjoint.set(id, dy);
    if (n.op === 'param') continue;

    const rule = OPS[n.op].vjp;
    if (!rule) continue; // not active: activity analysis treats these as constants
    const parts = rule(b, n, dy);
    n.inputs.forEach((input, k) => {
      const c = parts[k];
      if (c === null || c === undefined || !active[input]) return;
      contribute(input, fitToType(b, c, nodes[input]!.type, input));
    });
  }

  const grads: Record<string, ValueId> = {};
  for (const p of fwd.params) {
    if (!p.trainable) continue;
    const g = adjoint.get(p.id);
    if (g !== undefined) {
      grads[p.name] = g;
      continue;
    }
    const why = reachesLoss[p.id]
      ? 'the loss depends on it only through operations without a gradient'
      : 'the loss does not depend on it';
    sink.report('NNC4002', `parameter \`${p.name}\` gets no gradient: ${why}; it is left out of the update (no zero gradient is emitted)`, p.span, {
      hint: 'freeze it, or use it on the path to the loss',
    });
  }

  // VJP rules build the adjoint of every input; keep only the backward nodes a
  // gradient needs, so inactive inputs (data, frozen parameters) cost nothing.
  const trained: TrainingGraph = { ...fwd, graph: graph.build(), grads };
  return select(trained, neededNodes(trained, nodes.length));
}

/** All forward nodes, plus the backward nodes the gradients depend on. */
function neededNodes(tg: TrainingGraph, forwardCount: number): Set<ValueId> {
  const keep = new Set<ValueId>();
  for (let id = 0; id < forwardCount; id++) keep.add(id);
  const stack = Object.values(tg.grads).filter((id) => id >= forwardCount);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    for (const i of tg.graph.nodes[id]!.inputs) if (!keep.has(i)) stack.push(i);
  }
  return keep;
}
