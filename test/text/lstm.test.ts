// The LSTM's loops: rt.lstmForward against an independently written unrolled
// LSTM, and its backward (rt.lstmBackward + the products of lstm_seq's VJP)
// against tf.grads of that unrolled forward and central finite differences,
// with padded steps and an adjoint on every tape channel. Then a whole small
// spec through the compiler's gradcheck.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { compileSource } from '../../src/pipeline.js';
import { lstmBackward, lstmForward, seqContract, seqMatmulT } from '../../src/runtime/kernels-recurrent.js';
import { Rng } from '../../src/runtime/rng.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 3, L = 4, E = 2, U = 3;
// Row 0 is full, row 1 has 2 tokens, row 2 one token: padding at the end.
const MASK = [[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]];

/** The tape [i, f, g, o, c, h] per step, written without the runtime (the textbook LSTM, masked carry). */
function unrolled(x: tf.Tensor, k: tf.Tensor, r: tf.Tensor, b: tf.Tensor, mask: number[][]): tf.Tensor {
  let h: tf.Tensor = tf.zeros([B, U]);
  let c: tf.Tensor = tf.zeros([B, U]);
  const out: tf.Tensor[] = [];
  for (let t = 0; t < L; t++) {
    const xt = tf.squeeze(tf.slice(x, [0, t, 0], [B, 1, E]), [1]);
    const z = tf.add(tf.add(tf.matMul(xt, k as tf.Tensor2D), tf.matMul(h as tf.Tensor2D, r as tf.Tensor2D)), b);
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    const i = tf.sigmoid(zi!), f = tf.sigmoid(zf!), g = tf.tanh(zg!), o = tf.sigmoid(zo!);
    const cn = tf.add(tf.mul(f, c), tf.mul(i, g));
    const hn = tf.mul(o, tf.tanh(cn));
    const m = tf.tensor(mask.map((row) => [row[t]!]));
    c = tf.add(tf.mul(m, cn), tf.mul(tf.sub(1, m), c));
    h = tf.add(tf.mul(m, hn), tf.mul(tf.sub(1, m), h));
    out.push(tf.concat([i, f, g, o, c, h], 1));
  }
  return tf.stack(out, 1);
}

function random(shape: number[], rng: Rng, scale = 0.7): tf.Tensor {
  return tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, scale)), shape);
}

describe('LSTM loops', () => {
  const rng = new Rng(11);
  const x = random([B, L, E], rng);
  const k = random([E, 4 * U], rng);
  const r = random([U, 4 * U], rng);
  const b = random([4 * U], rng, 0.3);
  const w = random([B, L, 6 * U], rng); // adjoint on every channel of the tape
  const mask = tf.tensor(MASK);

  it('the forward loop equals the unrolled textbook LSTM (padded steps carry the state)', () => {
    const ours = lstmForward(x, k, r, b, mask).arraySync() as number[][][];
    const ref = unrolled(x, k, r, b, MASK).arraySync() as number[][][];
    for (let i = 0; i < B; i++) for (let t = 0; t < L; t++) for (let j = 0; j < 6 * U; j++) expect(ours[i]![t]![j]!).toBeCloseTo(ref[i]![t]![j]!, 5);
    // Row 2's state after its only token is carried to the end.
    expect(ours[2]![3]!.slice(5 * U)).toEqual(ours[2]![0]!.slice(5 * U));
  });

  it('backpropagation through time gives tf.grads of the unrolled forward and finite differences', () => {
    const loss = (xx: tf.Tensor, kk: tf.Tensor, rr: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(unrolled(xx, kk, rr, bb, MASK), w));
    const ref = tf.grads(loss)([x, k, r, b]);
    const tape = lstmForward(x, k, r, b, mask);
    const dz = lstmBackward(r, mask, tape, w);
    const h = tf.slice(tape, [0, 0, 5 * U], [B, L, U]);
    const hPrev = tf.pad(tf.slice(h, [0, 0, 0], [B, L - 1, U]), [[0, 0], [1, 0], [0, 0]]);
    const ours = [seqMatmulT(dz, k), seqContract(x, dz), seqContract(hPrev, dz), tf.sum(dz, [0, 1])];
    ['x', 'kernel', 'recurrent', 'bias'].forEach((name, n) => {
      const a = ours[n]!.dataSync();
      const e = ref[n]!.dataSync();
      const scale = Math.max(...Array.from(e, Math.abs));
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - e[i]!) / scale, `${name}[${i}]`).toBeLessThan(1e-4);
    });
    // Finite differences on a few recurrent-weight coordinates (the through-time path).
    const rv = r.dataSync();
    const dr = ours[2]!.dataSync();
    for (const i of [0, 5, 17, 30]) {
      const at = (d: number) => {
        const v = Float32Array.from(rv);
        v[i]! += d;
        return loss(x, k, tf.tensor(v, r.shape), b).dataSync()[0]!;
      };
      const fd = (at(1e-2) - at(-1e-2)) / 2e-2;
      expect(Math.abs(fd - dr[i]!)).toBeLessThan(2e-2 * Math.max(1, Math.abs(dr[i]!)));
    }
  });

  it('a small text LSTM spec passes the compiler gradcheck (raw and optimised graphs)', async () => {
    const text = `model t
input review: text(vocab: 20, length: 5)
target positive: binary
net {
  e = embedding(review, 4)
  h = lstm(e, 3)
  logit = dense(h, 1)
}
loss = binary_cross_entropy(logit, positive)
`;
    const sink = new DiagnosticSink();
    const compiled = compileSource({ file: 'spec.nn', text }, sink);
    expect(sink.items.map((d) => d.message)).toEqual([]);
    for (const tg of [compiled!.raw, compiled!.training]) {
      const rows = await gradcheck(tg, { seed: 2, batch: 3, samples: 6 });
      expect(rows.map((r) => r.param)).toEqual(['e.weight', 'h.kernel', 'h.recurrent', 'h.bias', 'logit.weight', 'logit.bias']);
      for (const row of rows) expect(row.pass, `${row.param}: ${row.relError} / fd ${row.fdRelError}`).toBe(true);
    }
  });
});
