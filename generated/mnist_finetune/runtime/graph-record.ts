// The recording behind rt.GraphStep (graph-step.ts): one eager call of a
// step function with tfjs-node's binding swapped for a copy that notes every
// TensorFlow op (name, attributes, dataflow by tensor id); then the GraphDef
// built from the notes (placeholders, frozen constants, feeds), loaded as a
// session through tfjs-node's SavedModel loader and checked against the
// recorded call. What may be read is decided in graph-capture.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { constants, setRecording, wrapBinding, type Binding, type Feed, type NodeBackend, type RawAttr, type TensorMeta } from './graph-capture.js';
import { savedModelBytes, type GraphAttr, type GraphNode } from './tf-graph-proto.js';

/** Ops a replay could not repeat: variables, random draws, host I/O. */
const STATEFUL = /^(Resource|Assign|VarHandleOp|ReadVariableOp|DestroyResourceOp|DeepCopy|Random|Stateless|TruncatedNormal|Multinomial|Print|Write|Summary)/;

/** A graph producer version old enough that no op the runtime uses is deprecated at it. */
const PRODUCER = 1286;

/** Output agreement a loaded graph must show on the recorded call (Grappler may fuse kernels, which rounds differently). */
const TOLERANCE = 1e-4;

/** What became of one input signature. */
export interface GraphStepStatus {
  step: string;
  /** Input dtypes and shapes. */
  signature: string;
  /** Recorded and replayed as one graph. */
  graph: boolean;
  /** Ops in the graph (placeholders and constants not counted). */
  ops: number;
  /** The same ops by name, e.g. { MatMul: 5, BiasAddGrad: 2 }. */
  opNames: Record<string, number>;
  /** Why the step stays eager (null when it runs as a graph). */
  refused: string | null;
}

export interface Loaded {
  session: number;
  feeds: Feed[];
  inputNames: string;
  outputNames: string;
  status: GraphStepStatus;
}

/** One session run of `g` on `fed`: the inputs, then the feeds that have placeholders. */
function runSession(backend: NodeBackend, g: Loaded, fed: readonly tf.Tensor[]): tf.Tensor[] {
  const metas = backend.binding.runSavedModel(g.session, backend.getInputTensorIds([...fed]), g.inputNames, g.outputNames);
  return metas.map((m) => backend.createOutputTensor(m));
}

/** A replay: this call's inputs, and its feeds drawn again (all of them, so the rng advances as eagerly). */
export function replay(backend: NodeBackend, g: Loaded, inputs: readonly tf.Tensor[], rng: unknown): tf.Tensor[] {
  const drawn = g.feeds.map((f) => f.draw(rng as never));
  try {
    return runSession(backend, g, [...inputs, ...drawn.filter((_, k) => g.feeds[k]!.placeholder !== null)]);
  } finally {
    tf.dispose(drawn);
  }
}

/** tfjs dtype → TensorFlow DataType enum (the binding's TF_* values are the same numbers). */
function dataType(b: Binding, dtype: tf.DataType): number | null {
  return dtype === 'float32' ? (b['TF_FLOAT'] as number) : dtype === 'int32' ? (b['TF_INT32'] as number) : dtype === 'bool' ? (b['TF_BOOL'] as number) : null;
}

/** A binding attribute as a graph attribute, or null when the recording cannot express it. */
function graphAttr(b: Binding, a: RawAttr): GraphAttr | null {
  const v = a.value;
  if (a.type === b['TF_ATTR_TYPE']) return { kind: 'type', value: v as number };
  if (a.type === b['TF_ATTR_BOOL']) return { kind: 'bool', value: v as boolean };
  if (a.type === b['TF_ATTR_STRING']) return { kind: 'string', value: v as string };
  if (a.type === b['TF_ATTR_SHAPE']) return { kind: 'shape', value: v as number[] };
  if (a.type === b['TF_ATTR_INT']) return Array.isArray(v) ? { kind: 'ints', value: v as number[] } : { kind: 'int', value: v as number };
  if (a.type === b['TF_ATTR_FLOAT'] && typeof v === 'number') return { kind: 'float', value: v };
  return null;
}

/** What one recorded call left behind, for `build`. */
interface Notes {
  nodes: GraphNode[];
  /** Node output (`op_3_MatMul:0`, `input_2`) by binding tensor id. */
  names: Map<number, string>;
  /** Tensors the recorded ops read that they did not make, with the first op that read each. */
  captured: Map<number, string>;
  feeds: Feed[];
  refused: string | null;
}

/** Runs `fn` once, eagerly, noting every TensorFlow op; returns its outputs and the loaded graph (or why there is none). */
export function record(
  backend: NodeBackend,
  step: string,
  signature: string,
  inputs: readonly tf.Tensor[],
  fn: () => tf.Tensor[],
  rng: unknown,
): { outputs: tf.Tensor[]; loaded: Loaded | GraphStepStatus } {
  const binding = backend.binding;
  const status = (refused: string | null, ops: readonly GraphNode[] = []): GraphStepStatus => {
    const opNames: Record<string, number> = {};
    for (const n of ops) opNames[n.op] = (opNames[n.op] ?? 0) + 1;
    return { step, signature, graph: refused === null, ops: ops.length, opNames, refused };
  };
  const notes: Notes = { nodes: [], names: new Map(), captured: new Map(), feeds: [], refused: null };
  const { nodes, names, captured, feeds } = notes;
  const inputIds = backend.getInputTensorIds([...inputs]);
  inputs.forEach((t, i) => {
    if (!names.has(inputIds[i]!)) names.set(inputIds[i]!, `input_${i}`);
  });
  const refuse = (why: string) => (notes.refused ??= why);

  const recording = wrapBinding(binding, {
    executeOp: (a, call) => {
      const [name, attrs, ids] = a as [string, RawAttr[], number[]];
      const out = call() as TensorMeta[];
      if (STATEFUL.test(name)) refuse(`runs ${name}, which a replay could not repeat`);
      const attr: Record<string, GraphAttr> = {};
      for (const at of attrs) {
        const g = graphAttr(binding, at);
        if (g === null) refuse(`${name}: attribute ${at.name} has a type a graph cannot hold here`);
        else attr[at.name] = g;
      }
      const node = `op_${nodes.length}_${name}`;
      const input = ids.map((id) => {
        const known = names.get(id);
        if (known !== undefined) return known;
        if (!captured.has(id)) captured.set(id, name);
        return `const_${id}`;
      });
      nodes.push({ name: node, op: name, input, attr });
      out.forEach((m, k) => names.set(m.id, `${node}:${k}`));
      return out;
    },
    tensorDataSync: (_a, call) => {
      const after = nodes.length > 0 ? ` (after ${nodes.length} ops, the last ${nodes[nodes.length - 1]!.op})` : '';
      refuse(`reads a tensor back to the host inside the step${after}`);
      return call();
    },
  }) as Binding;
  backend.binding = recording;
  setRecording({ backend, binding, recording, rng, feeds, refuse });
  let outputs: tf.Tensor[];
  try {
    outputs = fn();
  } finally {
    backend.binding = binding;
    setRecording(null);
  }
  try {
    if (inputs.some((t) => t.isDisposed)) throw new Error(`graph step ${step}: the step function disposed one of its inputs`);
    return { outputs, loaded: build(backend, status, inputs, outputs, notes) };
  } finally {
    for (const f of feeds) f.copy?.dispose();
    for (const f of feeds) f.copy = null;
  }
}

/** The graph of a finished recording, loaded and checked, or why not. */
function build(
  backend: NodeBackend,
  status: (refused: string | null, ops?: readonly GraphNode[]) => GraphStepStatus,
  inputs: readonly tf.Tensor[],
  outputs: readonly tf.Tensor[],
  { nodes, names, captured, feeds, refused }: Notes,
): Loaded | GraphStepStatus {
  const binding = backend.binding;
  if (refused !== null) return status(refused);

  // Captured tensors must be registered constants: their values go into the graph.
  const constantIds = new Map<number, tf.Tensor>();
  for (const t of constants) {
    if (t.isDisposed) constants.delete(t);
    else constantIds.set(backend.getInputTensorIds([t])[0]!, t);
  }
  const consts: GraphNode[] = [];
  const feedOf = new Map(feeds.map((f) => [f.id, f]));
  for (const [id, reader] of captured) {
    const feed = feedOf.get(id);
    if (feed !== undefined) {
      feed.placeholder = `const_${id}`; // the name the recorded ops read it by
      continue;
    }
    const t = constantIds.get(id);
    const dtype = t === undefined ? null : dataType(binding, t.dtype);
    if (t === undefined || dtype === null) return status(`${reader} reads a tensor that is neither an input nor a registered constant (e.g. one uploaded inside the step)`);
    const data = binding.tensorDataSync(id);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    consts.push({ name: `const_${id}`, op: 'Const', input: [], attr: { dtype: { kind: 'type', value: dtype }, value: { kind: 'tensor', dtype, shape: t.shape, bytes } } });
  }
  const outputNames: string[] = [];
  for (const id of backend.getInputTensorIds([...outputs])) {
    const name = names.get(id);
    if (name === undefined || name.startsWith('input_')) return status('returns a tensor no recorded op produced');
    outputNames.push(name);
  }
  // Placeholders: the inputs, then the feeds some recorded op read (the order a session run is fed in).
  const fedFeeds = feeds.filter((f) => f.placeholder !== null);
  const fed: [string, tf.Tensor][] = [...inputs.map((t, i): [string, tf.Tensor] => [`input_${i}`, t]), ...fedFeeds.map((f): [string, tf.Tensor] => [f.placeholder!, f.copy!])];
  const placeholders: GraphNode[] = [];
  for (const [name, t] of fed) {
    const dtype = dataType(binding, t.dtype);
    if (dtype === null) return status(`${name} has dtype ${t.dtype}`);
    placeholders.push({ name, op: 'Placeholder', input: [], attr: { dtype: { kind: 'type', value: dtype }, shape: { kind: 'shape', value: t.shape } } });
  }

  let session: number;
  const dir = mkdtempSync(join(tmpdir(), 'nnc-graph-'));
  try {
    writeFileSync(join(dir, 'saved_model.pb'), savedModelBytes([...placeholders, ...consts, ...nodes], 'serve', PRODUCER));
    session = binding.loadSavedModel(dir, 'serve');
  } catch (e) {
    return status(`TensorFlow did not load the recorded graph: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const loaded: Loaded = {
    session,
    feeds,
    inputNames: fed.map(([name]) => `${name}:0`).join(','),
    outputNames: outputNames.join(','),
    status: status(null, nodes),
  };
  const mismatch = compare(backend, loaded, fed.map(([, t]) => t), outputs);
  if (mismatch !== null) {
    binding.deleteSavedModel(session);
    return status(`the loaded graph disagrees with the eager step: ${mismatch}`);
  }
  return loaded;
}

/** Runs the loaded graph on the recorded call's inputs; null when every output matches the eager one within tolerance. */
function compare(backend: NodeBackend, g: Loaded, inputs: readonly tf.Tensor[], eager: readonly tf.Tensor[]): string | null {
  let replayed: tf.Tensor[];
  try {
    replayed = runSession(backend, g, inputs);
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
  try {
    for (const [i, r] of replayed.entries()) {
      const want = eager[i]!;
      if (r.shape.join() !== want.shape.join()) return `output ${i} has shape [${r.shape}], eagerly [${want.shape}]`;
      const a = r.dataSync();
      const b = want.dataSync();
      let scale = 0;
      for (let k = 0; k < b.length; k++) scale = Math.max(scale, Math.abs(b[k]!));
      for (let k = 0; k < b.length; k++) {
        if (!(Math.abs(a[k]! - b[k]!) <= TOLERANCE * (1 + scale))) return `output ${i}[${k}] = ${a[k]}, eagerly ${b[k]}`;
      }
    }
    return null;
  } finally {
    tf.dispose(replayed);
  }
}
