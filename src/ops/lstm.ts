// The LSTM as four primitives (the loops themselves are in
// src/runtime/kernels-recurrent.ts, readable step by step):
//   lstm_seq(x [B,L,E], kernel [E,4U], recurrent [U,4U], bias [4U], mask [B,L]) → tape [B,L,6U]
//       the forward loop; per step the tape keeps [i, f, g, o, c, h].
//   lstm_bptt(recurrent, mask, tape, dTape) → dz [B,L,4U]
//       the backward loop through time: the adjoint of every step's pre-activations.
//   seq_contract(a [B,L,M], b [B,L,N]) → [M,N]: Σ over batch and time of aᵀb.
//   seq_matmul_t(a [B,L,N], w [M,N]) → [B,L,M]: a·wᵀ at every step.
// lstm_seq's VJP: dz = lstm_bptt(…); dx = seq_matmul_t(dz, kernel);
// dkernel = seq_contract(x, dz); drecurrent = seq_contract(h_prev, dz) with
// h_prev the tape's h block shifted one step later (slice + pad);
// dbias = sum(dz over batch and time). The mask gets no gradient.
import type { TensorType } from '../ir/types.js';
import type { OpDef } from './op.js';
import { call, fail } from './common.js';
import { formatType } from '../ir/shapes.js';

const isSeq = (t: TensorType) => t.dtype === 'f32' && t.shape.length === 3;

export const lstmSeq: OpDef = {
  kind: 'lstm_seq',
  arity: 5,
  shape(inputs) {
    const [x, kernel, recurrent, bias, mask] = inputs as [TensorType, TensorType, TensorType, TensorType, TensorType];
    const all = inputs.map(formatType).join(', ');
    const u = recurrent.shape[0];
    if (!isSeq(x) || typeof x.shape[2] !== 'number') return fail(`lstm_seq: expects a sequence f32[batch, length, features], got ${all}`);
    if (typeof u !== 'number' || recurrent.shape.length !== 2 || recurrent.shape[1] !== 4 * u) return fail(`lstm_seq: recurrent must be [units, 4·units], got ${all}`);
    if (kernel.shape.length !== 2 || kernel.shape[0] !== x.shape[2] || kernel.shape[1] !== 4 * u) return fail(`lstm_seq: kernel must be [features, 4·units], got ${all}`);
    if (bias.shape.length !== 1 || bias.shape[0] !== 4 * u) return fail(`lstm_seq: bias must be [4·units], got ${all}`);
    if (mask.dtype !== 'f32' || mask.shape.length !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) return fail(`lstm_seq: mask must be f32[batch, length], got ${all}`);
    return { dtype: 'f32', shape: [x.shape[0]!, x.shape[1]!, 6 * u] };
  },
  vjp(b, node, dy) {
    const [x, kernel, recurrent, , mask] = node.inputs as [number, number, number, number, number];
    const [batch, length] = node.type.shape as [string | number, number];
    const u = (node.type.shape[2] as number) / 6;
    const dz = b.add('lstm_bptt', [recurrent, mask, node.id, dy]);
    const h = b.add('slice', [node.id], { begin: [0, 0, 5 * u], size: [batch, length, u] });
    const hPrev = length > 1 ? b.add('pad', [b.add('slice', [h], { begin: [0, 0, 0], size: [batch, length - 1, u] })], { paddings: [0, 0, 1, 0, 0, 0] }) : b.add('mul', [h, b.constant(0)]);
    return [
      b.add('seq_matmul_t', [dz, kernel]),
      b.add('seq_contract', [x, dz]),
      b.add('seq_contract', [hPrev, dz]),
      b.add('sum', [dz], { axes: [0, 1], keepDims: false }),
      null,
    ];
  },
  lower: ([x, kernel, recurrent, bias, mask]) => call('rt.lstmForward', x!, kernel!, recurrent!, bias!, mask!),
};

export const lstmBptt: OpDef = {
  kind: 'lstm_bptt',
  arity: 4,
  shape(inputs) {
    const [recurrent, , tape, dTape] = inputs as [TensorType, TensorType, TensorType, TensorType];
    const u = recurrent.shape[0];
    if (!isSeq(tape) || typeof u !== 'number' || tape.shape[2] !== 6 * u || formatType(tape) !== formatType(dTape)) {
      return fail(`lstm_bptt: expects a tape and its adjoint [batch, length, 6·units], got ${inputs.map(formatType).join(', ')}`);
    }
    return { dtype: 'f32', shape: [tape.shape[0]!, tape.shape[1]!, 4 * u] };
  },
  vjp: null,
  lower: ([recurrent, mask, tape, dTape]) => call('rt.lstmBackward', recurrent!, mask!, tape!, dTape!),
};

export const seqContract: OpDef = {
  kind: 'seq_contract',
  arity: 2,
  shape(inputs) {
    const [a, b] = inputs as [TensorType, TensorType];
    if (!isSeq(a) || !isSeq(b) || a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) return fail(`seq_contract: expects two sequences of equal batch and length, got ${formatType(a)}, ${formatType(b)}`);
    return { dtype: 'f32', shape: [a.shape[2]!, b.shape[2]!] };
  },
  vjp: null,
  lower: ([a, b]) => call('rt.seqContract', a!, b!),
};

export const seqMatmulT: OpDef = {
  kind: 'seq_matmul_t',
  arity: 2,
  shape(inputs) {
    const [a, w] = inputs as [TensorType, TensorType];
    if (!isSeq(a) || w.shape.length !== 2 || w.shape[1] !== a.shape[2]) return fail(`seq_matmul_t: expects a [batch, length, N] and w [M, N], got ${formatType(a)}, ${formatType(w)}`);
    return { dtype: 'f32', shape: [a.shape[0]!, a.shape[1]!, w.shape[0]!] };
  },
  vjp: null,
  lower: ([a, w]) => call('rt.seqMatmulT', a!, w!),
};
