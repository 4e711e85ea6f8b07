// Rank-2 matrix product op(a) @ op(b), where op transposes when the
// `transposeA` / `transposeB` attribute is true. The VJP is again matmuls with
// transpose flags (no explicit transposes). Higher ranks reshape first.
import type { Attrs, TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { boolAttr, call, fail } from './common.js';
import { formatType } from '../ir/shapes.js';

const flags = (ta: boolean, tb: boolean): Attrs => ({ transposeA: ta, transposeB: tb });

export const matmul: OpDef = {
  kind: 'matmul',
  arity: 2,
  shape(inputs, attrs) {
    const [a, b] = inputs as [TensorType, TensorType];
    const ta = boolAttr(attrs, 'transposeA');
    const tb = boolAttr(attrs, 'transposeB');
    const both = `${formatType(a)}${ta ? 'ᵀ' : ''} @ ${formatType(b)}${tb ? 'ᵀ' : ''}`;
    if (a.dtype !== 'f32' || b.dtype !== 'f32') return fail(`matmul: expects f32 operands, got ${both}`);
    if (a.shape.length !== 2 || b.shape.length !== 2) return fail(`matmul: expects rank-2 operands, got ${both}`, 'insert flatten(…) or reshape(…)');
    const [m, ka] = ta ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
    const [kb, n] = tb ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
    if (ka !== kb) return fail(`matmul: inner dimensions differ: ${both}`);
    return { dtype: 'f32', shape: [m, n] };
  },
  vjp(b, node, dy) {
    const [x, w] = node.inputs as [number, number];
    const ta = boolAttr(node.attrs, 'transposeA');
    const tb = boolAttr(node.attrs, 'transposeB');
    // C = op(A) op(B): dA and dB, written so each is one matmul.
    if (!ta && !tb) return [b.add('matmul', [dy, w], flags(false, true)), b.add('matmul', [x, dy], flags(true, false))];
    if (!ta && tb) return [b.add('matmul', [dy, w], flags(false, false)), b.add('matmul', [dy, x], flags(true, false))];
    if (ta && !tb) return [b.add('matmul', [w, dy], flags(false, true)), b.add('matmul', [x, dy], flags(false, false))];
    return [b.add('matmul', [w, dy], flags(true, true)), b.add('matmul', [dy, x], flags(true, true))];
  },
  lower([a, b], node) {
    const ta = boolAttr(node.attrs, 'transposeA');
    const tb = boolAttr(node.attrs, 'transposeB');
    // rt.matMul: tf.matMul, but the MatMul kernel on tfjs-node and no transpose flag on wasm (both slow paths).
    return ta || tb ? call('rt.matMul', a!, b!, String(ta), String(tb)) : call('rt.matMul', a!, b!);
  },
};
