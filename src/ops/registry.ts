// Every primitive's definition, keyed by kind. `satisfies` makes a kind
// without a definition (or a definition under the wrong key) a compile error.
import type { OpKind } from './kinds.js';
import type { OpDef } from './op.js';
import { input } from './input.js';
import { param } from './param.js';
import { constant } from './const.js';
import { add } from './add.js';
import { sub } from './sub.js';
import { mul } from './mul.js';
import { div } from './div.js';
import { neg } from './neg.js';
import { square } from './square.js';
import { sqrt } from './sqrt.js';
import { exp } from './exp.js';
import { log } from './log.js';
import { pow } from './pow.js';
import { relu } from './relu.js';
import { sigmoid } from './sigmoid.js';
import { tanh } from './tanh.js';
import { step } from './step.js';
import { reluGrad, sigmoidGrad, tanhGrad } from './activation_grads.js';
import { matmul } from './matmul.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';
import { broadcast } from './broadcast.js';
import { broadcastLike } from './broadcast_like.js';
import { sum } from './sum.js';
import { mean } from './mean.js';
import { invCount } from './inv_count.js';
import { softmax } from './softmax.js';
import { logSoftmax } from './log_softmax.js';
import { dropoutMask } from './dropout_mask.js';
import { trainingSelect } from './training_select.js';
import { softmaxCrossEntropy, softmaxCrossEntropyGrad } from './softmax_cross_entropy.js';
import { softmaxCrossEntropyMeanGrad } from './softmax_cross_entropy_mean_grad.js';
import { sigmoidCrossEntropy, sigmoidCrossEntropyGrad } from './sigmoid_cross_entropy.js';
import { mse } from './mse.js';
import { l2 } from './l2.js';
import { oneHot } from './one_hot.js';
import { abs } from './abs.js';
import { sign } from './sign.js';
import { cast } from './cast.js';
import { argmax } from './argmax.js';
import { gather } from './gather.js';
import { lstmBptt, lstmSeq, seqContract, seqMatmulT } from './lstm.js';
import { slice } from './slice.js';
import { pad } from './pad.js';
import { concat } from './concat.js';
import { max, maxGrad } from './max.js';
import { conv2d } from './conv2d.js';
import { conv2dBackpropFilter, conv2dBackpropInput } from './conv2d_backprop.js';
import { avgPool, maxPool } from './pool.js';
import { avgPoolGrad, maxPoolGrad } from './pool_grads.js';
import { unsortedSegmentSum } from './unsorted_segment_sum.js';

export const OPS = {
  input,
  param,
  const: constant,
  add,
  sub,
  mul,
  div,
  neg,
  square,
  sqrt,
  exp,
  log,
  pow,
  relu,
  sigmoid,
  tanh,
  step,
  abs,
  sign,
  cast,
  relu_grad: reluGrad,
  sigmoid_grad: sigmoidGrad,
  tanh_grad: tanhGrad,
  matmul,
  reshape,
  transpose,
  broadcast,
  broadcast_like: broadcastLike,
  slice,
  pad,
  concat,
  sum,
  mean,
  inv_count: invCount,
  max,
  max_grad: maxGrad,
  argmax,
  conv2d,
  conv2d_backprop_input: conv2dBackpropInput,
  conv2d_backprop_filter: conv2dBackpropFilter,
  max_pool: maxPool,
  max_pool_grad: maxPoolGrad,
  avg_pool: avgPool,
  avg_pool_grad: avgPoolGrad,
  gather,
  unsorted_segment_sum: unsortedSegmentSum,
  lstm_seq: lstmSeq,
  lstm_bptt: lstmBptt,
  seq_contract: seqContract,
  seq_matmul_t: seqMatmulT,
  softmax,
  log_softmax: logSoftmax,
  dropout_mask: dropoutMask,
  training_select: trainingSelect,
  softmax_cross_entropy: softmaxCrossEntropy,
  softmax_cross_entropy_grad: softmaxCrossEntropyGrad,
  softmax_cross_entropy_mean_grad: softmaxCrossEntropyMeanGrad,
  sigmoid_cross_entropy: sigmoidCrossEntropy,
  sigmoid_cross_entropy_grad: sigmoidCrossEntropyGrad,
  mse,
  l2,
  one_hot: oneHot,
} satisfies Record<OpKind, OpDef>;

/** The definition of a kind (typed as the general OpDef). */
export function opDef(kind: OpKind): OpDef {
  return OPS[kind];
}
