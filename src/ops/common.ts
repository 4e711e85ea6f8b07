// Small pieces shared by the op files: attribute readers, the common shape
// rules (elementwise unary and broadcasting binary) and call formatting.
import type { AttrValue, Attrs, DType, Dim, TensorType } from '../ir/types.js';
import { broadcastShapes, dimsAttr, formatType, normalizeAxis } from '../ir/shapes.js';
import type { ShapeError } from './op.js';

export function fail(error: string, hint?: string): ShapeError {
  return hint === undefined ? { error } : { error, hint };
}

export function numAttr(attrs: Attrs, key: string): number | undefined {
  const v = attrs[key];
  return typeof v === 'number' ? v : undefined;
}

export function boolAttr(attrs: Attrs, key: string): boolean {
  return attrs[key] === true;
}

/** The tfjs name of a dtype. */
export function tfDtype(d: DType): string {
  return d === 'f32' ? 'float32' : 'int32';
}

/** Reads `attrs.dtype`/`attrs.shape` of a leaf (input, param). */
export function leafType(op: string, attrs: Attrs): TensorType | ShapeError {
  const dtype = attrs['dtype'] ?? 'f32';
  if (dtype !== 'f32' && dtype !== 'i32') return fail(`${op}: unknown dtype ${String(dtype)}`);
  const shape = dimsAttr(attrs['shape']);
  if (!shape) return fail(`${op}: attribute 'shape' must be a list of sizes and symbols`);
  return { dtype, shape };
}

/** A float elementwise op: output type = input type. */
export function floatUnary(op: string) {
  return (inputs: readonly TensorType[]): TensorType | ShapeError => {
    const x = inputs[0]!;
    if (x.dtype !== 'f32') return fail(`${op}: expects a float tensor, got ${formatType(x)}`);
    return { dtype: 'f32', shape: x.shape.slice() };
  };
}

/** A binary elementwise op with numpy broadcasting; `sym` is used in messages (`f32[2] + f32[3]`). */
export function broadcasting(op: string, sym: string, dtypes: readonly DType[] = ['f32', 'i32']) {
  return (inputs: readonly TensorType[]): TensorType | ShapeError => {
    const [a, b] = inputs as [TensorType, TensorType];
    const both = `${formatType(a)} ${sym} ${formatType(b)}`;
    if (a.dtype !== b.dtype) return fail(`${op}: dtypes differ: ${both}`, 'insert cast(…)');
    if (!dtypes.includes(a.dtype)) return fail(`${op}: expects ${dtypes.join(' or ')} tensors, got ${both}`);
    const shape = broadcastShapes(a.shape, b.shape);
    if (!shape) return fail(`${op}: shapes do not broadcast: ${both}`);
    return { dtype: a.dtype, shape };
  };
}

/**
 * Reads `attrs.axes` (absent or null: every axis) against a rank, normalised,
 * sorted and deduplicated.
 */
export function axesAttr(op: string, attrs: Attrs, t: TensorType): number[] | ShapeError {
  const v = attrs['axes'];
  const rank = t.shape.length;
  if (v === undefined || v === null) return [...Array(rank).keys()];
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list)) return fail(`${op}: attribute 'axes' must be a list of integers`);
  const axes = new Set<number>();
  for (const a of list) {
    const n = typeof a === 'number' ? normalizeAxis(a, rank) : null;
    if (n === null) return fail(`${op}: axis ${String(a)} is out of range for ${formatType(t)}`);
    axes.add(n);
  }
  return [...axes].sort((x, y) => x - y);
}

/** Shape after reducing `axes` (kept as 1 with keepDims). */
export function reducedShape(shape: readonly Dim[], axes: readonly number[], keepDims: boolean): Dim[] {
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/** A JS literal for an attribute value, as it appears in the emitted program. */
export function lit(v: AttrValue): string {
  if (Array.isArray(v)) return `[${v.map((x) => lit(x)).join(', ')}]`;
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}

/** `x as tf.Tensor4D`: the one TypeScript-only form a lowering may use (interpret.ts strips it). */
export function asRank(x: string, rank: number): string {
  return `${x} as tf.Tensor${rank}D`;
}

/** `fn(a, b, …)`. */
export function call(fn: string, ...args: string[]): string {
  return `${fn}(${args.join(', ')})`;
}

/** Reads the leaf attribute of an op that is fed by the caller. */
export function fedByCaller(op: string) {
  return (): string => {
    throw new Error(`internal: ${op} nodes are fed by the caller, not lowered`);
  };
}

/** The VJP of an op whose output does not change with its inputs (a.e.): no contribution. */
export function zeroGradient(_b: unknown, node: { inputs: readonly number[] }): null[] {
  return node.inputs.map(() => null);
}

/** The number of elements along `axes`, or null if one of them is symbolic. */
export function staticCount(shape: readonly Dim[], axes: readonly number[]): number | null {
  let n = 1;
  for (const a of axes) {
    const d = shape[a];
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}
