// Attributes and window arithmetic shared by convolutions and pools (NHWC,
// TensorFlow's conventions): `strides` / `size` / `dilations` as a number or
// [h, w], `padding` 'same' (output = ⌈in/stride⌉) or 'valid' (only full
// windows). A window dilated by d spans (size - 1)·d + 1 cells.
import type { Attrs, Dim, TensorType } from '../ir/types.js';
import { fail, lit } from './common.js';
import type { ShapeError } from './op.js';
import { formatType } from '../ir/shapes.js';

export type Padding = 'same' | 'valid';

export interface Window {
  size: [number, number];
  strides: [number, number];
  padding: Padding;
  dilations: [number, number];
}

export const isDilated = (w: Window) => w.dilations[0] !== 1 || w.dilations[1] !== 1;

export function pairAttr(attrs: Attrs, key: string, fallback: number | null): [number, number] | null {
  const v = attrs[key] ?? fallback;
  const pair = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(pair) || pair.length !== 2) return null;
  const [a, b] = pair;
  return typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b) && a > 0 && b > 0 ? [a, b] : null;
}

/** Reads strides/padding (and `size` for pools; convolutions take it from the filter). */
export function windowAttrs(op: string, attrs: Attrs, size: [number, number] | null): Window | ShapeError {
  const s = size ?? pairAttr(attrs, 'size', null);
  if (!s) return fail(`${op}: 'size' must be a positive integer or a pair, got ${lit(attrs['size'] ?? null)}`);
  const strides = pairAttr(attrs, 'strides', 1);
  if (!strides) return fail(`${op}: 'strides' must be a positive integer or a pair, got ${lit(attrs['strides'] ?? null)}`);
  const padding = attrs['padding'] ?? 'valid';
  if (padding !== 'same' && padding !== 'valid') return fail(`${op}: padding must be 'same' or 'valid', got ${lit(padding)}`);
  const dilations = pairAttr(attrs, 'dilations', 1);
  if (!dilations) return fail(`${op}: 'dilations' must be a positive integer or a pair, got ${lit(attrs['dilations'] ?? null)}`);
  const win: Window = { size: s, strides, padding, dilations };
  if (isDilated(win) && (strides[0] !== 1 || strides[1] !== 1)) {
    return fail(`${op}: a dilated window needs stride 1 (as in tfjs), got strides ${lit(strides)} with dilations ${lit(dilations)}`);
  }
  return win;
}

/** Output size of one spatial axis, or null when a valid window does not fit. */
export function outSize(input: number, k: number, stride: number, padding: Padding): number | null {
  if (padding === 'same') return Math.ceil(input / stride);
  return input >= k ? Math.floor((input - k) / stride) + 1 : null;
}

/** Checks an NHWC input with static H, W, C and returns the output's spatial sizes. */
export function spatialOut(op: string, x: TensorType, w: Window): [number, number] | ShapeError {
  const [, h, wd, c] = x.shape;
  if (x.dtype !== 'f32' || x.shape.length !== 4) return fail(`${op}: expects an f32[batch, height, width, channels] input, got ${formatType(x)}`);
  if (typeof h !== 'number' || typeof wd !== 'number' || typeof c !== 'number') return fail(`${op}: height, width and channels must be static, got ${formatType(x)}`);
  const [eh, ew] = [(w.size[0] - 1) * w.dilations[0] + 1, (w.size[1] - 1) * w.dilations[1] + 1];
  const oh = outSize(h, eh, w.strides[0], w.padding);
  const ow = outSize(wd, ew, w.strides[1], w.padding);
  if (oh === null || ow === null) return fail(`${op}: the ${eh}×${ew} window is larger than the ${h}×${wd} input ${formatType(x)} with 'valid' padding`, "use padding: 'same' or a smaller window");
  return [oh, ow];
}

/** A shape literal whose symbolic dimensions are read from `ref.shape` at run time (same positions). */
export function runtimeShape(shape: readonly Dim[], ref: string): string {
  return `[${shape.map((d, i) => (typeof d === 'number' ? String(d) : `${ref}.shape[${i}]`)).join(', ')}]`;
}

/** The window attributes every conv/pool node of one forward op shares (copied to its backward kernels). */
export function windowOf(attrs: Attrs): Attrs {
  const out: Record<string, Attrs[string]> = {};
  for (const k of ['size', 'strides', 'padding', 'dilations']) if (attrs[k] !== undefined) out[k] = attrs[k]!;
  return out;
}
