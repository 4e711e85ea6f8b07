// relu, sigmoid, tanh as calls (one primitive each); softmax and log_softmax
// along `axis` (default the last).
import type { OpKind } from '../../ops/kinds.js';
import type { TensorValue } from '../values.js';
import { layerOp, type Layer, type LayerCall } from './layer.js';

export type Activation = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'log_softmax';

/** The attributes of an activation's op. */
export function activationAttrs(a: Activation, axis = -1): Record<string, number> {
  return a === 'softmax' || a === 'log_softmax' ? { axis } : {};
}

/** The float tensor argument `x`, or a reported dtype error. */
export function floatArg(c: LayerCall, name = 'x'): TensorValue | null {
  const x = c.args.tensor(name);
  if (!x) return null;
  if (c.ex.type(x).dtype !== 'f32') {
    c.ex.sink.report('NNC3022', `${c.callee} expects a float tensor, got ${c.ex.describe(x)}`, c.args.span(name));
    return null;
  }
  return x;
}

function activation(kind: Activation & OpKind): Layer {
  return {
    modes: ['net', 'loss'],
    createsParams: false,
    expand(c) {
      const x = floatArg(c);
      const axis = kind === 'softmax' || kind === 'log_softmax' ? c.args.number('axis', -1, { integer: true }) : -1;
      if (!x || axis === null) return null;
      const rank = c.ex.type(x).shape.length;
      if (axis < -rank || axis >= rank) {
        c.ex.sink.report('NNC3024', `${kind}: axis ${axis} is out of range for ${c.ex.describe(x)}`, c.args.span('axis'));
        return null;
      }
      return layerOp(c, kind, [x], activationAttrs(kind, axis));
    },
  };
}

export const relu = activation('relu');
export const sigmoid = activation('sigmoid');
export const tanh = activation('tanh');
export const softmax = activation('softmax');
export const logSoftmax = activation('log_softmax');
