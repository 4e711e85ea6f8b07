// The one renumbering utility every pass uses. A pass walks the old nodes in
// order and, for each, either keeps it (copied with its inputs renamed),
// replaces it by a value already in the new graph, emits new nodes, or drops
// it. `rebuild` then renames every table (inputs, params, loss, outputs,
// grads) and every backward node's `origin.of`, so ids stay equal to indices.
import { GraphBuilder } from '../ir/builder.js';
import type { Attrs, Node, Origin, TrainingGraph, ValueId } from '../ir/types.js';
import type { OpKind } from '../ops/kinds.js';

/** Where a pass writes the new graph. */
export class GraphWriter {
  private readonly builder = new GraphBuilder();

  get nodes(): readonly Node[] {
    return this.builder.nodes;
  }

  node(id: ValueId): Node {
    const n = this.builder.nodes[id];
    if (!n) throw new Error(`internal: no node %${id} in the rebuilt graph`);
    return n;
  }

  /** Appends `n` with the given (new) inputs, keeping its stored type. */
  copy(n: Node, inputs: ValueId[] = n.inputs): ValueId {
    const id = this.builder.nodes.length;
    this.builder.nodes.push({ id, op: n.op, inputs, attrs: n.attrs, type: n.type, origin: n.origin });
    return id;
  }

  /** Appends a new node; its type comes from the op's shape rule (a refusal is a compiler bug). */
  add(op: OpKind, inputs: ValueId[], attrs: Attrs, origin: Origin): ValueId {
    return this.builder.add(op, inputs, attrs, origin);
  }
}

/**
 * What a pass decides for one old node, seen with its inputs already renamed
 * into the new graph: `undefined` keeps (copies) it, a number replaces it by
 * that new value, `'drop'` removes it (nothing may refer to it afterwards).
 */
export type Decision = ValueId | 'drop' | undefined;
export type NodeRewrite = (n: Node, out: GraphWriter) => Decision;

export function rebuild(g: TrainingGraph, decide: NodeRewrite): TrainingGraph {
  const out = new GraphWriter();
  const map = new Map<ValueId, ValueId>();
  const rename = (old: ValueId, what: string): ValueId => {
    const id = map.get(old);
    if (id === undefined) throw new Error(`internal: ${what} refers to %${old}, which a pass removed`);
    return id;
  };

  const forwardOf = forwardOriginResolver(g, map);
  for (const n of g.graph.nodes) {
    // A node reading a dropped node cannot survive; a pass that still needed it
    // shows up below, when a table refers to something missing.
    if (n.inputs.some((i) => !map.has(i))) continue;
    const inputs = n.inputs.map((i) => map.get(i)!);
    const origin = n.origin.of === null ? n.origin : { ...n.origin, of: forwardOf(n.origin.of) };
    const renamed: Node = { ...n, inputs, origin };
    const d = decide(renamed, out);
    if (d === 'drop') continue;
    map.set(n.id, d === undefined ? out.copy(renamed, renamed.inputs) : d);
  }

  const grads: Record<string, ValueId> = {};
  for (const [name, id] of Object.entries(g.grads)) grads[name] = rename(id, `grad ${name}`);
  const outputs: Record<string, ValueId> = {};
  for (const [name, id] of Object.entries(g.outputs)) outputs[name] = rename(id, `output ${name}`);
  const updates: Record<string, ValueId> = {};
  for (const [name, id] of Object.entries(g.updates ?? {})) updates[name] = rename(id, `update of ${name}`);
  return {
    graph: { nodes: out.nodes.slice() },
    inputs: g.inputs.map((i) => ({ ...i, id: rename(i.id, `input ${i.name}`) })),
    params: g.params.map((p) => ({ ...p, id: rename(p.id, `param ${p.name}`) })),
    loss: rename(g.loss, 'the loss'),
    outputs,
    ...(g.updates === undefined ? {} : { updates }),
    grads,
  };
}

/**
 * A backward node's `of` names a forward node by old id; forward nodes come
 * first, so it is already decided when we get here. If a pass replaced that
 * node, the origin follows the replacement; if it dropped it (a transpose
 * folded into a matmul flag), the origin moves to the nearest surviving
 * forward node: one that consumed it (the matmul), else one it read (the
 * transposed weight). The `.nn` span and label stay the node's own.
 */
function forwardOriginResolver(g: TrainingGraph, map: ReadonlyMap<ValueId, ValueId>): (old: ValueId) => ValueId | null {
  let consumers: ValueId[][] | null = null;
  const resolve = (old: ValueId, seen: Set<ValueId>): ValueId | null => {
    const id = map.get(old);
    if (id !== undefined) return id;
    if (seen.has(old)) return null;
    seen.add(old);
    if (consumers === null) {
      consumers = g.graph.nodes.map(() => []);
      for (const n of g.graph.nodes) {
        if (n.origin.phase !== 'forward') continue;
        for (const i of n.inputs) consumers[i]!.push(n.id);
      }
    }
    for (const next of [...(consumers[old] ?? []), ...g.graph.nodes[old]!.inputs]) {
      const r = resolve(next, seen);
      if (r !== null) return r;
    }
    return null;
  };
  return (old) => resolve(old, new Set());
}

/** Keeps exactly the nodes in `keep` (which must be closed under inputs), renumbered. */
export function select(g: TrainingGraph, keep: ReadonlySet<ValueId>): TrainingGraph {
  return rebuild(g, (n) => (keep.has(n.id) ? undefined : 'drop'));
}
