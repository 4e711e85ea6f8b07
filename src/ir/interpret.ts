// Runs a graph by executing, for each node, the very expression its op's
// lowering produces (compiled once per distinct expression). Gradient checks
// and the compiler's own tests therefore exercise the code the emitter emits.
import * as tf from '@tensorflow/tfjs-core';
import * as rt from '../runtime/kernels.js';
import { Rng } from '../runtime/rng.js';
import { OPS } from '../ops/registry.js';
import type { LowerContext } from '../ops/op.js';
import type { Graph, Node, ValueId } from './types.js';
import { formatType } from './shapes.js';

export interface RunOptions {
  /** Whether stochastic ops (dropout) are active. */
  training: boolean;
  /** The generator dropout masks draw from; default: new Rng(0). */
  rng?: Rng;
  /**
   * Check each node against its contract: exactly one new tensor (no leaked
   * temporaries), and the dtype and static sizes the shape rule promised.
   */
  verify?: boolean;
  /** The step size a step-scaled graph's loss gradient carries (src/passes/fold-step.ts); default 1: the true gradients. */
  stepSize?: number;
}

type Kernel = (tfNs: typeof tf, rtNs: typeof rt, training: boolean, rng: Rng, stepSize: number, ...args: tf.Tensor[]) => tf.Tensor;

/** The names the compiled expressions see (the emitter uses the same for training/rng). */
const CTX: LowerContext = { training: 'training', rng: 'rng', stepSize: 'stepSize' };
const compiled = new Map<string, Kernel>();

/** The lowering contract's one TypeScript-only form: a rank cast, `x as tf.Tensor4D`. */
const RANK_CAST = / as tf\.Tensor[1-6]D\b/g;

/** Compiles a lowering expression over `a0, a1, …` once; later calls hit the cache. */
export function compileLowering(expr: string, arity: number): Kernel {
  const key = `${arity}|${expr}`;
  let fn = compiled.get(key);
  if (!fn) {
    const params = ['tf', 'rt', 'training', 'rng', 'stepSize', ...Array.from({ length: arity }, (_, i) => `a${i}`)];
    fn = new Function(...params, `return (${expr.replace(RANK_CAST, '')});`) as Kernel;
    compiled.set(key, fn);
  }
  return fn;
}

/** The expression a node runs as (arguments named a0, a1, …). */
export function nodeExpression(node: Node): string {
  return OPS[node.op].lower(node.inputs.map((_, i) => `a${i}`), node, CTX);
}

/** The nodes `wanted` depends on, stopping at fed values. */
function neededNodes(graph: Graph, feeds: ReadonlyMap<ValueId, tf.Tensor>, wanted: readonly ValueId[]): Set<ValueId> {
  const needed = new Set<ValueId>();
  const stack = [...wanted];
  while (stack.length) {
    const id = stack.pop()!;
    if (needed.has(id)) continue;
    if (!graph.nodes[id]) throw new Error(`runGraph: no node %${id}`);
    needed.add(id);
    if (!feeds.has(id)) stack.push(...graph.nodes[id]!.inputs);
  }
  return needed;
}

/**
 * The node's contract: one new tensor (checked by the caller), the promised
 * dtype and static sizes, and each symbol (e.g. `batch`) one size throughout
 * the run, fed values included.
 */
function verifyType(node: Node, result: tf.Tensor, symbols: Map<string, number>): void {
  const dtype = node.type.dtype === 'f32' ? 'float32' : 'int32';
  const shapeOk =
    result.rank === node.type.shape.length &&
    node.type.shape.every((d, i) => {
      if (typeof d === 'number') return d === result.shape[i];
      const seen = symbols.get(d);
      if (seen === undefined) symbols.set(d, result.shape[i]!);
      return seen === undefined || seen === result.shape[i];
    });
  if (result.dtype !== dtype || !shapeOk) {
    throw new Error(`%${node.id} = ${node.op} → ${formatType(node.type)}: got ${result.dtype}[${result.shape.join(', ')}]`);
  }
}

/**
 * Evaluates `wanted` given `feeds` (every input and param the result depends
 * on; any other node may be fed too, which cuts the graph there). Intermediate
 * tensors are disposed as soon as their last consumer has run. The caller owns
 * the returned tensors, except that a wanted value which was fed is returned
 * as the feed itself.
 */
export function runGraph(graph: Graph, feeds: ReadonlyMap<ValueId, tf.Tensor>, wanted: readonly ValueId[], opts: RunOptions): tf.Tensor[] {
  const needed = neededNodes(graph, feeds, wanted);
  const usesLeft = new Map<ValueId, number>();
  for (const id of needed) {
    if (feeds.has(id)) continue;
    for (const i of graph.nodes[id]!.inputs) usesLeft.set(i, (usesLeft.get(i) ?? 0) + 1);
  }
  const keep = new Set(wanted);
  const values = new Map<ValueId, tf.Tensor>();
  const rng = opts.rng ?? new Rng(0);
  const symbols = new Map<string, number>();
  try {
    for (const node of graph.nodes) {
      if (!needed.has(node.id)) continue;
      const fed = feeds.get(node.id);
      if (fed) {
        if (opts.verify) verifyType(node, fed, symbols);
        values.set(node.id, fed);
        continue;
      }
      if (node.op === 'input' || node.op === 'param') {
        throw new Error(`runGraph: no value fed for ${node.op} %${node.id} ${String(node.attrs['name'] ?? '')}`.trimEnd());
      }
      const args = node.inputs.map((i) => values.get(i)!);
      const kernel = compileLowering(nodeExpression(node), args.length);
      const before = opts.verify ? tf.memory().numTensors - rt.heldTensors() : 0;
      const result = kernel(tf, rt, opts.training, rng, opts.stepSize ?? 1, ...args);
      if (opts.verify) {
        // Tensors the runtime keeps for later (cached constants, a loss gradient for the backward pass) are not the node's.
        const created = tf.memory().numTensors - rt.heldTensors() - before;
        if (created !== 1) throw new Error(`%${node.id} = ${node.op}: lowering left ${created} new tensors, expected exactly 1`);
        verifyType(node, result, symbols);
      }
      values.set(node.id, result);
      for (const i of node.inputs) {
        const left = usesLeft.get(i)! - 1;
        usesLeft.set(i, left);
        if (left === 0 && !keep.has(i) && !feeds.has(i)) values.get(i)!.dispose();
      }
    }
    return wanted.map((id) => values.get(id)!);
  } catch (e) {
    for (const [id, t] of values) if (!feeds.has(id)) t.dispose();
    throw e;
  }
}
