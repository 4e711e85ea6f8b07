// Structural verifier of the graph IR. Every pass's output must verify; the
// problems come back as strings (a non-empty list is a compiler bug, so the
// CLI reports them as internal errors rather than user diagnostics).
import { OPS } from '../ops/registry.js';
import { isShapeError } from '../ops/op.js';
import { formatType, sameType } from './shapes.js';
import type { ForwardGraph, Graph, TrainingGraph, ValueId } from './types.js';


/** Checks the node list alone: ids, order, arities, types, origins. */
export function verifyGraph(g: Graph): string[] {
  const problems: string[] = [];
  const nodes = g.nodes;
  nodes.forEach((n, index) => {
    const at = `%${index} (${n.op})`;
    if (n.id !== index) problems.push(`${at}: id is %${n.id}, expected its index ${index}`);
    const def = OPS[n.op];
    if (!def) {
      problems.push(`${at}: unknown op`);
      return;
    }
    if (def.arity !== 'variadic' && def.arity !== n.inputs.length) {
      problems.push(`${at}: takes ${def.arity} input(s), has ${n.inputs.length}`);
    }
    let inputsOk = true;
    for (const i of n.inputs) {
      if (!Number.isInteger(i) || i < 0 || i >= nodes.length) {
        problems.push(`${at}: input %${i} does not exist`);
        inputsOk = false;
      } else if (i >= index) {
        problems.push(`${at}: input %${i} is not defined before its use (order is not topological)`);
        inputsOk = false;
      }
    }
    if (inputsOk && (def.arity === 'variadic' || def.arity === n.inputs.length)) {
      const inferred = def.shape(n.inputs.map((i) => nodes[i].type), n.attrs);
      if (isShapeError(inferred)) {
        problems.push(`${at}: shape rule refuses the inputs: ${inferred.error}`);
      } else if (!sameType(inferred, n.type)) {
        problems.push(`${at}: stored type ${formatType(n.type)} but the shape rule gives ${formatType(inferred)}`);
      }
    }
    if (n.origin.phase === 'backward') {
      const of = n.origin.of;
      if (of === null) problems.push(`${at}: backward node has no forward origin`);
      else if (of < 0 || of >= nodes.length) problems.push(`${at}: origin %${of} does not exist`);
      else if (nodes[of].origin.phase !== 'forward') problems.push(`${at}: origin %${of} is not a forward node`);
    }
  });
  return problems;
}

/** The node list plus the tables: every referenced id exists and has the right kind. */
export function verifyForwardGraph(g: ForwardGraph | TrainingGraph): string[] {
  const problems = verifyGraph(g.graph);
  const nodes = g.graph.nodes;
  const exists = (id: ValueId) => Number.isInteger(id) && id >= 0 && id < nodes.length;
  for (const i of g.inputs) {
    const n = exists(i.id) ? nodes[i.id] : undefined;
    if (!n) problems.push(`${i.role} ${i.name}: %${i.id} does not exist`);
    else if (n.op !== 'input') problems.push(`${i.role} ${i.name}: %${i.id} is not an input node (it is ${n.op})`);
    else if (!sameType(n.type, i.type)) problems.push(`${i.role} ${i.name}: type ${formatType(i.type)} differs from its node's ${formatType(n.type)}`);
  }
  const paramNames = new Set<string>();
  for (const p of g.params) {
    if (paramNames.has(p.name)) problems.push(`param ${p.name}: name listed twice`);
    paramNames.add(p.name);
    const n = exists(p.id) ? nodes[p.id] : undefined;
    if (!n) problems.push(`param ${p.name}: %${p.id} does not exist`);
    else if (n.op !== 'param') problems.push(`param ${p.name}: %${p.id} is not a param node (it is ${n.op})`);
    else if (!sameType(n.type, p.type)) problems.push(`param ${p.name}: type ${formatType(p.type)} differs from its node's ${formatType(n.type)}`);
  }
  if (!exists(g.loss)) problems.push(`loss: %${g.loss} does not exist`);
  else if (nodes[g.loss].type.shape.length !== 0) problems.push(`loss: %${g.loss} is not a scalar`);
  for (const [name, id] of Object.entries(g.outputs)) {
    if (!exists(id)) problems.push(`output ${name}: %${id} does not exist`);
  }
  for (const [name, id] of Object.entries(g.updates ?? {})) {
    const p = g.params.find((q) => q.name === name);
    if (!p || !p.state) problems.push(`update ${name}: not a state parameter`);
    else if (!exists(id)) problems.push(`update ${name}: %${id} does not exist`);
    else if (!sameType(nodes[id].type, p.type)) problems.push(`update ${name}: type ${formatType(nodes[id].type)} differs from the parameter's ${formatType(p.type)}`);
  }
  if ('grads' in g) {
    for (const [name, id] of Object.entries(g.grads)) {
      const p = g.params.find((q) => q.name === name);
      if (!p) problems.push(`grad ${name}: no such parameter`);
      else if (!p.trainable) problems.push(`grad ${name}: the parameter is frozen but has a gradient`);
      if (!exists(id)) problems.push(`grad ${name}: %${id} does not exist`);
      else if (p && !sameType(nodes[id].type, p.type)) {
        problems.push(`grad ${name}: type ${formatType(nodes[id].type)} differs from the parameter's ${formatType(p.type)}`);
      }
    }
  }
  return problems;
}
