// The one renumbering utility every pass uses. A pass walks the old nodes in
// order and, for each, either keeps it (copied with its inputs renamed),
// replaces it by a value already in the new graph, emits new nodes, or drops
// it. `rebuild` then renames every table (inputs, params, loss, outputs,
// grads) and every backward node's `origin.of`, so ids stay equal to indices.
// Nodes are never mutated, so a kept node whose id, inputs and origin do not
// change is shared, not copied; a pass that changes nothing returns its input
// graph itself (which is how `optimize` sees that a round changed nothing).
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

  /** Appends `n` with the given (new) inputs, keeping its stored type; shares `n` when nothing about it changes. */
  copy(n: Node, inputs: ValueId[] = n.inputs): ValueId {
    const id = this.builder.nodes.length;
    this.builder.nodes.push(id === n.id && inputs === n.inputs ? n : { id, op: n.op, inputs, attrs: n.attrs, type: n.type, origin: n.origin });
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
  const nodes = g.graph.nodes;
  const out = new GraphWriter();
  // Old id → new id (ids are dense, so an array); -1: dropped or not reached yet.
  const map: ValueId[] = new Array<ValueId>(nodes.length).fill(-1);
  // `what` and `name` make the message only on failure: tables are renamed in every pass.
  const rename = (old: ValueId, what: string, name?: string): ValueId => {
    const id = map[old] ?? -1;
    if (id < 0) throw new Error(`internal: ${name === undefined ? what : `${what} ${name}`} refers to %${old}, which a pass removed`);
    return id;
  };

  const forwardOf = forwardOriginResolver(g, map);
  for (const n of nodes) {
    const inputs = renamedInputs(n.inputs, map);
    // A node reading a dropped node cannot survive; a pass that still needed it
    // shows up below, when a table refers to something missing.
    if (inputs === null) continue;
    const of = n.origin.of === null ? null : forwardOf(n.origin.of);
    const origin = of === n.origin.of ? n.origin : { ...n.origin, of };
    const renamed: Node = inputs === n.inputs && origin === n.origin ? n : { ...n, inputs, origin };
    const d = decide(renamed, out);
    if (d === 'drop') continue;
    map[n.id] = d === undefined ? out.copy(renamed, renamed.inputs) : d;
  }

  const newNodes = out.nodes;
  // Every node kept as it was (so every id too): nothing changed.
  if (newNodes.length === nodes.length && newNodes.every((n, i) => n === nodes[i])) return g;
  const grads = renamedTable(g.grads, (name, id) => rename(id, 'grad', name));
  const outputs = renamedTable(g.outputs, (name, id) => rename(id, 'output', name));
  const updates = g.updates === undefined ? undefined : renamedTable(g.updates, (name, id) => rename(id, 'update of', name));
  const inputs = g.inputs.map((i) => ({ ...i, id: rename(i.id, 'input', i.name) }));
  const params = g.params.map((p) => ({ ...p, id: rename(p.id, 'param', p.name) }));
  const loss = rename(g.loss, 'the loss');
  return { graph: { nodes: newNodes.slice() }, inputs, params, loss, outputs, ...(updates === undefined ? {} : { updates }), grads };
}

/** The inputs under `map`: the same array when no id changes, null when one was dropped. */
function renamedInputs(inputs: ValueId[], map: readonly ValueId[]): ValueId[] | null {
  let renamed: ValueId[] | null = null;
  for (let k = 0; k < inputs.length; k++) {
    const id = map[inputs[k]!] ?? -1;
    if (id < 0) return null;
    if (id !== inputs[k] && renamed === null) renamed = inputs.slice(0, k);
    if (renamed !== null) renamed.push(id);
  }
  return renamed ?? inputs;
}

function renamedTable(table: Record<string, ValueId>, rename: (name: string, id: ValueId) => ValueId): Record<string, ValueId> {
  const out: Record<string, ValueId> = {};
  for (const [name, id] of Object.entries(table)) out[name] = rename(name, id);
  return out;
}

/**
 * A backward node's `of` names a forward node by old id; forward nodes come
 * first, so it is already decided when we get here. If a pass replaced that
 * node, the origin follows the replacement; if it dropped it (a transpose
 * folded into a matmul flag), the origin moves to the nearest surviving
 * forward node: one that consumed it (the matmul), else one it read (the
 * transposed weight). The `.nn` span and label stay the node's own.
 */
function forwardOriginResolver(g: TrainingGraph, map: readonly ValueId[]): (old: ValueId) => ValueId | null {
  let consumers: ValueId[][] | null = null;
  const resolve = (old: ValueId, seen: Set<ValueId>): ValueId | null => {
    const id = map[old] ?? -1;
    if (id >= 0) return id;
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
  return (old) => {
    const id = map[old] ?? -1;
    return id >= 0 ? id : resolve(old, new Set());
  };
}

/** Keeps exactly the nodes in `keep` (which must be closed under inputs), renumbered. */
export function select(g: TrainingGraph, keep: ReadonlySet<ValueId>): TrainingGraph {
  return rebuild(g, (n) => (keep.has(n.id) ? undefined : 'drop'));
}
