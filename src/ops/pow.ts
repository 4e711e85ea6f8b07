// x^p for a constant exponent `attrs.exponent`: adjoint dy * p * x^(p-1).
// (Negative bases with non-integer p give NaN, as in tfjs.) Common exponents
// lower to the dedicated kernel, which also avoids uploading p each call.
import type { OpDef } from './op.js';
import { call, fail, floatUnary, numAttr } from './common.js';

const DEDICATED: Record<number, string> = { 2: 'tf.square', 0.5: 'tf.sqrt', [-1]: 'tf.reciprocal', [-0.5]: 'tf.rsqrt' };

export const pow: OpDef = {
  kind: 'pow',
  arity: 1,
  shape(inputs, attrs) {
    if (numAttr(attrs, 'exponent') === undefined) return fail("pow: attribute 'exponent' must be a number");
    return floatUnary('pow')(inputs);
  },
  vjp: (b, node, dy) => {
    const p = node.attrs['exponent'] as number;
    const x = node.inputs[0]!;
    if (p === 0) return [null]; // constant 1: zero gradient
    if (p === 1) return [dy];
    const slope = p === 2 ? x : b.add('pow', [x], { exponent: p - 1 });
    return [b.add('mul', [dy, b.add('mul', [slope, b.constant(p)])])];
  },
  lower: ([x], node) => {
    const p = node.attrs['exponent'] as number;
    const fn = DEDICATED[p];
    return fn ? call(fn, x!) : call('tf.pow', x!, String(p));
  },
};
