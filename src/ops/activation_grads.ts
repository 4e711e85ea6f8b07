// Gradient kernels of the activations, computed from the saved OUTPUT y:
//   relu_grad(dy, y)    = dy * [y > 0]
//   sigmoid_grad(dy, y) = dy * y * (1 - y)
//   tanh_grad(dy, y)    = dy * (1 - y²)
// They are backward-only kernels: no second-order rule (vjp: null).
import type { OpDef } from './op.js';
import type { TensorType } from '../ir/types.js';
import { call, fail } from './common.js';
import { formatType, sameType } from '../ir/shapes.js';
import type { OpKind } from './kinds.js';

function gradShape(op: string) {
  return (inputs: readonly TensorType[]) => {
    const [dy, y] = inputs as [TensorType, TensorType];
    if (dy.dtype !== 'f32' || !sameType(dy, y)) return fail(`${op}: dy and y must be f32 of one shape, got ${formatType(dy)} and ${formatType(y)}`);
    return { dtype: 'f32' as const, shape: y.shape.slice() };
  };
}

function gradKernel(kind: OpKind, helper: string): OpDef {
  return { kind, arity: 2, shape: gradShape(kind), vjp: null, lower: ([dy, y]) => call(helper, dy!, y!) };
}

export const reluGrad = gradKernel('relu_grad', 'rt.reluGrad');
export const sigmoidGrad = gradKernel('sigmoid_grad', 'rt.sigmoidGrad');
export const tanhGrad = gradKernel('tanh_grad', 'rt.tanhGrad');
