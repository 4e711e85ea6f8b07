// Graphviz DOT of a graph: forward nodes blue, backward nodes orange, leaves
// as ellipses; edges into backward nodes are dashed, so the backward pass
// reads as a second layer on top of the forward one. Deterministic text.
import { formatAttrs, formatType } from './print.js';
import type { ForwardGraph, Node, TrainingGraph } from './types.js';

const LEAVES = new Set(['input', 'param', 'const']);

function quote(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
}

function nodeLabel(n: Node, names: ReadonlyMap<number, string>): string {
  const name = names.get(n.id);
  const head = name !== undefined ? `%${n.id} ${n.op} ${name}` : `%${n.id} ${n.op}`;
  const attrs = n.op === 'input' || n.op === 'param' ? '' : formatAttrs(n.attrs).trim();
  const where = n.origin.span ? `line ${n.origin.span.line}` : '';
  return [head, attrs, formatType(n.type), where].filter((x) => x !== '').join('\n');
}

function nodeStyle(n: Node, roots: ReadonlySet<number>): string {
  const backward = n.origin.phase === 'backward';
  const shape = LEAVES.has(n.op) ? 'ellipse' : 'box';
  const fill = n.op === 'param' ? '#d9f2d9' : backward ? '#fde2c8' : '#dbe8fb';
  const border = roots.has(n.id) ? ', penwidth=2.5' : '';
  return `shape=${shape}, style="filled,rounded", fillcolor="${fill}"${border}`;
}

export function trainingGraphToDot(g: ForwardGraph | TrainingGraph, title = 'graph'): string {
  const names = new Map<number, string>();
  for (const i of g.inputs) names.set(i.id, i.name);
  for (const p of g.params) names.set(p.id, p.name);
  const roots = new Set<number>([g.loss]);
  const grads = 'grads' in g ? g.grads : {};
  for (const [name, id] of Object.entries(grads)) {
    roots.add(id);
    if (!names.has(id)) names.set(id, `d ${name}`);
  }
  if (!names.has(g.loss)) names.set(g.loss, 'loss');

  const out: string[] = [];
  out.push(`digraph ${quote(title)} {`);
  out.push('  rankdir=TB;');
  out.push('  node [fontname="Helvetica", fontsize=10];');
  out.push('  edge [fontname="Helvetica", fontsize=9];');
  for (const n of g.graph.nodes) {
    out.push(`  n${n.id} [label=${quote(nodeLabel(n, names))}, ${nodeStyle(n, roots)}];`);
  }
  for (const n of g.graph.nodes) {
    const backward = n.origin.phase === 'backward';
    n.inputs.forEach((src, k) => {
      const attrs: string[] = [];
      if (backward) attrs.push('style=dashed', 'color="#d2691e"');
      // Operand numbers matter for non-commutative ops (matmul, sub, div).
      if (n.inputs.length > 1) attrs.push(`headlabel="${k}"`);
      out.push(`  n${src} -> n${n.id}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
    });
  }
  out.push('}');
  return out.join('\n') + '\n';
}
