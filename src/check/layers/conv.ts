// Convolution and pooling layers over NHWC images, compositions of the
// conv2d / max_pool / avg_pool / mean primitives:
//   conv2d(x, filters, kernel, stride:, padding:, dilation:, activation:, use_bias:)
//     = activation(conv2d(x, <name>.weight [k, k, Cin, filters]) + <name>.bias)
//   max_pool / avg_pool(x, size: 2, stride: size, padding: valid)
//   global_avg_pool(x) = mean over H and W → [batch, C]
// Rank and channel problems are caught here, before the ops' shape rules, so
// the message can say what the layer expects and how to get there.
import { initSpec, readInit } from '../init.js';
import type { TensorValue } from '../values.js';
import { layerOp, type Layer, type LayerCall } from './layer.js';
import { activationAttrs, type Activation } from './activations.js';

const CONV_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'log_softmax'] as const;
const PADDINGS = ['same', 'valid'] as const;

/** The NHWC image argument `x` (f32[batch, H, W, C] with static H, W, C), or a reported error. */
export function imageArg(c: LayerCall): TensorValue | null {
  const x = c.args.tensor('x');
  if (!x) return null;
  const t = c.ex.type(x);
  const at = c.args.span('x');
  if (t.dtype !== 'f32') {
    c.ex.sink.report('NNC3022', `${c.callee} expects a float image f32[batch, height, width, channels], got ${c.ex.describe(x)}`, at);
    return null;
  }
  if (t.shape.length !== 4 || t.shape[0] !== 'batch') {
    const dims = t.shape.slice(1);
    const hint =
      t.shape.length === 3 && dims.every((d) => typeof d === 'number')
        ? `give the image an explicit channel axis: \`${x.name}_c = reshape(${x.name}, [${dims.join(', ')}, 1])\` (or declare the input as f32[${dims.join(', ')}, 1])`
        : t.shape.length === 2
          ? `${c.callee} works on images; a batch of feature vectors goes to dense(…)`
          : `${c.callee} takes a batch of images f32[batch, height, width, channels] (NHWC)`;
    c.ex.sink.report('NNC3021', `${c.callee} expects a rank-4 input f32[batch, height, width, channels], got ${c.ex.describe(x)}`, at, { hint });
    return null;
  }
  if (t.shape.slice(1).some((d) => typeof d !== 'number')) {
    c.ex.sink.report('NNC3020', `${c.callee} needs known height, width and channels, got ${c.ex.describe(x)}`, at);
    return null;
  }
  return x;
}

/** The spatial size of `x` and a window's extent, to refuse a 'valid' window that does not fit with both shapes named. */
function checkFits(c: LayerCall, x: TensorValue, extent: number, padding: 'same' | 'valid', what: string): boolean {
  if (padding === 'same') return true;
  const [, h, w] = c.ex.type(x).shape as [string, number, number, number];
  if (h >= extent && w >= extent) return true;
  c.ex.sink.report('NNC3020', `${c.callee}: the ${extent}×${extent} ${what} is larger than the ${h}×${w} input with padding: valid, got ${c.ex.describe(x)}`, c.args.span('x'), {
    hint: `the input must be at least ${extent}×${extent}; use padding: same, a smaller ${what}, or fewer pooling steps before this layer`,
  });
  return false;
}

export const conv2d: Layer = {
  modes: ['net'],
  createsParams: true,
  expand(c) {
    const { ex, args } = c;
    const x = imageArg(c);
    const filters = args.number('filters', null, { integer: true, min: 1 });
    const kernel = args.number('kernel', 3, { integer: true, min: 1, hint: 'the side of the square window, e.g. kernel: 3' });
    const stride = args.number('stride', 1, { integer: true, min: 1 });
    const dilation = args.number('dilation', 1, { integer: true, min: 1 });
    const padding = args.symbol('padding', PADDINGS, 'valid');
    const act = args.symbol('activation', CONV_ACTIVATIONS, 'linear');
    const useBias = args.bool('use_bias', true);
    const rawInit = args.raw('init');
    const init = rawInit === undefined ? { kind: 'he_normal' as const } : readInit(rawInit, ex.sink);
    const rawBiasInit = args.raw('bias_init');
    const biasInit = rawBiasInit === undefined ? { kind: 'zeros' as const } : readInit(rawBiasInit, ex.sink);
    if (!x || filters === null || kernel === null || stride === null || dilation === null || padding === null || act === null || useBias === null || !init || !biasInit) return null;
    if (dilation > 1 && stride > 1) {
      ex.sink.report('NNC3017', `conv2d: a dilated convolution needs stride 1 (as in TensorFlow), got stride ${stride} with dilation ${dilation}`, args.span('dilation'), {
        hint: 'use stride: 1 with dilation, and downsample with a pool afterwards',
      });
      return null;
    }
    if (!checkFits(c, x, (kernel - 1) * dilation + 1, padding, dilation > 1 ? 'dilated kernel' : 'kernel')) return null;
    const cin = ex.type(x).shape[3] as number;
    const shape = [kernel, kernel, cin, filters];
    const weight = ex.addParam(`${c.prefix}.weight`, shape, initSpec(init, shape), c.span, c.frame.label);
    if (!weight) return null;
    let y = layerOp(c, 'conv2d', [x, weight], { strides: stride, padding, dilations: dilation });
    if (!y) return null;
    if (useBias) {
      const bias = ex.addParam(`${c.prefix}.bias`, [filters], initSpec(biasInit, [filters]), c.span, c.frame.label);
      if (!bias) return null;
      y = layerOp(c, 'add', [y, bias]);
      if (!y) return null;
    }
    if (act === 'linear') return y;
    return layerOp(c, act, [y], activationAttrs(act as Activation));
  },
};

function pool(kind: 'max_pool' | 'avg_pool'): Layer {
  return {
    modes: ['net'],
    createsParams: false,
    expand(c) {
      const x = imageArg(c);
      const size = c.args.number('size', 2, { integer: true, min: 1 });
      const stride = c.args.number('stride', size, { integer: true, min: 1 });
      const padding = c.args.symbol('padding', PADDINGS, 'valid');
      if (!x || size === null || stride === null || padding === null) return null;
      if (!checkFits(c, x, size, padding, 'window')) return null;
      return layerOp(c, kind, [x], { size, strides: stride, padding });
    },
  };
}

export const maxPool = pool('max_pool');
export const avgPool = pool('avg_pool');

export const globalAvgPool: Layer = {
  modes: ['net'],
  createsParams: false,
  expand(c) {
    const x = imageArg(c);
    return x && layerOp(c, 'mean', [x], { axes: [1, 2], keepDims: false });
  },
};
