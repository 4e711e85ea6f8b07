// The expansion of every built-in callable the checker supports; their
// parameter lists are in `signatures.ts`. Callables of later issues are
// reported as "not supported yet", never a crash.
import type { Layer } from './layer.js';
import { logSoftmax, relu, sigmoid, softmax, tanh } from './activations.js';
import { avgPool, conv2d, globalAvgPool, maxPool } from './conv.js';
import { batchNorm } from './batch-norm.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { exp, log, mean, pow, sqrt, square, sum, transpose } from './functions.js';
import { binaryCrossEntropy, crossEntropy, l2, mse } from './losses.js';
import { reshape } from './reshape.js';
import { embedding } from './embedding.js';
import { maxPoolTime, meanPool } from './pooling-time.js';
import { lstm } from './lstm.js';

export const LAYERS: Readonly<Record<string, Layer>> = {
  dense,
  conv2d,
  max_pool: maxPool,
  avg_pool: avgPool,
  global_avg_pool: globalAvgPool,
  batch_norm: batchNorm,
  flatten,
  reshape,
  dropout,
  relu,
  sigmoid,
  tanh,
  softmax,
  log_softmax: logSoftmax,
  exp,
  log,
  sqrt,
  square,
  pow,
  mean,
  sum,
  transpose,
  cross_entropy: crossEntropy,
  binary_cross_entropy: binaryCrossEntropy,
  mse,
  l2,
  embedding,
  mean_pool: meanPool,
  max_pool_time: maxPoolTime,
  lstm,
};

/** Callables of later issues: name → the issue that adds them. */
export const LATER: Readonly<Record<string, { issue: number; topic: string }>> = {
  gru: { issue: 6, topic: 'sentiment / text models' },
  abs: { issue: 5, topic: 'a primitive for |x|' },
};
