// The backward kernels of conv2d (same `strides` / `padding` attributes):
//   conv2d_backprop_input(dy, w; shape = x's shape)  → dL/dx  (a transposed convolution)
//   conv2d_backprop_filter(x, dy; shape = w's shape) → dL/dw
// Backward-only: no second-order rules.
import type { Dim, TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, lit } from './common.js';
import { isDilated, runtimeShape } from './conv_common.js';
import { convWindow } from './conv2d.js';
import { dimsAttr, formatType } from '../ir/shapes.js';

function targetShape(op: string, attrs: Parameters<OpDef['shape']>[1], like: TensorType): Dim[] | { error: string } {
  const shape = dimsAttr(attrs['shape']);
  if (!shape || shape.length !== 4) return fail(`${op}: 'shape' must be a rank-4 shape, got ${lit(attrs['shape'] ?? null)}`);
  if (like.dtype !== 'f32' || like.shape.length !== 4) return fail(`${op}: expects f32 rank-4 operands, got ${formatType(like)}`);
  return shape;
}

export const conv2dBackpropInput: OpDef = {
  kind: 'conv2d_backprop_input',
  arity: 2,
  shape(inputs, attrs) {
    const [dy, w] = inputs as [TensorType, TensorType];
    const shape = targetShape('conv2d_backprop_input', attrs, dy);
    if (!Array.isArray(shape)) return shape;
    if (w.shape[3] !== dy.shape[3] || w.shape[2] !== shape[3]) return fail(`conv2d_backprop_input: channels differ: dy ${formatType(dy)}, filter ${formatType(w)}, input f32[${shape.join(', ')}]`);
    return { dtype: 'f32', shape };
  },
  vjp: null,
  lower([dy, w], node) {
    const win = convWindow(node.attrs);
    // The input's batch size is dy's: symbolic dims are read from dy at run time.
    const shape = runtimeShape(node.type.shape, dy!);
    if (isDilated(win)) return call('rt.conv2dBackpropInput', dy!, w!, shape, lit(win.padding), lit(win.dilations));
    return call('rt.conv2dTranspose', dy!, w!, shape, lit(win.strides), lit(win.padding));
  },
};

export const conv2dBackpropFilter: OpDef = {
  kind: 'conv2d_backprop_filter',
  arity: 2,
  shape(inputs, attrs) {
    const [x, dy] = inputs as [TensorType, TensorType];
    const shape = targetShape('conv2d_backprop_filter', attrs, x);
    if (!Array.isArray(shape)) return shape;
    if (x.shape[3] !== shape[2] || dy.shape[3] !== shape[3]) return fail(`conv2d_backprop_filter: channels differ: x ${formatType(x)}, dy ${formatType(dy)}, filter f32[${shape.join(', ')}]`);
    return { dtype: 'f32', shape };
  },
  vjp: null,
  lower([x, dy], node) {
    const win = convWindow(node.attrs);
    const args = [x!, dy!, lit(node.type.shape as number[]), lit(win.strides), lit(win.padding)];
    return call('rt.conv2dBackpropFilter', ...args, ...(isDilated(win) ? [lit(win.dilations)] : []));
  },
};
