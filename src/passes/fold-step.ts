// Fold plain SGD's learning rate into the loss gradient. When every gradient
// is a linear function of one source, the loss gradient
// softmax_cross_entropy_mean_grad, scaling that source by the step size scales
// every gradient by it: backward then returns lr·g, and the update
// w ← w − lr·g is one subtraction per parameter, w ← w − g'. The multiply by
// lr joins the source's own multiply by 1/B, so the step runs one kernel per
// parameter fewer (issue 8: "1/N and the learning rate folded into one place").
//
// Linearity is checked on the graph, not assumed. Each backward node on the
// source's paths must be linear in its source-dependent inputs: a sum of them
// (add, sub), a product with exactly one of them (mul, matmul), or an op linear
// in one named input (reshape, a VJP kernel's dy, …). A term that does not
// depend on the source, such as an L2 regulariser's 2λw added to a gradient,
// makes the gradient affine in the source and the fold is refused; so is any
// op not listed. Whether the optimizer allows it (plain SGD, one learning
// rate, no clipping or decay) is the caller's decision (src/pipeline.ts).
import type { TrainingGraph, ValueId } from '../ir/types.js';
import type { OpKind } from '../ops/kinds.js';
import { rebuild } from './rebuild.js';

/** How a node may depend on the source: 'all' inputs (sums), exactly 'one' (products), or only input n. */
type Linearity = 'all' | 'one' | number;

const LINEAR: Partial<Record<OpKind, Linearity>> = {
  add: 'all',
  sub: 'all',
  mul: 'one',
  matmul: 'one',
  div: 0,
  neg: 0,
  reshape: 0,
  transpose: 0,
  broadcast: 0,
  broadcast_like: 0,
  sum: 0,
  mean: 0,
  relu_grad: 0,
  sigmoid_grad: 0,
  tanh_grad: 0,
  max_pool_grad: 0,
  avg_pool_grad: 0,
  conv2d_backprop_input: 0,
  conv2d_backprop_filter: 1,
  unsorted_segment_sum: 0,
};

/** Why `g` cannot carry the step size in its loss gradient, or null when it can. */
export function stepFoldRefusal(g: TrainingGraph): string | null {
  const nodes = g.graph.nodes;
  const sources = nodes.filter((n) => n.op === 'softmax_cross_entropy_mean_grad');
  if (sources.length !== 1) return `${sources.length} softmax_cross_entropy_mean_grad nodes (the fold needs exactly one source)`;
  const source = sources[0]!.id;
  const dependent = new Set<ValueId>([source]);
  for (const n of nodes) {
    if (n.id <= source) continue;
    const hits = n.inputs.filter((i) => dependent.has(i)).length;
    if (hits === 0) continue;
    const rule = LINEAR[n.op];
    const linear =
      rule === 'all' ? hits === n.inputs.length : rule === 'one' ? hits === 1 : rule !== undefined && hits === 1 && dependent.has(n.inputs[rule]!);
    if (!linear) return `%${n.id} = ${n.op} is not linear in the loss gradient`;
    dependent.add(n.id);
  }
  const loose = Object.entries(g.grads).find(([, id]) => !dependent.has(id));
  return loose === undefined ? null : `the gradient of ${loose[0]} does not come from the loss gradient alone`;
}

/** `g` with its loss gradient scaled by the step size (`stepScaled`), or null when that would not scale every gradient. */
export function foldStepSize(g: TrainingGraph): TrainingGraph | null {
  if (stepFoldRefusal(g) !== null) return null;
  const folded = rebuild(g, (n, out) =>
    n.op === 'softmax_cross_entropy_mean_grad' ? out.add(n.op, n.inputs, { ...n.attrs, stepScaled: true }, n.origin) : undefined,
  );
  return { ...folded, stepScaled: true };
}
