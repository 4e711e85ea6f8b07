// Pooling over NHWC windows (`size`, `strides` default 1, `padding`):
//   max_pool(x) → VJP max_pool_grad(dy, x, y): dy routed to each window's max
//   avg_pool(x) → VJP avg_pool_grad(dy, x):    dy spread evenly over each window
// With 'same' padding, average windows count only the real (unpadded) cells.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { asRank, call, lit } from './common.js';
import { spatialOut, windowAttrs, windowOf, type Window } from './conv_common.js';
import type { OpKind } from './kinds.js';

export function poolWindow(op: string, attrs: Parameters<OpDef['shape']>[1]): Window {
  return windowAttrs(op, attrs, null) as Window;
}

function poolShape(op: string): OpDef['shape'] {
  return (inputs, attrs) => {
    const x = inputs[0] as TensorType;
    const win = windowAttrs(op, attrs, null);
    if ('error' in win) return win;
    const out = spatialOut(op, x, win);
    if ('error' in out) return out;
    return { dtype: 'f32', shape: [x.shape[0]!, out[0], out[1], x.shape[3]!] };
  };
}

function pool(kind: OpKind, fn: string, vjp: OpDef['vjp']): OpDef {
  return {
    kind,
    arity: 1,
    shape: poolShape(kind),
    vjp,
    lower([x], node) {
      const w = poolWindow(kind, node.attrs);
      // rt helpers take any tf.Tensor; tfjs's own pooling is typed by rank
      return call(fn, fn.startsWith('rt.') ? x! : asRank(x!, 4), lit(w.size), lit(w.strides), lit(w.padding));
    },
  };
}

export const maxPool = pool('max_pool', 'rt.maxPool', (b, node, dy) => [b.add('max_pool_grad', [dy, node.inputs[0]!, node.id], windowOf(node.attrs))]);
export const avgPool = pool('avg_pool', 'tf.avgPool', (b, node, dy) => [b.add('avg_pool_grad', [dy, node.inputs[0]!], windowOf(node.attrs))]);
