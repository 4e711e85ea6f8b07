// Backward kernels of the pools (same window attributes as the forward op):
//   max_pool_grad(dy, x, y) and avg_pool_grad(dy, x) → f32 of x's shape.
// Backward-only: no second-order rules.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail, lit } from './common.js';
import { poolWindow } from './pool.js';
import { formatType } from '../ir/shapes.js';

function gradShape(op: string): OpDef['shape'] {
  return (inputs) => {
    const [dy, x] = inputs as [TensorType, TensorType];
    if (dy.shape.length !== 4 || x.shape.length !== 4 || dy.shape[0] !== x.shape[0] || dy.shape[3] !== x.shape[3]) {
      return fail(`${op}: dy ${formatType(dy)} does not match the pooled input ${formatType(x)}`);
    }
    return { dtype: 'f32', shape: x.shape.slice() };
  };
}

export const maxPoolGrad: OpDef = {
  kind: 'max_pool_grad',
  arity: 3,
  shape: gradShape('max_pool_grad'),
  vjp: null,
  lower([dy, x, y], node) {
    const w = poolWindow('max_pool_grad', node.attrs);
    return call('rt.maxPoolGrad', dy!, x!, y!, lit(w.size), lit(w.strides), lit(w.padding));
  },
};

export const avgPoolGrad: OpDef = {
  kind: 'avg_pool_grad',
  arity: 2,
  shape: gradShape('avg_pool_grad'),
  vjp: null,
  lower([dy, x], node) {
    const w = poolWindow('avg_pool_grad', node.attrs);
    return call('rt.avgPoolGrad', dy!, x!, lit(w.size), lit(w.strides), lit(w.padding));
  },
};
