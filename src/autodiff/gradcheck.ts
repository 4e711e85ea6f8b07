// Whole-model gradient check: on a random batch and random parameters, the
// compiled gradient of every trainable parameter (the backward nodes, run by
// runGraph) against
//   (a) tfjs's own tf.grads of the same forward (also run by runGraph, so
//       tfjs differentiates the very kernels the trainer executes), and
//   (b) central finite differences of the loss on a sample of coordinates.
// Dropout masks are drawn once and fed as fixed values, so all three
// computations see the same mask.
// tfjs and the interpreter are loaded on first use, so that importing this
// module (e.g. by the CLI) does not load TensorFlow.js.
import type * as Tf from '@tensorflow/tfjs';
import { instantiate } from '../ir/shapes.js';
import type { GraphInput, Node, TrainingGraph, ValueId } from '../ir/types.js';
import { Rng } from '../runtime/rng.js';

export interface GradcheckOptions {
  seed: number;
  /** Size of the symbolic batch axis. */
  batch: number;
  /**
   * Finite-difference steps, tried in order per coordinate (default [1e-3, 1e-2]). A step is used where
   * central differences at it and at half of it agree (within half of `fdTol`): where they disagree, a kink
   * lies inside the step or float32 round-off dominates it. Small steps get between kinks (a conv weight
   * moves every ReLU and max-pool window of its layer at once); large ones keep round-off small (a loss
   * near 0.7 with small gradients needs 1e-2). A coordinate no step resolves is skipped and counted.
   */
  eps?: number | readonly number[];
  /** Largest relative error against tf.grads that passes (default 1e-4). */
  tol?: number;
  /** Largest relative error against finite differences that passes (default 2e-2: float32 loss). */
  fdTol?: number;
  /** Coordinates per parameter checked by finite differences (default 6). */
  samples?: number;
  /** Class count for integer labels; default: the logits' last dimension where the labels are used. */
  classes?: number;
}

export interface GradcheckRow {
  param: string;
  shape: number[];
  /** max |compiled - tf.grads| over the parameter's elements (NaN without a reference). */
  maxAbsError: number;
  /** maxAbsError / max |tf.grads| (absolute when the gradient is ~0). */
  relError: number;
  /** Why tfjs could not differentiate the forward (then only finite differences decide). */
  referenceError?: string;
  /** max |compiled - finite difference| / max |tf.grads|, over the sampled coordinates. */
  fdRelError: number;
  /** Coordinates compared with finite differences, and how many were skipped as non-smooth there. */
  fdChecked: number;
  fdSkipped: number;
  pass: boolean;
}

/** Below this, a gradient's scale is treated as zero and errors are absolute. */
const TINY = 1e-6;

/** The range [0, n) of integer labels or ids `id`: from the op that consumes them. */
export function classCount(tg: TrainingGraph, id: ValueId, explicit: number | undefined): number {
  // A text input's token ids range over its vocabulary, whatever the target's classes.
  const vocab = tg.graph.nodes[id]!.attrs['vocab'];
  if (typeof vocab === 'number') return vocab;
  if (explicit !== undefined) return explicit;
  for (const n of tg.graph.nodes) {
    if (!n.inputs.includes(id)) continue;
    if (n.op === 'softmax_cross_entropy' || n.op === 'softmax_cross_entropy_grad') {
      const c = tg.graph.nodes[n.inputs[0]!]!.type.shape.at(-1);
      if (typeof c === 'number') return c;
    }
    if (n.op === 'one_hot' && typeof n.attrs['depth'] === 'number') return n.attrs['depth'];
    // Token ids index an embedding table: any row of it.
    if (n.op === 'gather' && n.inputs[1] === id) {
      const rows = tg.graph.nodes[n.inputs[0]!]!.type.shape[0];
      if (typeof rows === 'number') return rows;
    }
  }
  return 2;
}

function consumers(tg: TrainingGraph, id: ValueId): Node[] {
  return tg.graph.nodes.filter((n) => n.inputs.includes(id));
}

function randomInput(tf: typeof Tf, tg: TrainingGraph, input: GraphInput, opts: GradcheckOptions, rng: Rng): Tf.Tensor {
  const shape = instantiate(input.type.shape, { batch: opts.batch });
  const size = shape.reduce((a, b) => a * b, 1);
  if (input.type.dtype === 'i32') {
    const classes = classCount(tg, input.id, opts.classes);
    return tf.tensor(Array.from({ length: size }, () => rng.int(classes)), shape, 'int32');
  }
  const binary = input.role === 'target' && consumers(tg, input.id).some((n) => n.op.startsWith('sigmoid_cross_entropy'));
  const draw = binary ? () => rng.int(2) : input.role === 'target' ? () => rng.uniform() : () => rng.normal();
  return tf.tensor(Array.from({ length: size }, draw), shape, 'float32');
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
}

/** Distinct coordinates, chosen by the seeded generator. */
function sampleCoordinates(size: number, count: number, rng: Rng): number[] {
  if (size <= count) return [...Array(size).keys()];
  const picked = new Set<number>();
  while (picked.size < count) picked.add(rng.int(size));
  return [...picked].sort((a, b) => a - b);
}

/** The central difference at the first step where it agrees with the one at half the step; null if none does. */
function smoothDifference(
  fdAt: (i: number, h: number) => number,
  i: number,
  steps: readonly number[],
  agree: (coarse: number, fine: number) => boolean,
): number | null {
  for (const h of steps) {
    const fine = fdAt(i, h / 2);
    if (agree(fdAt(i, h), fine)) return fine;
  }
  return null;
}

export async function gradcheck(tg: TrainingGraph, opts: GradcheckOptions): Promise<GradcheckRow[]> {
  const steps = opts.eps === undefined ? [1e-3, 1e-2] : typeof opts.eps === 'number' ? [opts.eps] : opts.eps;
  const tol = opts.tol ?? 1e-4;
  const fdTol = opts.fdTol ?? 2e-2;
  const samples = opts.samples ?? 6;
  const rng = new Rng(opts.seed);
  const graph = tg.graph;
  const tf = await import('@tensorflow/tfjs');
  const { runGraph } = await import('../ir/interpret.js');

  const checked = tg.params.filter((p) => tg.grads[p.name] !== undefined);
  const feeds = new Map<ValueId, Tf.Tensor>();
  for (const input of tg.inputs) feeds.set(input.id, randomInput(tf, tg, input, opts, rng));
  const paramValues = new Map<ValueId, Tf.Tensor>();
  for (const p of tg.params) {
    const scale = Math.sqrt(2 / Math.max(1, p.init.fanIn + p.init.fanOut));
    const shape = p.type.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    paramValues.set(p.id, tf.tensor(Array.from({ length: size }, () => rng.normal(0, scale)), shape, 'float32'));
  }
  for (const [id, t] of paramValues) feeds.set(id, t);

  // Draw each dropout mask once (training mode) and feed it from then on.
  const masks = graph.nodes.filter((n) => n.op === 'dropout_mask').map((n) => n.id);
  const runOpts = { training: true, rng: new Rng(opts.seed + 1) };
  if (masks.length > 0) runGraph(graph, feeds, masks, runOpts).forEach((t, k) => feeds.set(masks[k]!, t));

  const withParams = (replaced: ReadonlyMap<ValueId, Tf.Tensor>) => {
    const m = new Map(feeds);
    for (const [id, t] of replaced) m.set(id, t);
    return m;
  };
  const lossAt = (replaced: ReadonlyMap<ValueId, Tf.Tensor>): number => {
    const [loss] = runGraph(graph, withParams(replaced), [tg.loss], runOpts);
    const v = loss!.dataSync()[0]!;
    loss!.dispose();
    return v;
  };

  const compiled = runGraph(graph, feeds, checked.map((p) => tg.grads[p.name]!), runOpts);
  // tfjs may lack a gradient for a kernel some lowering uses; then the finite
  // differences alone decide, and the row says why.
  let reference: Tf.Tensor[] | null = null;
  let referenceError: string | undefined;
  try {
    reference = tf.grads((...ps: Tf.Tensor[]) => {
      const replaced = new Map(checked.map((p, k) => [p.id, ps[k]!] as const));
      return runGraph(graph, withParams(replaced), [tg.loss], runOpts)[0]!;
    })(checked.map((p) => paramValues.get(p.id)!));
  } catch (e) {
    referenceError = e instanceof Error ? e.message : String(e);
  }

  const rows = checked.map((p, k): GradcheckRow => {
    const ours = compiled[k]!.dataSync();
    const ref = reference ? reference[k]!.dataSync() : null;
    const scale = Math.max(maxAbs(ref ?? ours), TINY);
    const maxAbsError = ref ? maxAbs(Array.from(ours, (v, i) => v - ref[i]!)) : NaN;

    // Central differences at eps and eps/2: where they disagree, a kink (relu) or
    // round-off dominates and the coordinate says nothing; skip it.
    const base = paramValues.get(p.id)!;
    const values = base.dataSync() as Float32Array;
    const fdAt = (i: number, h: number) => {
      const at = (delta: number) => {
        const v = values.slice();
        v[i] = v[i]! + delta;
        const t = tf.tensor(v, base.shape, 'float32');
        const f = lossAt(new Map([[p.id, t]]));
        t.dispose();
        return f;
      };
      return (at(h) - at(-h)) / (2 * h);
    };
    let fdError = 0;
    let fdChecked = 0;
    let fdSkipped = 0;
    for (const i of sampleCoordinates(values.length, samples, rng)) {
      const fine = smoothDifference(fdAt, i, steps, (coarse, fine) => Math.abs(coarse - fine) <= (fdTol / 2) * Math.max(scale, Math.abs(fine)));
      if (fine === null) {
        fdSkipped++;
        continue;
      }
      fdChecked++;
      fdError = Math.max(fdError, Math.abs(fine - ours[i]!));
    }
    const relError = maxAbsError / scale;
    const fdRelError = fdError / scale;
    const fdPass = fdRelError <= fdTol;
    const row: GradcheckRow = {
      param: p.name,
      shape: p.type.shape as number[],
      maxAbsError,
      relError,
      fdRelError,
      fdChecked,
      fdSkipped,
      pass: ref ? relError <= tol && fdPass : fdChecked > 0 && fdPass,
    };
    if (referenceError !== undefined) row.referenceError = referenceError;
    return row;
  });

  tf.dispose([...compiled, ...(reference ?? []), ...feeds.values()]);
  return rows;
}

function fmt(x: number): string {
  if (Number.isNaN(x)) return 'n/a';
  return x === 0 ? '0' : x.toExponential(2);
}

/** A fixed-width table, one row per parameter, for `nnc gradcheck`. */
export function formatGradcheckTable(rows: readonly GradcheckRow[]): string {
  const header = ['parameter', 'shape', 'max abs err', 'rel err (tf.grad)', 'rel err (finite diff)', 'result'];
  const body = rows.map((r) => [
    r.param,
    `[${r.shape.join(', ')}]`,
    fmt(r.maxAbsError),
    fmt(r.relError),
    r.fdChecked === 0 ? `n/a (${r.fdSkipped} skipped)` : `${fmt(r.fdRelError)} (${r.fdChecked} pts${r.fdSkipped > 0 ? `, ${r.fdSkipped} skipped` : ''})`,
    r.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  const notes = [...new Set(rows.flatMap((r) => (r.referenceError ? [r.referenceError] : [])))];
  const footer = notes.map((n) => `note: tf.grad could not differentiate the forward (${n}); finite differences alone decide`);
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), ...footer].join('\n');
}
