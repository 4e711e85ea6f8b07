// Constant folding of scalar-constant subexpressions: a scalar node whose
// inputs are all scalar constants becomes one constant (e.g. the `1e-4 * 2`
// of an l2 penalty's gradient, or 1/N times a scale). Results that are not
// finite are left to run time, where they behave exactly as written.
import type { Node, TrainingGraph } from '../ir/types.js';
import type { OpKind } from '../ops/kinds.js';
import { type Decision, type GraphWriter, rebuild } from './rebuild.js';
import { constValue } from './simplify.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const UNARY: Partial<Record<OpKind, (x: number, n: Node) => number>> = {
  neg: (x) => -x,
  square: (x) => x * x,
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  pow: (x, n) => Math.pow(x, n.attrs['exponent'] as number),
  relu: (x) => Math.max(x, 0),
  sigmoid,
  tanh: Math.tanh,
  step: (x) => (x > 0 ? 1 : 0),
  abs: Math.abs,
  sign: Math.sign,
  cast: (x) => x, // f32 → f32 only: the inputs and the result are checked to be f32
  // On a scalar these change nothing.
  reshape: (x) => x,
  broadcast: (x) => x,
  sum: (x) => x,
  mean: (x) => x,
  transpose: (x) => x,
};

const BINARY: Partial<Record<OpKind, (x: number, y: number) => number>> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

function foldNode(n: Node, out: GraphWriter): Decision {
  if (n.type.shape.length !== 0 || n.type.dtype !== 'f32' || n.inputs.length === 0) return undefined;
  const values = n.inputs.map((i) => (out.node(i).type.dtype === 'f32' ? constValue(out, i) : null));
  if (values.some((v) => v === null)) return undefined;
  const xs = values as number[];
  const unary = UNARY[n.op];
  const binary = BINARY[n.op];
  const value = unary && xs.length === 1 ? unary(xs[0]!, n) : binary && xs.length === 2 ? binary(xs[0]!, xs[1]!) : null;
  if (value === null || !Number.isFinite(value)) return undefined;
  return out.add('const', [], { value }, n.origin);
}

export function foldConstants(g: TrainingGraph): TrainingGraph {
  return rebuild(g, foldNode);
}
