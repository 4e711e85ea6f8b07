// Appends nodes to a graph, inferring each node's type with its op's shape
// rule. Used by layer expansion (forward) and by autodiff (backward).
import { OPS } from '../ops/registry.js';
import type { OpKind } from '../ops/kinds.js';
import { isShapeError, type ShapeError } from '../ops/op.js';
import type { Attrs, Graph, Node, Origin, TensorType, ValueId } from './types.js';

export class GraphBuilder {
  readonly nodes: Node[];

  constructor(graph?: Graph) {
    this.nodes = graph ? graph.nodes.slice() : [];
  }

  type(id: ValueId): TensorType {
    const n = this.nodes[id];
    if (!n) throw new Error(`internal: no node %${id}`);
    return n.type;
  }

  /** Adds a node, or returns the op's shape error untouched (callers locate it). */
  tryAdd(op: OpKind, inputs: ValueId[], attrs: Attrs, origin: Origin): ValueId | ShapeError {
    const def = OPS[op];
    if (def.arity !== 'variadic' && def.arity !== inputs.length) {
      return { error: `${op} takes ${def.arity} input(s), got ${inputs.length}` };
    }
    const type = def.shape(inputs.map((i) => this.type(i)), attrs);
    if (isShapeError(type)) return type;
    const id = this.nodes.length;
    this.nodes.push({ id, op, inputs, attrs, type, origin });
    return id;
  }

  /** Adds a node whose shapes are known to agree (compiler-made nodes); a shape error here is a compiler bug. */
  add(op: OpKind, inputs: ValueId[], attrs: Attrs, origin: Origin): ValueId {
    const r = this.tryAdd(op, inputs, attrs, origin);
    if (typeof r !== 'number') throw new Error(`internal: ${op}(${inputs.map((i) => '%' + i).join(', ')}): ${r.error}`);
    return r;
  }

  build(): Graph {
    return { nodes: this.nodes.slice() };
  }
}
