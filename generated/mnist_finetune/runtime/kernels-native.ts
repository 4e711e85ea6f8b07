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
import { graphConstant, unrecorded } from './graph-capture.js';

export interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

export interface NativeBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_BOOL: number; TF_ATTR_INT: number; TF_ATTR_STRING: number; TF_ATTR_SHAPE: number; TF_FLOAT: number; TF_INT32: number };
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

/** Tensors the runtime holds on its own between calls: cached constants, a pending loss gradient, pooling workspaces. */
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

/** Frees a held tensor (no longer needed, or handed to its caller with `keep`). */
function release(t: tf.Tensor, keep = false): void {
  held.delete(t);
  if (!keep && !t.isDisposed) t.dispose();
}

/**
 * Tensors uploaded once per backend and key, not per call (tfjs-node's own
 * reductions upload their axes every time), and uploaded again only when
 * their value changes: reduction axes, the loss gradient's lr/B. One held
 * tensor per key, a handful per model.
 */
const kept = new WeakMap<object, Map<string, { value: unknown; tensor: tf.Tensor }>>();

function keptTensor(nb: NativeBackend, key: string, value: unknown, make: () => tf.Tensor): tf.Tensor {
  let cache = kept.get(nb);
  if (cache === undefined) kept.set(nb, (cache = new Map()));
  const entry = cache.get(key);
  if (entry !== undefined && entry.value === value && !entry.tensor.isDisposed) return entry.tensor;
  if (entry !== undefined) release(entry.tensor);
  const tensor = hold(make());
  cache.set(key, { value, tensor });
  return tensor;
}

/** A tensor that depends on `key` alone (axes, a shape, 1/n): kept per key and registered as a graph constant. */
function keptConstant(nb: NativeBackend, key: string, make: () => tf.Tensor): tf.Tensor {
  return keptTensor(nb, key, key, () => graphConstant(make()));
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
  return nb.executeSingleOutput(op, attrs, [x, keptConstant(nb, `axes ${all.join(',')}`, () => tf.tensor1d(all, 'int32'))]);
}

/**
 * A float32 scalar kept under `key` until a call asks for another value (a
 * scheduled learning rate changes every step: one upload per change, and one
 * tensor held per key, not one per value).
 */
export function latestScalar(nb: NativeBackend, key: string, value: number): tf.Tensor {
  return keptTensor(nb, `scalar ${key}`, value, () => tf.scalar(value));
}

/** An int32 vector (a shape) kept per value and registered as a graph constant: tfjs-node's own kernels upload theirs on every call. */
function shapeVector(nb: NativeBackend, values: readonly number[]): tf.Tensor {
  return keptConstant(nb, `shape ${values.join(',')}`, () => tf.tensor1d([...values], 'int32'));
}

/** Reshape to `shape` (one -1 allowed), with the shape kept rather than uploaded. */
export function reshape(nb: NativeBackend, x: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const b = nb.binding;
  const type = x.dtype === 'int32' ? b.TF_INT32 : b.TF_FLOAT;
  return nb.executeSingleOutput('Reshape', [{ name: 'T', type: b.TF_ATTR_TYPE, value: type }, { name: 'Tshape', type: b.TF_ATTR_TYPE, value: b.TF_INT32 }], [x, shapeVector(nb, shape)]);
}

/** table[ids] along axis 0 (GatherV2): TensorFlow checks the ids' range itself; tfjs-node's kernel first reads them to the host to check them, and uploads the axis. */
export function gather(nb: NativeBackend, table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  const b = nb.binding;
  const type = (name: string, value: number): OpAttr => ({ name, type: b.TF_ATTR_TYPE, value });
  const axis = keptConstant(nb, 'gather axis 0', () => tf.scalar(0, 'int32'));
  const attrs = [{ name: 'batch_dims', type: b.TF_ATTR_INT, value: 0 }, type('Tparams', table.dtype === 'int32' ? b.TF_INT32 : b.TF_FLOAT), type('Tindices', b.TF_INT32), type('Taxis', b.TF_INT32)];
  return nb.executeSingleOutput('GatherV2', attrs, [table, ids, axis]);
}

/** 1/n as a float32 scalar: kept per value, a graph constant (it depends on shapes only); a new handle on it, which the caller disposes. */
export function inverseCount(nb: NativeBackend, n: number): tf.Tensor {
  return keptConstant(nb, `inverse count ${n}`, () => tf.scalar(1 / n)).clone();
}

/** x broadcast to `shape` (BroadcastTo), the shape kept rather than uploaded. */
export function broadcastTo(nb: NativeBackend, x: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const b = nb.binding;
  return nb.executeSingleOutput('BroadcastTo', [float(nb), { name: 'Tidx', type: b.TF_ATTR_TYPE, value: b.TF_INT32 }], [x, shapeVector(nb, shape)]);
}

/** Σ of data's rows per segment id (UnsortedSegmentSum, rank-1 int32 ids), the segment count kept rather than uploaded. */
export function unsortedSegmentSum(nb: NativeBackend, data: tf.Tensor, ids: tf.Tensor, segments: number): tf.Tensor {
  const b = nb.binding;
  const count = keptConstant(nb, `segments ${segments}`, () => tf.scalar(segments, 'int32'));
  const attrs = [float(nb), { name: 'Tindices', type: b.TF_ATTR_TYPE, value: b.TF_INT32 }, { name: 'Tnumsegments', type: b.TF_ATTR_TYPE, value: b.TF_INT32 }];
  return nb.executeSingleOutput('UnsortedSegmentSum', attrs, [data, ids, count]);
}

/** The attributes tfjs-node gives its Conv2DBackprop* kernels (NHWC, no dilation). */
function convBackpropAttrs(nb: NativeBackend, strides: [number, number], pad: 'same' | 'valid'): OpAttr[] {
  const b = nb.binding;
  return [
    float(nb),
    { name: 'strides', type: b.TF_ATTR_INT, value: [1, strides[0], strides[1], 1] },
    { name: 'padding', type: b.TF_ATTR_STRING, value: pad.toUpperCase() },
    { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'use_cudnn_on_gpu', type: b.TF_ATTR_BOOL, value: true },
    { name: 'dilations', type: b.TF_ATTR_INT, value: [1, 1, 1, 1] },
  ];
}

/** dL/dx of conv2d: Conv2DBackpropInput with the input's shape kept. */
export function conv2dBackpropInput(nb: NativeBackend, dy: tf.Tensor, w: tf.Tensor, inputShape: readonly number[], strides: [number, number], pad: 'same' | 'valid'): tf.Tensor {
  return nb.executeSingleOutput('Conv2DBackpropInput', convBackpropAttrs(nb, strides, pad), [shapeVector(nb, inputShape), w, dy]);
}

/** dL/dfilter of conv2d: Conv2DBackpropFilter with the filter's shape kept. */
export function conv2dBackpropFilter(nb: NativeBackend, x: tf.Tensor, dy: tf.Tensor, filterShape: readonly number[], strides: [number, number], pad: 'same' | 'valid'): tf.Tensor {
  return nb.executeSingleOutput('Conv2DBackpropFilter', convBackpropAttrs(nb, strides, pad), [x, shapeVector(nb, filterShape), dy]);
}

/**
 * One float32 elementwise kernel, skipping the tfjs engine's per-op work
 * (measured 50 µs for tf.add on 64×128 against 21 µs for the same Add kernel
 * called directly): TensorFlow's Add/Sub/Mul broadcast as tfjs's do.
 */
export function elementwise(nb: NativeBackend, op: 'Add' | 'Sub' | 'Mul' | 'Relu', inputs: tf.Tensor[]): tf.Tensor {
  return nb.executeSingleOutput(op, [float(nb)], inputs);
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
  if (pendingGradient !== null) release(pendingGradient.gradient);
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
    release(p.gradient, true);
    return p.gradient;
  }
  const [loss, gradient] = sparseSoftmaxCrossEntropyBoth(nb, logits, labels);
  loss.dispose();
  return gradient;
}

/**
 * Max pooling whose backward pass is oneDNN's: TensorFlow's own MaxPoolGrad
 * kernel recomputes every window's argmax (measured 17 ms for a 64×28×28×32
 * input, against 1.4 ms for oneDNN's with the forward pass's workspace). The
 * forward call keeps the workspace, keyed by its output, for the backward
 * call; entries whose output is gone (no backward pass: evaluation, a frozen
 * layer) are freed by the next forward call. Available when this TensorFlow
 * build has the oneDNN kernels and they agree with MaxPoolGrad (probed once).
 */
const poolWorkspaces = new Map<tf.Tensor, tf.Tensor>();

function poolAttrs(nb: NativeBackend, size: [number, number], strides: [number, number], pad: 'same' | 'valid'): OpAttr[] {
  const b = nb.binding;
  return [
    float(nb),
    { name: 'ksize', type: b.TF_ATTR_INT, value: [1, size[0], size[1], 1] },
    { name: 'strides', type: b.TF_ATTR_INT, value: [1, strides[0], strides[1], 1] },
    { name: 'padding', type: b.TF_ATTR_STRING, value: pad.toUpperCase() },
    { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'workspace_enabled', type: b.TF_ATTR_BOOL, value: true },
    // oneDNN's float kernels for these ops are registered under this label
    { name: '_kernel', type: b.TF_ATTR_STRING, value: 'MklNameChangeOp' },
  ];
}

function oneDnnMaxPool(nb: NativeBackend, x: tf.Tensor, size: [number, number], strides: [number, number], pad: 'same' | 'valid'): [tf.Tensor, tf.Tensor] {
  const [y, workspace] = nb.executeMultipleOutputs('_MklNativeMaxPool', poolAttrs(nb, size, strides, pad), [x], 2);
  return [y!, workspace!];
}

function oneDnnMaxPoolGrad(nb: NativeBackend, dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor, workspace: tf.Tensor, size: [number, number], strides: [number, number], pad: 'same' | 'valid'): tf.Tensor {
  return nb.executeSingleOutput('_MklNativeMaxPoolGrad', poolAttrs(nb, size, strides, pad), [x, y, dy, workspace]);
}

const oneDnnPooling = new WeakMap<object, boolean>();

/** Whether oneDNN's pooling kernels exist here and route gradients as MaxPoolGrad does (ties included). */
function hasOneDnnPooling(nb: NativeBackend): boolean {
  let ok = oneDnnPooling.get(nb);
  if (ok === undefined) {
    ok = unrecorded(() => tf.tidy(() => {
      try {
        // ties on purpose: zeros and repeated values in most windows
        const x = tf.tensor4d([0, 0, 1, 1, 0, 2, 2, 1, 3, 3, 0, 0, 1, 0, 0, 1, 5, 4, 4, 5, 0, 0, 0, 0], [1, 4, 6, 1]);
        const dy = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
        const [y, workspace] = oneDnnMaxPool(nb, x, [2, 2], [2, 2], 'valid');
        const got = oneDnnMaxPoolGrad(nb, dy, x, y, workspace, [2, 2], [2, 2], 'valid').dataSync();
        const want = (tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid') }, { filterSize: [2, 2], strides: [2, 2], pad: 'valid' }) as tf.Tensor).dataSync();
        workspace.dispose();
        return got.length === want.length && got.every((v, i) => v === want[i]);
      } catch {
        return false;
      }
    }));
    oneDnnPooling.set(nb, ok);
  }
  return ok;
}

/** MaxPool keeping oneDNN's workspace for `maxPoolGradFromWorkspace`, or null where that path is unavailable. */
export function maxPoolKeepingWorkspace(nb: NativeBackend, x: tf.Tensor, size: [number, number], strides: [number, number], pad: 'same' | 'valid'): tf.Tensor | null {
  if (!hasOneDnnPooling(nb)) return null;
  for (const [y, workspace] of poolWorkspaces) {
    if (y.isDisposed) {
      poolWorkspaces.delete(y);
      release(workspace);
    }
  }
  const [y, workspace] = oneDnnMaxPool(nb, x, size, strides, pad);
  poolWorkspaces.set(y, hold(workspace));
  return y;
}

/** The gradient of a max pool from the workspace its forward call kept, or null when it kept none. */
export function maxPoolGradFromWorkspace(nb: NativeBackend, dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor, size: [number, number], strides: [number, number], pad: 'same' | 'valid'): tf.Tensor | null {
  const workspace = poolWorkspaces.get(y);
  if (workspace === undefined) return null;
  poolWorkspaces.delete(y);
  const dx = oneDnnMaxPoolGrad(nb, dy, x, y, workspace, size, strides, pad);
  release(workspace);
  return dx;
}
