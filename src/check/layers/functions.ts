// Elementwise and reducing functions usable in nets, defs and the loss:
// exp, log, sqrt, square, pow(x, p), mean/sum(x, axis), transpose (last two axes).
import type { OpKind } from '../../ops/kinds.js';
import { floatArg } from './activations.js';
import { layerOp, type Layer } from './layer.js';

function elementwise(kind: OpKind): Layer {
  return {
    modes: ['net', 'loss'],
    createsParams: false,
    expand(c) {
      const x = floatArg(c);
      return x && layerOp(c, kind, [x]);
    },
  };
}

export const exp = elementwise('exp');
export const log = elementwise('log');
export const sqrt = elementwise('sqrt');
export const square = elementwise('square');

export const pow: Layer = {
  modes: ['net', 'loss'],
  createsParams: false,
  expand(c) {
    const x = floatArg(c);
    const p = c.args.number('p', null);
    if (!x || p === null) return null;
    return layerOp(c, 'pow', [x], { exponent: p });
  },
};

function reduce(kind: 'mean' | 'sum'): Layer {
  return {
    modes: ['net', 'loss'],
    createsParams: false,
    expand(c) {
      const x = c.args.tensor('x');
      const axis = c.args.number('axis', null, { integer: true });
      if (!x || (axis === null && c.args.has('axis'))) return null;
      const rank = c.ex.type(x).shape.length;
      if (axis !== null && (axis < -rank || axis >= rank)) {
        c.ex.sink.report('NNC3024', `${kind}: axis ${axis} is out of range for ${c.ex.describe(x)}`, c.args.span('axis'));
        return null;
      }
      return layerOp(c, kind, [x], { axes: axis === null ? null : [axis], keepDims: false });
    },
  };
}

export const mean = reduce('mean');
export const sum = reduce('sum');

export const transpose: Layer = {
  modes: ['net', 'loss'],
  createsParams: false,
  expand(c) {
    const x = c.args.tensor('x');
    if (!x) return null;
    const rank = c.ex.type(x).shape.length;
    if (rank < 2) {
      c.ex.sink.report('NNC3021', `transpose swaps the last two axes, but got ${c.ex.describe(x)}`, c.args.span('x'));
      return null;
    }
    const perm = [...Array(rank).keys()];
    perm[rank - 2] = rank - 1;
    perm[rank - 1] = rank - 2;
    return layerOp(c, 'transpose', [x], { perm });
  },
};
