// The Keras/tfjs-layers equivalent of a net, for `nnc export`: the forward
// graph is read back from the prediction to the input as a chain of layers —
// Flatten (reshape to [batch, n]), Dense (matmul with a parameter, + bias,
// optional activation), Conv2D (conv2d + bias, same for activation), the
// 2-D poolings, GlobalAveragePooling2D (mean over axes 1, 2), BatchNormalization
// (batch_norm's expansion read back), Embedding (gather from a table),
// Dropout (the dropout mask product), Activation — each named after its `.nn`
// binding, so the exported weights are `h/kernel`, `h/bias`, `bn/gamma`, …:
// the names `init from` maps back to `h.weight`, `h.bias`, `bn.gamma`.
// LSTM (lstm_seq's h block, last step or every step; its padding mask becomes
// the Embedding's mask_zero, which Keras propagates to the LSTM).
// Anything else (masked poolings over time, user-defined defs, several
// inputs) has no sequential equivalent here and is reported with the op and
// its line. Pure.
import type { CheckedModel } from './model.js';
import type { Node, ValueId } from '../ir/types.js';

export interface LayersExport {
  /** `modelTopology` of model.json (a Keras Sequential model). */
  topology: unknown;
  /** tfjs-layers weight name (`h/kernel`) → nnc parameter name (`h.weight`), in the order the layers hold them. */
  weights: { layersName: string; param: string }[];
}

const ACTIVATIONS: Record<string, string> = { relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax' };

/** The layers of tfjs-layers 4.22 that hand an Embedding's mask on to the LSTM above them (supportsMasking; computeMask returns it). */
const MASK_PASSING = new Set(['LSTM', 'Dropout', 'Activation', 'BatchNormalization']);

/** The Sequential model of `model`'s prediction, or why there is none. */
export function layersExport(model: CheckedModel): LayersExport | { reason: string } {
  const g = model.forward.graph.nodes;
  const paramName = new Map(model.forward.params.map((p) => [p.id, p.name] as const));
  const where = (n: Node) => (n.origin.span ? ` (line ${n.origin.span.line})` : '');
  const fail = (n: Node, why: string) => ({ reason: `${why}: \`${n.op}\`${where(n)} has no tfjs-layers equivalent in a sequential model` });
  const layers: { class_name: string; config: Record<string, unknown> }[] = [];
  const weights: { layersName: string; param: string }[][] = [];
  const used = new Set<string>();
  const nameFor = (n: Node, fallback: string) => {
    let base = (n.origin.label ?? fallback).replace(/[^A-Za-z0-9_.-]/g, '_');
    if (used.has(base)) base = `${base}_${used.size}`;
    used.add(base);
    return base;
  };
  const predictionId = model.forward.outputs['prediction'];
  if (predictionId === undefined) return { reason: 'the net has no prediction' };
  let id: ValueId = predictionId;
  // Whether an LSTM above needs the padding mask, until the Embedding that makes it is reached. The mask
  // reads the one text input; so does that Embedding (it is the first layer), so they read the same ids.
  let masked = false;
  for (;;) {
    const n = g[id]!;
    const above = layers[layers.length - 1]; // the layer n feeds
    if (masked && above !== undefined && !MASK_PASSING.has(above.class_name)) {
      return { reason: `cannot export: ${above.class_name} \`${String(above.config['name'])}\` between the embedding and an lstm would drop the padding mask Keras gives the LSTM` };
    }
    if (n.op === 'input') {
      const input = model.forward.inputs.find((i) => i.id === id)!;
      if (model.forward.inputs.filter((i) => i.role === 'input').length !== 1) return { reason: 'the net has several inputs' };
      const shape = input.type.shape.slice(1);
      const embedded = layers.length > 0 && layers[layers.length - 1]!.class_name === 'Embedding';
      if ((input.type.dtype !== 'f32' && !embedded) || shape.some((d) => typeof d !== 'number')) return { reason: `the input \`${input.name}\` is not a fixed-shape f32 tensor` };
      if (masked) return { reason: `cannot export: the lstm's padding mask needs an embedding of \`${input.name}\`` };
      layers.reverse();
      weights.reverse();
      if (layers.length === 0) return { reason: 'the net has no layers' };
      layers[0]!.config['batch_input_shape'] = [null, ...shape];
      return {
        topology: {
          class_name: 'Sequential',
          config: { name: model.name, layers },
          keras_version: 'tfjs-layers 4.22.0',
          backend: 'tensor_flow.js',
        },
        weights: weights.flat(),
      };
    }
    // Dense / Conv2D: [activation](add(matmul|conv2d(x, W), b)) or [activation](matmul|conv2d(x, W)).
    let activation = 'linear';
    let core = n;
    if (ACTIVATIONS[n.op] !== undefined) {
      const inner = g[n.inputs[0]!]!;
      if (inner.op === 'add' || inner.op === 'matmul' || inner.op === 'conv2d') {
        activation = ACTIVATIONS[n.op]!;
        core = inner;
      } else {
        layers.push({ class_name: 'Activation', config: { name: nameFor(n, 'activation'), activation: ACTIVATIONS[n.op], trainable: true, dtype: 'float32' } });
        weights.push([]);
        id = n.inputs[0]!;
        continue;
      }
    }
    const dense = denseParts(core, g, paramName);
    if (dense !== null) {
      const name = nameFor(core, 'dense');
      const units = g[dense.kernel]!.type.shape[1];
      layers.push({ class_name: 'Dense', config: { name, units, activation, use_bias: dense.bias !== null, trainable: true, dtype: 'float32' } });
      weights.push([
        { layersName: `${name}/kernel`, param: paramName.get(dense.kernel)! },
        ...(dense.bias !== null ? [{ layersName: `${name}/bias`, param: paramName.get(dense.bias)! }] : []),
      ]);
      id = dense.x;
      continue;
    }
    const conv = convParts(core, g, paramName);
    if (conv !== null) {
      const name = nameFor(core, 'conv2d');
      const [kh, kw, , filters] = g[conv.kernel]!.type.shape as number[];
      const a = g[conv.conv]!.attrs;
      const pair = (v: unknown) => [Number(v ?? 1), Number(v ?? 1)];
      layers.push({
        class_name: 'Conv2D',
        config: {
          name, filters, kernel_size: [kh, kw], strides: pair(a['strides']), padding: a['padding'] ?? 'valid', data_format: 'channels_last',
          dilation_rate: pair(a['dilations']), activation, use_bias: conv.bias !== null, trainable: true, dtype: 'float32',
        },
      });
      weights.push([
        { layersName: `${name}/kernel`, param: paramName.get(conv.kernel)! },
        ...(conv.bias !== null ? [{ layersName: `${name}/bias`, param: paramName.get(conv.bias)! }] : []),
      ]);
      id = conv.x;
      continue;
    }
    if (core !== n) {
      // An activation of something that is neither Dense nor Conv2D (e.g. of a batch_norm): a layer of its own.
      layers.push({ class_name: 'Activation', config: { name: nameFor(n, 'activation'), activation, trainable: true, dtype: 'float32' } });
      weights.push([]);
      id = n.inputs[0]!;
      continue;
    }
    if (n.op === 'max_pool' || n.op === 'avg_pool') {
      const size = Number(n.attrs['size']);
      const stride = Number(n.attrs['strides'] ?? size);
      layers.push({
        class_name: n.op === 'max_pool' ? 'MaxPooling2D' : 'AveragePooling2D',
        config: { name: nameFor(n, n.op), pool_size: [size, size], strides: [stride, stride], padding: n.attrs['padding'] ?? 'valid', data_format: 'channels_last', trainable: true, dtype: 'float32' },
      });
      weights.push([]);
      id = n.inputs[0]!;
      continue;
    }
    const axes = n.attrs['axes'];
    if (n.op === 'mean' && !n.attrs['keepDims'] && Array.isArray(axes) && axes.join() === '1,2' && g[n.inputs[0]!]!.type.shape.length === 4) {
      layers.push({ class_name: 'GlobalAveragePooling2D', config: { name: nameFor(n, 'global_avg_pool'), data_format: 'channels_last', trainable: true, dtype: 'float32' } });
      weights.push([]);
      id = n.inputs[0]!;
      continue;
    }
    const bn = batchNormParts(n, g, paramName, model.forward.updates ?? {});
    if (bn !== null) {
      const name = nameFor(n, 'batch_norm');
      layers.push({
        class_name: 'BatchNormalization',
        config: { name, axis: -1, momentum: bn.momentum, epsilon: bn.epsilon, center: true, scale: true, trainable: true, dtype: 'float32' },
      });
      weights.push(['gamma', 'beta', 'moving_mean', 'moving_variance'].map((w) => ({ layersName: `${name}/${w}`, param: `${bn.prefix}.${w}` })));
      id = bn.x;
      continue;
    }
    const lstm = lstmParts(n, g, paramName);
    if (lstm !== null) {
      if (!lstm.paddingMask) return { reason: `cannot export: the lstm${where(n)} is masked otherwise than by the padding of its text input, which is all Keras's mask_zero can say` };
      // Keras masks an LSTM through its Embedding (mask_zero: ids ≠ 0), exactly our padding mask sign(ids).
      masked = true;
      const name = nameFor(n, 'lstm');
      layers.push({
        class_name: 'LSTM',
        config: {
          name, units: lstm.units, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, unit_forget_bias: false,
          return_sequences: lstm.returnSequences, return_state: false, go_backwards: false, stateful: false, unroll: false,
          implementation: 2, dropout: 0, recurrent_dropout: 0, trainable: true, dtype: 'float32',
        },
      });
      weights.push([
        { layersName: `${name}/kernel`, param: paramName.get(lstm.kernel)! },
        { layersName: `${name}/recurrent_kernel`, param: paramName.get(lstm.recurrent)! },
        { layersName: `${name}/bias`, param: paramName.get(lstm.bias)! },
      ]);
      id = lstm.x;
      continue;
    }
    if (n.op === 'gather' && n.inputs.length === 2 && paramName.has(n.inputs[0]!) && g[n.inputs[0]!]!.type.shape.length === 2) {
      const [table, ids] = n.inputs as [ValueId, ValueId];
      const [inputDim, outputDim] = g[table]!.type.shape as number[];
      const name = nameFor(n, 'embedding');
      layers.push({ class_name: 'Embedding', config: { name, input_dim: inputDim, output_dim: outputDim, mask_zero: masked, trainable: true, dtype: 'float32' } });
      masked = false;
      weights.push([{ layersName: `${name}/embeddings`, param: paramName.get(table)! }]);
      id = ids;
      continue;
    }
    if ((n.op === 'div' || n.op === 'max') && readsPaddingMask(n, g)) {
      return fail(n, 'cannot export a masked pooling over time (mean_pool / max_pool_time ignore padding token 0; GlobalAveragePooling1D / GlobalMaxPooling1D would count it)');
    }
    if (n.op === 'mul' && n.inputs.length === 2) {
      const [a, b] = n.inputs as [ValueId, ValueId];
      const mask = g[b]!.op === 'dropout_mask' ? g[b]! : g[a]!.op === 'dropout_mask' ? g[a]! : null;
      if (mask !== null) {
        layers.push({ class_name: 'Dropout', config: { name: nameFor(n, 'dropout'), rate: mask.attrs['rate'], trainable: true, dtype: 'float32' } });
        weights.push([]);
        id = mask.id === b ? a : b;
        continue;
      }
    }
    if (n.op === 'reshape') {
      const from = g[n.inputs[0]!]!.type.shape;
      if (n.type.shape.length === 2 && from.length > 2) {
        layers.push({ class_name: 'Flatten', config: { name: nameFor(n, 'flatten'), trainable: true, dtype: 'float32' } });
        weights.push([]);
        id = n.inputs[0]!;
        continue;
      }
    }
    return fail(n, 'cannot export');
  }
}

function denseParts(n: Node, g: readonly Node[], params: ReadonlyMap<ValueId, string>): { x: ValueId; kernel: ValueId; bias: ValueId | null } | null {
  let mm = n;
  let bias: ValueId | null = null;
  if (n.op === 'add') {
    const [a, b] = n.inputs as [ValueId, ValueId];
    if (g[a]!.op === 'matmul' && params.has(b) && g[b]!.type.shape.length === 1) {
      mm = g[a]!;
      bias = b;
    } else return null;
  }
  if (mm.op !== 'matmul' || mm.attrs['transposeA'] || mm.attrs['transposeB']) return null;
  const [x, w] = mm.inputs as [ValueId, ValueId];
  if (!params.has(w) || g[w]!.type.shape.length !== 2 || g[x]!.type.shape.length !== 2) return null;
  return { x, kernel: w, bias };
}

function convParts(n: Node, g: readonly Node[], params: ReadonlyMap<ValueId, string>): { x: ValueId; conv: ValueId; kernel: ValueId; bias: ValueId | null } | null {
  let conv = n;
  let bias: ValueId | null = null;
  if (n.op === 'add') {
    const [a, b] = n.inputs as [ValueId, ValueId];
    if (g[a]!.op === 'conv2d' && params.has(b) && g[b]!.type.shape.length === 1) {
      conv = g[a]!;
      bias = b;
    } else return null;
  }
  if (conv.op !== 'conv2d') return null;
  const [x, w] = conv.inputs as [ValueId, ValueId];
  if (!params.has(w) || g[w]!.type.shape.length !== 4) return null;
  return { x, conv: conv.id, kernel: w, bias };
}

/**
 * batch_norm's expansion read back (src/check/layers/batch-norm.ts):
 * add(mul(sub(x, m), mul(pow(add(v, ε), -½), gamma)), beta), the momentum from
 * the running mean's update mul(moving, momentum) + mul(batch, 1 - momentum).
 */
function batchNormParts(
  n: Node,
  g: readonly Node[],
  params: ReadonlyMap<ValueId, string>,
  updates: Readonly<Record<string, ValueId>>,
): { x: ValueId; prefix: string; epsilon: number; momentum: number } | null {
  if (n.op !== 'add' || n.inputs.length !== 2) return null;
  const [scaledId, betaId] = n.inputs as [ValueId, ValueId];
  const beta = params.get(betaId);
  if (beta === undefined || !beta.endsWith('.beta')) return null;
  const prefix = beta.slice(0, -'.beta'.length);
  const scaled = g[scaledId]!;
  if (scaled.op !== 'mul') return null;
  const [centred, scale] = scaled.inputs.map((i) => g[i]!) as [Node, Node];
  if (centred.op !== 'sub' || scale.op !== 'mul' || params.get(scale.inputs[1]!) !== `${prefix}.gamma`) return null;
  const shifted = g[g[scale.inputs[0]!]!.inputs[0]!]!;
  const eps = g[shifted.inputs[1]!]!;
  if (shifted.op !== 'add' || eps.op !== 'const') return null;
  // updates[moving_mean] = training_select(add(mul(moving, momentum), mul(batch, 1 - momentum)), moving)
  const update = updates[`${prefix}.moving_mean`];
  const blend = update !== undefined ? g[g[update]!.inputs[0]!] : undefined;
  const kept = blend?.op === 'add' ? g[blend.inputs[0]!] : undefined;
  const momentumNode = kept?.op === 'mul' ? g[kept.inputs[1]!] : undefined;
  if (momentumNode?.op !== 'const') return null;
  return { x: centred.inputs[0]!, prefix, epsilon: Number(eps.attrs['value']), momentum: Number(momentumNode.attrs['value']) };
}

/** Whether `n` (the last op of mean_pool / max_pool_time) reads the padding mask of a text input (sign(cast(ids))) within a few steps: the masked poolings over time. */
function readsPaddingMask(n: Node, g: readonly Node[], depth = 4): boolean {
  if (n.op === 'sign') return true;
  return depth > 0 && n.inputs.some((i) => readsPaddingMask(g[i]!, g, depth - 1));
}

/**
 * lstm's expansion read back (src/check/layers/lstm.ts): the h block
 * slice(lstm_seq(x, kernel, recurrent, bias, sign(cast(ids))), [0, 0, 5U]) —
 * every step's (return_sequences), or the last step's reshaped to [batch, U].
 * Our tape's gates are i, f, g, o as Keras's kernel columns, and a padded step
 * carries h and c through as Keras's masked rnn() does, so the parameters map
 * one to one: kernel, recurrent_kernel, bias.
 */
function lstmParts(
  n: Node,
  g: readonly Node[],
  params: ReadonlyMap<ValueId, string>,
): { x: ValueId; kernel: ValueId; recurrent: ValueId; bias: ValueId; units: number; returnSequences: boolean; paddingMask: boolean } | null {
  if (n.op !== 'reshape' && n.op !== 'slice') return null;
  const returnSequences = n.op === 'slice';
  const last = returnSequences ? null : g[n.inputs[0]!]!;
  const h = last === null ? n : g[last.inputs[0]!];
  const tape = h?.op === 'slice' ? g[h.inputs[0]!] : undefined;
  if (h === undefined || tape?.op !== 'lstm_seq') return null;
  const [, length, width] = tape.type.shape as [unknown, number, number];
  const units = width / 6;
  const begin = (m: Node) => (m.attrs['begin'] as number[]).join();
  if (begin(h) !== `0,0,${5 * units}` || (h.attrs['size'] as unknown[])[2] !== units) return null;
  if (last !== null && (last.op !== 'slice' || begin(last) !== `0,${length - 1},0` || n.type.shape.length !== 2)) return null;
  const [x, kernel, recurrent, bias, mask] = tape.inputs as [ValueId, ValueId, ValueId, ValueId, ValueId];
  if (![kernel, recurrent, bias].every((p) => params.has(p))) return null;
  // sign(cast(ids)): 1 for a token, 0 for padding id 0 — Keras's mask_zero (ids ≠ 0), ids being never negative.
  const cast = g[g[mask]!.inputs[0]!];
  const paddingMask = g[mask]!.op === 'sign' && cast?.op === 'cast' && g[cast.inputs[0]!]!.op === 'input';
  return { x, kernel, recurrent, bias, units, returnSequences, paddingMask };
}
