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
// tensors it names as inputs and of its rng's draws. Every tensor the
// recorded ops read is either an input (a placeholder, fed each call),
// produced by an earlier recorded op, a registered constant (`graphConstant`:
// uploaded once, never changed; its value is frozen into the graph) or a feed
// (`graphFeed`: drawn on the host from the step's rng, e.g. a dropout mask;
// a replay draws it again, in recorded order). Anything else — another tensor
// uploaded inside the step, a read back to the host, a stateful or random
// op — and the step is refused: it stays eager, with the reason kept for
// `graphSteps()`. A graph is recorded per input-shape signature (a short last
// batch gets its own).
import * as tf from '@tensorflow/tfjs-core';
import { nativeBackend } from './kernels-native.js';
import type { NodeBackend } from './graph-capture.js';
import { record, replay, type GraphStepStatus, type Loaded } from './graph-record.js';

export { graphConstant, graphConstants, graphFeed, unrecorded } from './graph-capture.js';
export type { GraphStepStatus } from './graph-record.js';

const steps: GraphStep[] = [];

/** Every recorded signature of every step so far. */
export function graphSteps(): GraphStepStatus[] {
  return steps.flatMap((s) => s.statuses());
}

/** Graph steps are on unless NNC_GRAPH_STEP=0 (the eager kernels then run, one dispatch each); NNC_GRAPH_STEP=log also reports each recording on stderr. */
function enabled(): boolean {
  return process.env['NNC_GRAPH_STEP'] !== '0';
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

