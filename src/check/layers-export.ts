// The Keras/tfjs-layers equivalent of a net, for `nnc export`: the forward
// graph is read back from the prediction to the input as a chain of layers —
// Flatten (reshape to [batch, n]), Dense (matmul with a parameter, + bias,
// optional activation), Dropout (the dropout mask product), Activation — each
// named after its `.nn` binding, so the exported weights are `h/kernel`,
// `h/bias`: the names `init from` maps back to `h.weight`, `h.bias`. Anything
// else (conv layers, user-defined defs, several inputs) has no sequential
// equivalent here and is reported with the op and its line. Pure.
import type { CheckedModel } from './model.js';
import type { Node, ValueId } from '../ir/types.js';

export interface LayersExport {
  /** `modelTopology` of model.json (a Keras Sequential model). */
  topology: unknown;
  /** tfjs-layers weight name (`h/kernel`) → nnc parameter name (`h.weight`), in the order the layers hold them. */
  weights: { layersName: string; param: string }[];
}

const ACTIVATIONS: Record<string, string> = { relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax' };

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
  for (;;) {
    const n = g[id]!;
    if (n.op === 'input') {
      const input = model.forward.inputs.find((i) => i.id === id)!;
      if (model.forward.inputs.filter((i) => i.role === 'input').length !== 1) return { reason: 'the net has several inputs' };
      const shape = input.type.shape.slice(1);
      if (input.type.dtype !== 'f32' || shape.some((d) => typeof d !== 'number')) return { reason: `the input \`${input.name}\` is not a fixed-shape f32 tensor` };
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
    // Dense: [activation](add(matmul(x, W), b)) or [activation](matmul(x, W)).
    let activation = 'linear';
    let core = n;
    if (ACTIVATIONS[n.op] !== undefined) {
      const inner = g[n.inputs[0]!]!;
      if (inner.op === 'add' || inner.op === 'matmul') {
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
