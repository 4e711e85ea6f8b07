// 2-D convolution, NHWC: conv2d(x f32[batch, H, W, Cin], w f32[kh, kw, Cin, Cout];
// strides, padding, dilations) → f32[batch, Ho, Wo, Cout] (cross-correlation,
// as in TensorFlow). VJP: the backward kernels conv2d_backprop_input (to x)
// and conv2d_backprop_filter (to w). tfjs has no gradient kernels for dilated
// convolutions; the runtime computes them with the dilated filter (zeros
// between taps), which is the same convolution.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { asRank, call, fail, lit } from './common.js';
import { isDilated, spatialOut, windowAttrs, windowOf, type Window } from './conv_common.js';
import { formatType } from '../ir/shapes.js';

export const conv2d: OpDef = {
  kind: 'conv2d',
  arity: 2,
  shape(inputs, attrs) {
    const [x, w] = inputs as [TensorType, TensorType];
    const both = `${formatType(x)} with filter ${formatType(w)}`;
    if (w.dtype !== 'f32' || w.shape.length !== 4 || !w.shape.every((d) => typeof d === 'number')) {
      return fail(`conv2d: expects a static filter f32[kh, kw, in, out], got ${formatType(w)}`);
    }
    const [kh, kw, cin, cout] = w.shape as number[];
    const win = windowAttrs('conv2d', attrs, [kh!, kw!]);
    if ('error' in win) return win;
    const out = spatialOut('conv2d', x, win);
    if ('error' in out) return out;
    if (x.shape[3] !== cin) return fail(`conv2d: channels differ: ${both} (input has ${String(x.shape[3])}, filter expects ${cin})`);
    return { dtype: 'f32', shape: [x.shape[0]!, out[0], out[1], cout!] };
  },
  vjp(b, node, dy) {
    const [x, w] = node.inputs as [number, number];
    const win = windowOf(node.attrs);
    return [
      b.add('conv2d_backprop_input', [dy, w], { ...win, shape: b.type(x).shape }),
      b.add('conv2d_backprop_filter', [x, dy], { ...win, shape: b.type(w).shape }),
    ];
  },
  lower([x, w], node) {
    const win = convWindow(node.attrs);
    const args = [asRank(x!, 4), asRank(w!, 4), lit(win.strides), lit(win.padding)];
    return call('tf.conv2d', ...args, ...(isDilated(win) ? ["'NHWC'", lit(win.dilations)] : []));
  },
};

/** Strides and padding of a conv node (the size comes from its filter). */
export function convWindow(attrs: Parameters<typeof windowAttrs>[1]): Window {
  return windowAttrs('conv2d', attrs, [1, 1]) as Window;
}
