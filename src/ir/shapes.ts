// Helpers over symbolic shapes, shared by the shape rules, autodiff and the
// emitter. A dimension is a size or a symbol (`batch`); two dimensions agree
// only when they are the same size or the same symbol.
import type { Dim, DType, TensorType } from './types.js';

/** `f32[batch, 784]`, `i32[batch]`, `f32[]` for a scalar: the form every shape message uses. */
export function formatType(t: TensorType): string {
  return `${t.dtype}[${t.shape.join(', ')}]`;
}

export function tensorType(dtype: DType, shape: readonly Dim[]): TensorType {
  return { dtype, shape: shape.slice() };
}

export function sameShape(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function sameType(a: TensorType, b: TensorType): boolean {
  return a.dtype === b.dtype && sameShape(a.shape, b.shape);
}

/**
 * Numpy broadcasting of two symbolic shapes (align at the right; a size-1
 * dimension stretches). A symbol only agrees with itself or with 1, since its
 * size is unknown until run time. Returns null when they do not broadcast.
 */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): Dim[] | null {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else return null;
  }
  return out;
}

/** True when `from` broadcasts to exactly `to` (the direction autodiff un-broadcasts). */
export function broadcastsTo(from: readonly Dim[], to: readonly Dim[]): boolean {
  const r = broadcastShapes(from, to);
  return r !== null && sameShape(r, to);
}

/**
 * The axes of `to` that a value of shape `from` was stretched along when
 * broadcast to `to`: the leading extra axes, and the axes where `from` has 1.
 * Summing over them (keepDims) and reshaping to `from` undoes the broadcast.
 */
export function broadcastAxes(from: readonly Dim[], to: readonly Dim[]): number[] {
  const lead = to.length - from.length;
  const axes: number[] = [];
  for (let i = 0; i < to.length; i++) {
    if (i < lead || (from[i - lead] === 1 && to[i] !== 1)) axes.push(i);
  }
  return axes;
}

/** Resolves a possibly negative axis; null if out of range. */
export function normalizeAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? axis + rank : axis;
  return Number.isInteger(a) && a >= 0 && a < rank ? a : null;
}

/** The product of the static sizes, or null if any dimension is symbolic. */
export function staticSize(shape: readonly Dim[]): number | null {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}

/** Replaces symbols by sizes, e.g. `{batch: 3}`; throws on an unbound symbol. */
export function instantiate(shape: readonly Dim[], sizes: Readonly<Record<string, number>>): number[] {
  return shape.map((d) => {
    if (typeof d === 'number') return d;
    const n = sizes[d];
    if (n === undefined) throw new Error(`no size for symbolic dimension '${d}'`);
    return n;
  });
}

/** Reads a dims-valued attribute (numbers and symbols), or null if absent/ill-typed. */
export function dimsAttr(v: unknown): Dim[] | null {
  if (!Array.isArray(v)) return null;
  return v.every((d) => typeof d === 'string' || (typeof d === 'number' && Number.isInteger(d) && d >= 0))
    ? (v as Dim[]).slice()
    : null;
}
