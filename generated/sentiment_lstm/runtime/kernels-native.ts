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

/** [per-example loss, softmax - onehot] in one kernel; the caller keeps `which` and the other is disposed. */
export function sparseSoftmaxCrossEntropy(nb: NativeBackend, logits: tf.Tensor, labels: tf.Tensor, which: 0 | 1): tf.Tensor {
  const labelsType: OpAttr = { name: 'Tlabels', type: nb.binding.TF_ATTR_TYPE, value: nb.binding.TF_INT32 };
  const outs = nb.executeMultipleOutputs('SparseSoftmaxCrossEntropyWithLogits', [float(nb), labelsType], [logits, labels], 2);
  outs[1 - which]!.dispose();
  return outs[which]!;
}
