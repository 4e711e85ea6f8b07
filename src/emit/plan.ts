// The step plan: which nodes the generated `forward` and `backward` compute,
// what each is called, its tfjs expression, and where each tensor dies.
//
// Memory plan: a tensor is disposed right after the statement that reads it
// last. Forward values that `backward` reads (saved activations, masks) are
// handed over in the `Forward` record and disposed by `backward` at their last
// backward use; the loss and the prediction belong to the caller. Scalar
// constants are hoisted out of the step (uploaded once). A node whose lowering
// is just one of its arguments (an identity) is an alias, not a new tensor.
import type { Node, ParamInfo, TrainingGraph, ValueId } from '../ir/types.js';
import type { LowerContext } from '../ops/op.js';
import { OPS } from '../ops/registry.js';
import { constantName, NameTable } from './names.js';

export const LOWER_CONTEXT: LowerContext = { training: 'training', rng: 'rng', stepSize: 'stepSize' };

/** One `const name = expr;` of the generated forward or backward function. */
export interface PlannedStatement {
  node: Node;
  name: string;
  expr: string;
  /** Tensors (by identifier) whose last use is this statement. */
  disposeAfter: string[];
}

export interface HoistedConstant {
  name: string;
  expr: string;
  value: number | null;
}

export interface PlannedGrad {
  param: ParamInfo;
  /** The parameter's identifier in `Params`/`Grads` (e.g. `h_weight`). */
  field: string;
  /** The expression `backward` returns for it. */
  expr: string;
}

/** A state parameter's new value after a training step (batch_norm's running statistics). */
export interface PlannedUpdate {
  param: ParamInfo;
  /** The parameter's identifier in `Params`. */
  field: string;
  /** The `Forward` field (and forward statement) holding the new value. */
  name: string;
}

export interface StepPlan {
  /** Identifier of each parameter (`Params` field), in `ParamInfo` order. */
  paramFields: Map<string, string>;
  /** Identifier of each model input (`Batch` field), in graph order. */
  inputFields: Map<string, string>;
  constants: HoistedConstant[];
  forward: PlannedStatement[];
  backward: PlannedStatement[];
  /** Forward values `backward` reads, by identifier (handed over in `Forward`). */
  saved: string[];
  /** What `forward` hands on as `loss`: the scalar loss, or the per-example losses whose mean it is (see `lossPerExample`). */
  loss: string;
  /**
   * True when the loss is the mean of a per-example vector and nothing else
   * reads that mean: `forward` hands on the vector and the host averages it when
   * it reads the loss back (a kernel fewer per step; the backward pass never
   * reads the mean's value, only its 1/B).
   */
  lossPerExample: boolean;
  prediction: string;
  grads: PlannedGrad[];
  /** New values of state parameters, handed over in `Forward`; the training step assigns them. */
  updates: PlannedUpdate[];
  /** True when some forward expression uses the trainer's random generator. */
  usesRng: boolean;
}

const LEAVES = new Set(['input', 'param', 'const']);

export function planStep(tg: TrainingGraph): StepPlan {
  const nodes = tg.graph.nodes;
  const names = new NameTable();
  const prediction = tg.outputs['prediction'] ?? tg.loss;

  // Leaves: parameters and inputs are fields of records; constants are hoisted.
  const paramFields = new Map<string, string>();
  for (const p of tg.params) paramFields.set(p.name, names.claim(p.name));
  const inputFields = new Map<string, string>();
  for (const i of tg.inputs) inputFields.set(i.name, names.claim(i.name));

  // Binding names for named outputs (the first binding of a value wins).
  const bindingOf = new Map<ValueId, string>();
  for (const [binding, id] of Object.entries(tg.outputs)) {
    if (binding !== 'prediction' && !bindingOf.has(id)) bindingOf.set(id, binding);
  }
  const updateIds = Object.entries(tg.updates ?? {});
  for (const [param, id] of updateIds) if (!bindingOf.has(id)) bindingOf.set(id, `next_${paramFields.get(param) ?? param}`);

  const ref = new Map<ValueId, string>(); // the expression naming each value
  const root = new Map<ValueId, ValueId>(); // the tensor a value really is (aliases resolved)
  const constants: HoistedConstant[] = [];
  const constantByExpr = new Map<string, string>();

  // The gradient each backward value is (the first parameter's, when shared), for naming.
  const gradOf = new Map<ValueId, string>();
  for (const [param, g] of Object.entries(tg.grads)) if (!gradOf.has(g)) gradOf.set(g, param);

  const handed = handedLoss(tg, prediction);
  const needed = handed.needed;
  const statements = new Map<ValueId, PlannedStatement>();
  for (const node of nodes) {
    if (!needed.has(node.id)) continue;
    if (node.op === 'param') {
      const field = paramFields.get(String(node.attrs['name'])) ?? names.claim(String(node.attrs['name']));
      ref.set(node.id, `params.${field}`);
    } else if (node.op === 'input') {
      const field = inputFields.get(String(node.attrs['name'])) ?? names.claim(String(node.attrs['name']));
      ref.set(node.id, `batch.${field}`);
    } else if (node.op === 'const') {
      const expr = OPS.const.lower([], node, LOWER_CONTEXT);
      let name = constantByExpr.get(expr);
      if (name === undefined) {
        const value = typeof node.attrs['value'] === 'number' ? node.attrs['value'] : null;
        name = names.claim(value === null ? `k${node.id}` : constantName(value, node.type.dtype));
        constantByExpr.set(expr, name);
        constants.push({ name, expr, value });
      }
      ref.set(node.id, `K.${name}`);
    }
    if (LEAVES.has(node.op)) {
      root.set(node.id, node.id);
      continue;
    }
    const args = node.inputs.map((i) => refOf(ref, i));
    const expr = OPS[node.op].lower(args, node, LOWER_CONTEXT);
    const aliased = node.inputs.find((i) => refOf(ref, i) === expr);
    if (aliased !== undefined) {
      ref.set(node.id, expr);
      root.set(node.id, root.get(aliased) ?? aliased);
      continue;
    }
    const name = names.claim(valueName(node, bindingOf, gradOf), node.id);
    ref.set(node.id, name);
    root.set(node.id, node.id);
    statements.set(node.id, { node, name, expr, disposeAfter: [] });
  }

  const forward = [...statements.values()].filter((s) => s.node.origin.phase === 'forward');
  const backward = [...statements.values()].filter((s) => s.node.origin.phase !== 'forward');
  const rootOf = (id: ValueId) => root.get(id) ?? id;
  // The new values of state parameters outlive the step: the caller owns them like the loss.
  const callerOwned = new Set([rootOf(handed.id), rootOf(prediction), ...updateIds.map(([, id]) => rootOf(id))]);

  // Forward values read by backward are handed over, not disposed in forward.
  const saved = new Set<ValueId>();
  for (const s of backward) {
    for (const i of s.node.inputs) {
      const r = rootOf(i);
      if (statements.get(r)?.node.origin.phase === 'forward') saved.add(r);
    }
  }
  const savedIds = [...saved].sort((a, b) => a - b);
  const gradRoots = new Set(Object.values(tg.grads).map(rootOf));

  planDisposal(forward, statements, rootOf, new Set([...callerOwned, ...savedIds]));
  planDisposal(backward, statements, rootOf, new Set([...callerOwned, ...gradRoots]), savedIds);

  const grads: PlannedGrad[] = [];
  const returned = new Set<ValueId>();
  for (const p of tg.params) {
    const g = tg.grads[p.name];
    if (g === undefined) continue;
    const r = rootOf(g);
    const st = statements.get(r);
    // A gradient that is not a fresh backward tensor (or is returned twice) is cloned, so
    // the optimizer may dispose every gradient it receives.
    const fresh = st !== undefined && st.node.origin.phase !== 'forward' && !returned.has(r);
    returned.add(r);
    grads.push({ param: p, field: paramFields.get(p.name)!, expr: fresh ? st.name : `tf.clone(${refOf(ref, g)})` });
  }

  return {
    paramFields,
    inputFields,
    constants,
    forward,
    backward,
    saved: savedIds.map((id) => statements.get(id)!.name),
    loss: refOf(ref, handed.id),
    lossPerExample: handed.perExample,
    prediction: refOf(ref, prediction),
    grads,
    updates: updateIds.map(([param, id]) => ({ param: tg.params.find((p) => p.name === param)!, field: paramFields.get(param)!, name: refOf(ref, id) })),
    usesRng: forward.some((s) => /\brng\b/.test(s.expr)),
  };
}

function refOf(ref: Map<ValueId, string>, id: ValueId): string {
  const r = ref.get(id);
  if (r === undefined) throw new Error(`internal: value %${id} is used before it is defined`);
  return r;
}

/**
 * The loss value `forward` hands on — the per-example vector under a batch
 * mean nothing else reads, else the loss — and the nodes the step needs with it.
 */
function handedLoss(tg: TrainingGraph, prediction: ValueId): { id: ValueId; perExample: boolean; needed: Set<ValueId> } {
  const loss = tg.graph.nodes[tg.loss]!;
  const x = loss.inputs[0];
  if (loss.op !== 'mean' || x === undefined || tg.graph.nodes[x]!.type.shape.length !== 1 || prediction === tg.loss) {
    return { id: tg.loss, perExample: false, needed: neededNodes(tg, prediction, tg.loss) };
  }
  // Without the mean, unless something else reads it (then that set already holds the mean: the loss's own set).
  const needed = neededNodes(tg, prediction, x);
  if (!needed.has(tg.loss)) return { id: x, perExample: true, needed };
  return { id: tg.loss, perExample: false, needed };
}

/** Nodes the training step needs: everything the handed-on loss, the prediction and the gradients depend on. */
function neededNodes(tg: TrainingGraph, prediction: ValueId, loss: ValueId): Set<ValueId> {
  const needed = new Set<ValueId>();
  const stack = [loss, prediction, ...Object.values(tg.grads), ...Object.values(tg.updates ?? {})];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (needed.has(id)) continue;
    needed.add(id);
    for (const i of tg.graph.nodes[id]!.inputs) stack.push(i);
  }
  return needed;
}

/** Forward values: their binding name where they have one, else `t<id>`; backward values: `d<id>` or a label. */
function valueName(node: Node, bindingOf: Map<ValueId, string>, gradOf: Map<ValueId, string>): string {
  const binding = bindingOf.get(node.id);
  if (binding !== undefined && node.origin.phase === 'forward') return binding;
  if (node.origin.phase === 'forward') return `t${node.id}`;
  const param = gradOf.get(node.id);
  return param === undefined ? `d${node.id}` : `d_${param}`;
}

/**
 * Fills `disposeAfter`: each tensor created in `list` (and each of `handedOver`, created
 * elsewhere) dies after the statement that reads it last, unless it is `kept`.
 */
function planDisposal(
  list: PlannedStatement[],
  statements: Map<ValueId, PlannedStatement>,
  rootOf: (id: ValueId) => ValueId,
  kept: Set<ValueId>,
  handedOver: readonly ValueId[] = [],
): void {
  const lastUse = new Map<ValueId, number>();
  list.forEach((s, index) => {
    for (const i of s.node.inputs) {
      const r = rootOf(i);
      if (statements.has(r)) lastUse.set(r, index);
    }
  });
  const owned = new Set<ValueId>([...list.map((s) => s.node.id), ...handedOver]);
  for (const id of owned) {
    if (kept.has(id)) continue;
    const at = lastUse.get(id);
    // A value nobody reads (only possible for a handed-over one) dies at once.
    const index = at ?? list.findIndex((s) => s.node.id === id);
    if (index < 0) continue;
    list[index]!.disposeAfter.push(statements.get(id)!.name);
  }
  for (const s of list) s.disposeAfter.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
