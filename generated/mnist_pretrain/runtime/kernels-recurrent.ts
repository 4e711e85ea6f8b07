// The LSTM's two loops, forward and backward through time, written out step
// by step with public tfjs ops, plus the two time-distributed products its
// gradient needs. The compiler's `lstm_seq` / `lstm_bptt` ops lower to these
// calls (src/ops/lstm.ts); everything else of the LSTM's gradient is ordinary
// graph ops. Gate order i, f, g, o (as Keras); tape layout per time step:
// [i, f, g, o, c, h], each `units` wide, after the padding mask is applied
// to c and h (a padded step carries the previous state through).
import * as tf from '@tensorflow/tfjs-core';
import { matMulFastPath } from './kernels-support.js';

/** Column block k (of width u) of a [rows, n·u] matrix. */
function block(m: tf.Tensor2D, k: number, u: number): tf.Tensor2D {
  return tf.slice(m, [0, k * u], [-1, u]);
}

/** Time step t of a [B, L, n] sequence, as [B, n]. */
function at(seq: tf.Tensor, t: number): tf.Tensor2D {
  const [b, , n] = seq.shape as [number, number, number];
  return tf.reshape(tf.slice(seq, [0, t, 0], [b, 1, n]), [b, n]);
}

/**
 * Forward loop. x [B, L, E], kernel [E, 4U], recurrent [U, 4U], bias [4U],
 * mask [B, L] (1 = token, 0 = padding) → tape [B, L, 6U]. For each step:
 * z = x_t·kernel + h·recurrent + bias; i, f, o = σ(z…), g = tanh(z…);
 * c' = f·c + i·g; h' = o·tanh(c'); c, h = m·(c', h') + (1 − m)·(c, h).
 * The tape keeps everything the backward loop reads.
 */
export function lstmForward(x: tf.Tensor, kernel: tf.Tensor, recurrent: tf.Tensor, bias: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [b, steps, e] = x.shape as [number, number, number];
    const u = recurrent.shape[0]!;
    // The input projection of every step at once: one matmul.
    const xw = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [b * steps, e]), kernel as tf.Tensor2D), bias), [b, steps, 4 * u]);
    let h: tf.Tensor2D = tf.zeros([b, u]);
    let c: tf.Tensor2D = tf.zeros([b, u]);
    const tape: tf.Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      const z = tf.add(at(xw, t), tf.matMul(h, recurrent as tf.Tensor2D)) as tf.Tensor2D;
      const i = tf.sigmoid(block(z, 0, u));
      const f = tf.sigmoid(block(z, 1, u));
      const g = tf.tanh(block(z, 2, u));
      const o = tf.sigmoid(block(z, 3, u));
      const cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
      const hNew = tf.mul(o, tf.tanh(cNew));
      const m = tf.reshape(at(tf.expandDims(mask, 2), t), [b, 1]);
      const keep = tf.sub(1, m);
      c = tf.add(tf.mul(m, cNew), tf.mul(keep, c)) as tf.Tensor2D;
      h = tf.add(tf.mul(m, hNew), tf.mul(keep, h)) as tf.Tensor2D;
      tape.push(tf.concat([i, f, g, o, c, h], 1));
    }
    return tf.stack(tape, 1);
  });
}

/**
 * Backward loop (backpropagation through time), from the last step to the
 * first. Given the tape and its adjoint dTape [B, L, 6U] (usually non-zero
 * only in the h block), returns dz [B, L, 4U], the adjoint of each step's
 * pre-activations z; the parameter and input gradients are products of dz
 * (see `seqContract`, `seqMatmulT`). dh and dc flow back through time: through
 * the gates of a real step, straight through a padded one.
 */
export function lstmBackward(recurrent: tf.Tensor, mask: tf.Tensor, tape: tf.Tensor, dTape: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [b, steps] = tape.shape as [number, number, number];
    const u = recurrent.shape[0]!;
    let dh: tf.Tensor2D = tf.zeros([b, u]);
    let dc: tf.Tensor2D = tf.zeros([b, u]);
    const dzs: tf.Tensor2D[] = new Array(steps);
    for (let t = steps - 1; t >= 0; t--) {
      const row = at(tape, t);
      const [i, f, g, o, c] = [0, 1, 2, 3, 4].map((k) => block(row, k, u)) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const cPrev = t > 0 ? block(at(tape, t - 1), 4, u) : tf.zerosLike(c);
      const dRow = at(dTape, t);
      const [di0, df0, dg0, do0, dc0, dh0] = [0, 1, 2, 3, 4, 5].map((k) => block(dRow, k, u));
      dh = tf.add(dh, dh0!) as tf.Tensor2D;
      dc = tf.add(dc, dc0!) as tf.Tensor2D;
      const m = tf.reshape(at(tf.expandDims(mask, 2), t), [b, 1]);
      const keep = tf.sub(1, m);
      // On a real step c is c'; on a padded one the new-state adjoints are zero anyway.
      const tc = tf.tanh(c);
      const dhNew = tf.mul(m, dh);
      const dcNew = tf.add(tf.mul(m, dc), tf.mul(tf.mul(dhNew, o), tf.sub(1, tf.square(tc))));
      const dO = tf.add(tf.mul(dhNew, tc), do0!);
      const dI = tf.add(tf.mul(dcNew, g), di0!);
      const dG = tf.add(tf.mul(dcNew, i), dg0!);
      const dF = tf.add(tf.mul(dcNew, cPrev), df0!);
      const dz = tf.concat(
        [tf.mul(dI, tf.mul(i, tf.sub(1, i))), tf.mul(dF, tf.mul(f, tf.sub(1, f))), tf.mul(dG, tf.sub(1, tf.square(g))), tf.mul(dO, tf.mul(o, tf.sub(1, o)))],
        1,
      ) as tf.Tensor2D;
      dzs[t] = dz;
      dc = tf.add(tf.mul(dcNew, f), tf.mul(keep, dc)) as tf.Tensor2D;
      dh = tf.add(matMulFastPath(dz, recurrent, false, true), tf.mul(keep, dh)) as tf.Tensor2D;
    }
    return tf.stack(dzs, 1);
  });
}

/** Σ over batch and time of aᵀ·b: a [B, L, M], b [B, L, N] → [M, N] (a weight gradient). */
export function seqContract(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const m = a.shape[2]!;
    const n = b.shape[2]!;
    return matMulFastPath(tf.reshape(a, [-1, m]), tf.reshape(b, [-1, n]), true, false);
  });
}

/** a·wᵀ at every step: a [B, L, N], w [M, N] → [B, L, M] (an input gradient). */
export function seqMatmulT(a: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [b, steps, n] = a.shape as [number, number, number];
    return tf.reshape(matMulFastPath(tf.reshape(a, [b * steps, n]), w, false, true), [b, steps, w.shape[0]!]);
  });
}
