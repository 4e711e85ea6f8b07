// The graph IR: an SSA list of nodes in topological order, one output each.
// Forward, backward and (later) update nodes are all ordinary nodes; `origin`
// says which phase made a node and which `.nn` span it came from.
import type { Span } from '../syntax/ast.js';
import type { OpKind } from '../ops/kinds.js';

export type DType = 'f32' | 'i32';

/** A dimension: a size, or a symbol (`batch` is the implicit leading batch axis). */
export type Dim = number | string;

export interface TensorType {
  dtype: DType;
  shape: Dim[];
}

export type ValueId = number;

export type AttrValue = number | string | boolean | null | readonly (number | string)[];
export type Attrs = Readonly<Record<string, AttrValue>>;

export type Phase = 'forward' | 'backward';

export interface Origin {
  phase: Phase;
  /** The `.nn` source this node came from (for backward nodes: the forward node's span). */
  span: Span | null;
  /** For backward nodes: the forward node whose VJP produced it. */
  of: ValueId | null;
  /** A short human label, e.g. the layer binding `h` or `d h.weight`. */
  label: string | null;
}

export interface Node {
  /** Equals the node's index in `Graph.nodes`. */
  id: ValueId;
  op: OpKind;
  inputs: ValueId[];
  attrs: Attrs;
  type: TensorType;
  origin: Origin;
}

export interface Graph {
  nodes: Node[];
}

/** Parameter initialisers (seeded in the generated program). */
export type InitKind =
  | 'zeros'
  | 'ones'
  | 'constant'
  | 'normal'
  | 'uniform'
  | 'glorot_uniform'
  | 'glorot_normal'
  | 'he_uniform'
  | 'he_normal'
  | 'lecun_normal';

export interface InitSpec {
  kind: InitKind;
  /** constant value, normal stddev, uniform limit: whichever the kind takes. */
  value?: number;
  fanIn: number;
  fanOut: number;
}

export interface ParamInfo {
  /** Stable dotted name, e.g. `h.weight`. */
  name: string;
  id: ValueId;
  type: TensorType;
  init: InitSpec;
  trainable: boolean;
  lrScale: number;
  decayScale: number;
  span: Span | null;
  /**
   * A running statistic (batch_norm's moving mean and variance): model state,
   * not a parameter to train. Never trainable (no gradient, no optimizer
   * state); saved in checkpoints like a parameter; after each training step
   * it takes the value of its node in `ForwardGraph.updates`.
   */
  state?: boolean;
}

export interface GraphInput {
  name: string;
  id: ValueId;
  type: TensorType;
  role: 'input' | 'target';
}

/** The lowered forward computation of a model. */
export interface ForwardGraph {
  graph: Graph;
  inputs: GraphInput[];
  params: ParamInfo[];
  /** The scalar training loss. */
  loss: ValueId;
  /** Named net bindings (`h`, `logits`, …) and `prediction`: the net's last binding. */
  outputs: Record<string, ValueId>;
  /** For each state parameter (`ParamInfo.state`) updated by training: the node computing its new value. */
  updates?: Record<string, ValueId>;
}

/** Forward + backward: `grads[name]` is the gradient node of each trainable parameter. */
export interface TrainingGraph extends ForwardGraph {
  grads: Record<string, ValueId>;
  /**
   * Set by the fold-step pass (src/passes/fold-step.ts): the loss gradient
   * carries the step size, so `grads` are lr·∂loss/∂p, and plain SGD's update
   * is w − g.
   */
  stepScaled?: boolean;
}
