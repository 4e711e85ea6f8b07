// A training step's TensorFlow work as one TensorFlow graph, on tfjs-node.
//
// Eagerly, every kernel costs a trip through tfjs-node's binding and
// TensorFlow's eager runtime (measured 20–50 µs here, more than the
// arithmetic of most kernels of a small model). `GraphStep.run` records the
// TensorFlow ops one call of a step function executes (it runs eagerly, so
// that call's results are the eager ones), builds a GraphDef from them, loads
// it as a session through tfjs-node's SavedModel loader, checks that the
// session reproduces the recorded outputs, and from then on runs the step as
// one session call: TensorFlow's graph executor, Grappler's rewrites and
// oneDNN's graph kernels instead of one eager dispatch per kernel.
//
// What makes replay sound: a step function must be a pure function of the
// tensors it names as inputs. Every tensor the recorded ops read is either an
// input (a placeholder, fed each call), produced by an earlier recorded op,
// or a registered constant (`graphConstant`: uploaded once, never changed;
// its value is frozen into the graph). Anything else — a tensor uploaded
// inside the step (a dropout mask from the host RNG), a read back to the host,
// a stateful or random op — and the step is refused: it stays eager, with the
// reason kept for `graphSteps()`. A graph is recorded per input-shape
// signature (a short last batch gets its own).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { nativeBackend } from './kernels-native.js';
import { savedModelBytes, type GraphAttr, type GraphNode } from './tf-graph-proto.js';

interface TensorMeta {
  id: number;
  shape: number[];
  dtype: number;
}

interface RawAttr {
  name: string;
  type: number;
  value: unknown;
}

/** The parts of tfjs-node's binding and backend a recording uses (not in its public types). */
interface Binding {
  executeOp(name: string, attrs: RawAttr[], inputs: number[], outputs: number): TensorMeta[];
  tensorDataSync(id: number): ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
  loadSavedModel(dir: string, tags: string): number;
  runSavedModel(session: number, inputs: number[], inputNames: string, outputNames: string): TensorMeta[];
  deleteSavedModel(session: number): void;
  [key: string]: unknown;
}

interface NodeBackend {
  binding: Binding;
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  createOutputTensor(meta: TensorMeta): tf.Tensor;
}

/** Tensors whose values are frozen into recorded graphs: uploaded once, never changed. */
const constants = new Set<tf.Tensor>();

/** Registers `t` (returned) as a constant a recorded step may read; its value at recording time is baked into the graph. */
export function graphConstant<T extends tf.Tensor>(t: T): T {
  constants.add(t);
  return t;
}

/** `graphConstant` for every tensor of a record (the trainers' uploaded constants). */
export function graphConstants<T extends Record<string, tf.Tensor>>(record: T): T {
  for (const t of Object.values(record)) constants.add(t);
  return record;
}

/** The recording in progress: the backend whose binding is swapped, and its own binding. */
let recordingNow: { backend: NodeBackend; binding: Binding; recording: Binding; rng: unknown; feeds: Feed[]; refuse(why: string): void } | null = null;

/** A tensor drawn on the host inside the step (a dropout mask): fed as a placeholder, drawn again from the call's RNG for every replay. */
interface Feed {
  /** The drawn tensor's binding id in the recorded call. */
  id: number;
  /** A copy of the recorded call's draw (the step disposes its own), to check the loaded graph with; freed after. */
  copy: tf.Tensor | null;
  draw(rng: never): tf.Tensor;
  /** Its placeholder, or null when no recorded op read it (it is still drawn, so the RNG advances as eagerly). */
  placeholder: string | null;
}

/**
 * Marks `t`, just drawn from `rng` by `draw(rng)`, as a per-call feed of the
 * step being recorded (returned unchanged; a no-op outside a recording). A
 * replay calls `draw` again, in recorded order, with the RNG passed to
 * `GraphStep.run`: the same draws in the same order as an eager call makes.
 * Drawn from any other RNG, the step is refused.
 */
export function graphFeed<R, T extends tf.Tensor>(t: T, rng: R, draw: (rng: R) => T): T {
  const r = recordingNow;
  if (r === null) return t;
  if (rng !== r.rng) r.refuse('draws from a random generator that is not the one the step was given');
  const id = r.backend.getInputTensorIds([t])[0]!;
  r.feeds.push({ id, copy: unrecorded(() => t.clone()), draw: draw as (rng: never) => tf.Tensor, placeholder: null });
  return t;
}

/**
 * Runs `fn` outside any recording in progress: one-time work the runtime
 * does on first use (a probe of which kernels this TensorFlow has) belongs to
 * no step, so it must not be recorded into one.
 */
export function unrecorded<T>(fn: () => T): T {
  const r = recordingNow;
  if (r === null) return fn();
  r.backend.binding = r.binding;
  try {
    return fn();
  } finally {
    r.backend.binding = r.recording;
  }
}

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

interface Loaded {
  session: number;
  feeds: Feed[];
  inputNames: string;
  outputNames: string;
  status: GraphStepStatus;
}

const steps: GraphStep[] = [];

/** Every recorded signature of every step so far. */
export function graphSteps(): GraphStepStatus[] {
  return steps.flatMap((s) => s.statuses());
}

/** Graph steps are on unless NNC_GRAPH_STEP=0 (the eager kernels then run, one dispatch each); NNC_GRAPH_STEP=log also reports each recording on stderr. */
function enabled(): boolean {
  return typeof process === 'undefined' || process.env['NNC_GRAPH_STEP'] !== '0';
}

/** A step function run as one TensorFlow graph on tfjs-node once recorded; plain calls on other backends. */
export class GraphStep {
  private readonly recorded = new Map<string, Loaded | GraphStepStatus>();

  constructor(readonly name: string) {
    steps.push(this);
  }

  statuses(): GraphStepStatus[] {
    return [...this.recorded.values()].map((r) => ('status' in r ? r.status : r));
  }

  /**
   * `fn()`'s outputs, where `fn` reads only the tensors `inputsOf` lists
   * (asked for on tfjs-node only), registered constants and tensors it makes
   * from them, and tensors drawn from `rng` through `graphFeed`. Inputs are
   * not consumed; the outputs are new tensors the caller owns.
   */
  run(inputsOf: () => readonly tf.Tensor[], fn: () => tf.Tensor[], rng: unknown = null): tf.Tensor[] {
    const nb = nativeBackend();
    if (nb === null || !enabled()) return fn();
    const inputs = inputsOf();
    const backend = nb as unknown as NodeBackend;
    const signature = inputs.map((t) => `${t.dtype}[${t.shape.join(',')}]`).join(' ');
    const known = this.recorded.get(signature);
    if (known !== undefined) return 'session' in known ? replay(backend, known, inputs, rng) : fn();
    const { outputs, loaded } = record(backend, this.name, signature, inputs, fn, rng);
    this.recorded.set(signature, loaded);
    if (process.env['NNC_GRAPH_STEP'] === 'log') {
      const s = 'status' in loaded ? loaded.status : loaded;
      console.error(`graph step ${s.step} (${s.signature}): ${s.graph ? `${s.ops} TensorFlow ops as one graph` : `eager, ${s.refused}`}`);
    }
    return outputs;
  }

  /** Closes every session (the trainer is done). */
  dispose(): void {
    const nb = nativeBackend();
    for (const r of this.recorded.values()) if ('session' in r && nb !== null) (nb as unknown as NodeBackend).binding.deleteSavedModel(r.session);
    this.recorded.clear();
  }
}

function replay(backend: NodeBackend, g: Loaded, inputs: readonly tf.Tensor[], rng: unknown): tf.Tensor[] {
  const drawn = g.feeds.map((f) => f.draw(rng as never));
  try {
    const fed = drawn.filter((_, k) => g.feeds[k]!.placeholder !== null);
    const metas = backend.binding.runSavedModel(g.session, backend.getInputTensorIds([...inputs, ...fed]), g.inputNames, g.outputNames);
    return metas.map((m) => backend.createOutputTensor(m));
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

function record(
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
  const nodes: GraphNode[] = [];
  const names = new Map<number, string>();
  const inputIds = backend.getInputTensorIds([...inputs]);
  inputs.forEach((t, i) => {
    if (!names.has(inputIds[i]!)) names.set(inputIds[i]!, `input_${i}`);
  });
  /** Tensors the recorded ops read that they did not make, with the first op that read each. */
  const captured = new Map<number, string>();
  let refused: string | null = null;
  const refuse = (why: string) => (refused ??= why);

  // A copy, not a patch: the binding's own properties are read-only.
  const recording = {} as Binding;
  for (const key of Object.getOwnPropertyNames(binding)) {
    const v = binding[key];
    recording[key] = typeof v === 'function' ? (...a: unknown[]) => (v as (...x: unknown[]) => unknown).apply(binding, a) : v;
  }
  recording.executeOp = (name, attrs, ids, count) => {
    const out = binding.executeOp(name, attrs, ids, count);
    if (STATEFUL.test(name)) refuse(`runs ${name}, which a replay could not repeat`);
    const attr: Record<string, GraphAttr> = {};
    for (const a of attrs) {
      const g = graphAttr(binding, a);
      if (g === null) refuse(`${name}: attribute ${a.name} has a type a graph cannot hold here`);
      else attr[a.name] = g;
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
  };
  recording.tensorDataSync = (id) => {
    const after = nodes.length > 0 ? ` (after ${nodes.length} ops, the last ${nodes[nodes.length - 1]!.op})` : '';
    refuse(`reads a tensor back to the host inside the step${after}`);
    return binding.tensorDataSync(id);
  };
  backend.binding = recording;
  const feeds: Feed[] = [];
  recordingNow = { backend, binding, recording, rng, feeds, refuse };
  let outputs: tf.Tensor[];
  try {
    outputs = fn();
  } finally {
    backend.binding = binding;
    recordingNow = null;
  }
  try {
    return { outputs, loaded: build(backend, step, status, inputs, outputs, nodes, names, captured, feeds, refused) };
  } finally {
    for (const f of feeds) f.copy?.dispose();
    for (const f of feeds) f.copy = null;
  }
}

/** The graph of a finished recording, loaded and checked, or why not. */
function build(
  backend: NodeBackend,
  step: string,
  status: (refused: string | null, ops?: readonly GraphNode[]) => GraphStepStatus,
  inputs: readonly tf.Tensor[],
  outputs: readonly tf.Tensor[],
  nodes: readonly GraphNode[],
  names: ReadonlyMap<number, string>,
  captured: ReadonlyMap<number, string>,
  feeds: Feed[],
  refused: string | null,
): Loaded | GraphStepStatus {
  const binding = backend.binding;
  if (refused !== null) return status(refused);
  if (inputs.some((t) => t.isDisposed)) throw new Error(`graph step ${step}: the step function disposed one of its inputs`);

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
  const placeholders: GraphNode[] = [];
  for (const [i, t] of inputs.entries()) {
    const dtype = dataType(binding, t.dtype);
    if (dtype === null) return status(`input ${i} has dtype ${t.dtype}`);
    placeholders.push({ name: `input_${i}`, op: 'Placeholder', input: [], attr: { dtype: { kind: 'type', value: dtype }, shape: { kind: 'shape', value: t.shape } } });
  }
  const fedCopies = feeds.filter((f) => f.placeholder !== null).map((f) => f.copy!);
  for (const f of feeds) {
    const t = f.copy!;
    if (f.placeholder !== null) placeholders.push({ name: f.placeholder, op: 'Placeholder', input: [], attr: { dtype: { kind: 'type', value: dataType(binding, t.dtype)! }, shape: { kind: 'shape', value: t.shape } } });
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
    inputNames: [...inputs.map((_, i) => `input_${i}:0`), ...feeds.flatMap((f) => (f.placeholder === null ? [] : [`${f.placeholder}:0`]))].join(','),
    outputNames: outputNames.join(','),
    status: status(null, nodes),
  };
  const mismatch = compare(backend, loaded, [...inputs, ...fedCopies], outputs);
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
    replayed = backend.binding.runSavedModel(g.session, backend.getInputTensorIds([...inputs]), g.inputNames, g.outputNames).map((m) => backend.createOutputTensor(m));
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
