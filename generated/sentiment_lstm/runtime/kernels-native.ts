// Raw TensorFlow kernels, reached through the tfjs-node backend when it is the
// active one: single kernels for what the public tfjs API spells with several
// (ReluGrad, SigmoidGrad, TanhGrad, SparseSoftmaxCrossEntropyWithLogits), or
// a faster kernel than the one tfjs picks (MatMul: tfjs-node's tf.matMul runs
// BatchMatMulV2, measured 3–4× slower on rank-2 operands, most with a transpose flag).
// Found by duck typing, so this file needs no import of tfjs-node (an optional
// dependency); on other backends `nativeBackend()` is null and callers use the
// portable path. Results agree with the portable helpers within float32
// round-off (tested), except that an out-of-range class label is an error here.
import * as tf from '@tensorflow/tfjs-core';

export interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

export interface NativeBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_BOOL: number; TF_ATTR_STRING: number; TF_ATTR_SHAPE: number; TF_FLOAT: number; TF_INT32: number };
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.Tensor[], outputs: number): tf.Tensor[];
}

/** The tfjs-node backend if it is active, else null. */
export function nativeBackend(): NativeBackend | null {
  const b = tf.backend() as unknown as Partial<NativeBackend>;
  return typeof b.executeSingleOutput === 'function' && typeof b.executeMultipleOutputs === 'function' && b.binding ? (b as NativeBackend) : null;
}

export const float = (nb: NativeBackend): OpAttr => ({ name: 'T', type: nb.binding.TF_ATTR_TYPE, value: nb.binding.TF_FLOAT });

/** The four MatMul attribute lists (by transpose flags), built once per binding. */
const matMulAttrs = new WeakMap<object, OpAttr[][]>();

/** MatMul(a, b) with transpose flags: rank-2 operands only. */
export function matMul(nb: NativeBackend, a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  let lists = matMulAttrs.get(nb.binding);
  if (lists === undefined) {
    const flag = (name: string, value: boolean): OpAttr => ({ name, type: nb.binding.TF_ATTR_BOOL, value });
    lists = [false, true].flatMap((ta) => [false, true].map((tb) => [float(nb), flag('transpose_a', ta), flag('transpose_b', tb)]));
    matMulAttrs.set(nb.binding, lists);
  }
  return nb.executeSingleOutput('MatMul', lists[(transposeA ? 2 : 0) + (transposeB ? 1 : 0)]!, [a, b]);
}

/** Tensors the runtime holds on its own between calls: cached constants and a pending loss gradient. */
const held = new Set<tf.Tensor>();

/** How many tensors the runtime holds (so memory checks can tell them from leaks). */
export function heldTensors(): number {
  for (const t of held) if (t.isDisposed) held.delete(t);
  return held.size;
}

function hold<T extends tf.Tensor>(t: T): T {
  held.add(t);
  return t;
}

/**
 * Constant int32 tensors (reduction axes) uploaded once per backend, not per
 * call as tfjs-node's own reductions do. A handful per model, kept for the run.
 */
const constantInts = new WeakMap<object, Map<string, tf.Tensor>>();

function ints(nb: NativeBackend, values: readonly number[]): tf.Tensor {
  let cache = constantInts.get(nb);
  if (cache === undefined) constantInts.set(nb, (cache = new Map()));
  const key = values.join(',');
  let t = cache.get(key);
  if (t === undefined || t.isDisposed) cache.set(key, (t = hold(tf.tensor1d(values as number[], 'int32'))));
  return t;
}

/**
 * Sum or Mean of float32 `x` over `axes` (all when undefined): one kernel,
 * its axes uploaded once (tfjs-node's tf.mean also casts x first). A sum over
 * every axis but the last (a bias gradient) is one BiasAddGrad.
 */
export function reduce(nb: NativeBackend, op: 'Sum' | 'Mean', x: tf.Tensor, axes: readonly number[] | undefined, keepDims: boolean): tf.Tensor {
  const all = axes === undefined ? [...Array(x.rank).keys()] : axes.map((a) => (a < 0 ? a + x.rank : a));
  if (op === 'Sum' && !keepDims && x.rank >= 2 && all.length === x.rank - 1 && all.every((a, i) => a === i)) {
    return nb.executeSingleOutput('BiasAddGrad', [float(nb), { name: 'data_format', type: nb.binding.TF_ATTR_STRING, value: 'NHWC' }], [x]);
  }
  const attrs: OpAttr[] = [
    { name: 'keep_dims', type: nb.binding.TF_ATTR_BOOL, value: keepDims },
    float(nb),
    { name: 'Tidx', type: nb.binding.TF_ATTR_TYPE, value: nb.binding.TF_INT32 },
  ];
  return nb.executeSingleOutput(op, attrs, [x, ints(nb, all)]);
}

/** A float32 scalar uploaded once per backend and value (e.g. 1/B for a batch size B). */
const constantScalars = new WeakMap<object, Map<number, tf.Tensor>>();

export function constantScalar(nb: NativeBackend, value: number): tf.Tensor {
  let cache = constantScalars.get(nb);
  if (cache === undefined) constantScalars.set(nb, (cache = new Map()));
  let t = cache.get(value);
  if (t === undefined || t.isDisposed) cache.set(value, (t = hold(tf.scalar(value))));
  return t;
}

/** ReluGrad(dy, features): dy where features > 0; relu's output y is positive exactly where x is. */
export function reluGrad(nb: NativeBackend, dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return nb.executeSingleOutput('ReluGrad', [float(nb)], [dy, y]);
}

/** SigmoidGrad(y, dy) = dy * y * (1 - y). */
export function sigmoidGrad(nb: NativeBackend, dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return nb.executeSingleOutput('SigmoidGrad', [float(nb)], [y, dy]);
}

/** TanhGrad(y, dy) = dy * (1 - y²). */
export function tanhGrad(nb: NativeBackend, dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return nb.executeSingleOutput('TanhGrad', [float(nb)], [y, dy]);
}

/** [per-example loss, softmax - onehot] in one kernel. */
function sparseSoftmaxCrossEntropyBoth(nb: NativeBackend, logits: tf.Tensor, labels: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const labelsType: OpAttr = { name: 'Tlabels', type: nb.binding.TF_ATTR_TYPE, value: nb.binding.TF_INT32 };
  const outs = nb.executeMultipleOutputs('SparseSoftmaxCrossEntropyWithLogits', [float(nb), labelsType], [logits, labels], 2);
  return [outs[0]!, outs[1]!];
}

/**
 * The gradient half of the last loss kernel run, kept for the backward pass of
 * the same step: the kernel yields loss and gradient together, so a training
 * step runs it once, not once forward and once backward. Keyed by the very
 * logits and labels tensors; replaced (and freed) by the next forward call.
 */
let pendingGradient: { logits: tf.Tensor; labels: tf.Tensor; gradient: tf.Tensor } | null = null;

function dropPendingGradient(): void {
  if (pendingGradient !== null) {
    held.delete(pendingGradient.gradient);
    if (!pendingGradient.gradient.isDisposed) pendingGradient.gradient.dispose();
  }
  pendingGradient = null;
}

/** Per-example softmax cross-entropy; keeps the gradient half for `softmaxCrossEntropyGradient`. */
export function softmaxCrossEntropyLoss(nb: NativeBackend, logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  dropPendingGradient();
  const [loss, gradient] = sparseSoftmaxCrossEntropyBoth(nb, logits, labels);
  pendingGradient = { logits, labels, gradient: hold(gradient) };
  return loss;
}

/** softmax(logits) − onehot(labels): the one kept by the forward call on the same tensors, else a fresh kernel. */
export function softmaxCrossEntropyGradient(nb: NativeBackend, logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  const p = pendingGradient;
  if (p !== null && p.logits === logits && p.labels === labels && !logits.isDisposed && !p.gradient.isDisposed) {
    pendingGradient = null;
    held.delete(p.gradient);
    return p.gradient;
  }
  const [loss, gradient] = sparseSoftmaxCrossEntropyBoth(nb, logits, labels);
  loss.dispose();
  return gradient;
}
