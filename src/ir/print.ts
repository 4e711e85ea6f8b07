// A stable, deterministic text form of a graph: one line per node, then the
// tables (inputs, params, loss, outputs, grads). Used by `nnc graph`, by
// golden tests of the passes, and when debugging the compiler.
//
//   %12 = matmul(%3, %7) {transposeB: true} : f32[batch, 10]   # backward of %9 (h, specs/x.nn:8)
import { formatType } from './shapes.js';
import type { AttrValue, Attrs, ForwardGraph, Graph, Node, TrainingGraph } from './types.js';

export { formatType };

export function formatAttrValue(v: AttrValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  return `[${v.map((x) => (typeof x === 'string' ? JSON.stringify(x) : formatNumber(x))).join(', ')}]`;
}

/** Keys sorted, so the text does not depend on the order a pass built the attrs in. */
export function formatAttrs(a: Attrs): string {
  const keys = Object.keys(a).sort();
  if (keys.length === 0) return '';
  return ` {${keys.map((k) => `${k}: ${formatAttrValue(a[k] as AttrValue)}`).join(', ')}}`;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Inf' : '-Inf';
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

function formatOrigin(n: Node): string {
  const o = n.origin;
  const where = o.span ? `${o.span.file}:${o.span.line}` : null;
  if (o.phase === 'backward') {
    const details = [o.label, where].filter((x): x is string => x !== null && x !== '');
    return `backward of ${o.of === null ? '?' : '%' + o.of}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  }
  if (o.label && where) return `${o.label} (${where})`;
  return o.label ?? where ?? '';
}

/** Leaves' dtype and shape attributes are what the type already says. */
function shownAttrs(n: Node): Attrs {
  if (n.op !== 'input' && n.op !== 'param') return n.attrs;
  const { dtype: _dtype, shape: _shape, ...rest } = n.attrs;
  return rest;
}

export function formatNode(n: Node): string {
  const head = `%${n.id} = ${n.op}(${n.inputs.map((i) => '%' + i).join(', ')})${formatAttrs(shownAttrs(n))} : ${formatType(n.type)}`;
  const comment = formatOrigin(n);
  return comment === '' ? head : `${head}   # ${comment}`;
}

export function printGraph(g: Graph): string {
  return g.nodes.map(formatNode).join('\n') + '\n';
}

function isTraining(g: ForwardGraph): g is TrainingGraph {
  return 'grads' in g;
}

/** `# 13 forward + 9 backward nodes; 4 of 4 parameters get a gradient`. */
function summaryLine(g: ForwardGraph | TrainingGraph): string {
  const backward = g.graph.nodes.filter((n) => n.origin.phase === 'backward').length;
  const forward = g.graph.nodes.length - backward;
  const head = `# ${forward} forward + ${backward} backward nodes`;
  if (!isTraining(g)) return head;
  return `${head}; ${Object.keys(g.grads).length} of ${g.params.length} parameters get a gradient`;
}

/** A summary line, the nodes, then the graph's tables; a forward graph prints no `grad` lines. */
export function printTrainingGraph(g: ForwardGraph | TrainingGraph): string {
  const lines = [summaryLine(g), ...g.graph.nodes.map(formatNode)];
  lines.push('');
  for (const i of g.inputs) lines.push(`${i.role} ${i.name} = %${i.id} : ${formatType(i.type)}`);
  for (const p of g.params) {
    const extras = [p.trainable ? 'trainable' : 'frozen'];
    if (p.lrScale !== 1) extras.push(`lr_scale ${formatNumber(p.lrScale)}`);
    if (p.decayScale !== 1) extras.push(`decay_scale ${formatNumber(p.decayScale)}`);
    lines.push(`param ${p.name} = %${p.id} : ${formatType(p.type)} ${p.init.kind} ${extras.join(' ')}`);
  }
  for (const name of Object.keys(g.outputs).sort()) lines.push(`output ${name} = %${g.outputs[name]}`);
  lines.push(`loss = %${g.loss}`);
  if (isTraining(g)) {
    for (const p of g.params) {
      const grad = g.grads[p.name];
      if (grad !== undefined) lines.push(`grad ${p.name} = %${grad}`);
    }
  }
  return lines.join('\n') + '\n';
}
