// The three faces of a primitive: its shape rule, its VJP rule (which builds
// ordinary IR nodes), and its tfjs lowering (a TypeScript expression).
import type { Attrs, Node, TensorType, ValueId } from '../ir/types.js';
import type { OpKind } from './kinds.js';

/** A shape rule's refusal; the caller turns it into a located diagnostic. */
export interface ShapeError {
  error: string;
  hint?: string;
}

export function isShapeError(x: TensorType | ShapeError): x is ShapeError {
  return 'error' in x;
}

/** What a VJP rule may do: add backward nodes to the graph being built. */
export interface VjpBuilder {
  /** Appends a node (its shape is inferred by the op's own shape rule) and returns its id. */
  add(op: OpKind, inputs: ValueId[], attrs?: Attrs): ValueId;
  /** A scalar f32 constant. */
  constant(value: number): ValueId;
  type(id: ValueId): TensorType;
}

/**
 * Returns, for each input of `node`, the adjoint contribution (or null where
 * the input is not differentiable). A contribution may have the *output's*
 * broadcast shape: autodiff un-broadcasts it to the input's shape centrally.
 */
export type VjpRule = (b: VjpBuilder, node: Node, dy: ValueId) => (ValueId | null)[];

/**
 * Names the lowering may use in the emitted program.
 *
 * Lowering contract (the emitter and `src/ir/interpret.ts` rely on it):
 * - the result is ONE call, `tf.xxx(...)` or `rt.xxx(...)`, whose arguments are
 *   the `args` (identifiers or member reads such as `params.w`), JS literals,
 *   `arg.shape[i]` reads and the context names below. So each node creates exactly one tensor and leaves no
 *   temporaries: the emitter disposes it at its last use without a `tidy`.
 *   Ops needing several kernels call a helper in `src/runtime/kernels.ts`.
 * - it is plain JavaScript as well as TypeScript, so the interpreter can run
 *   the very same text; the one exception is a rank cast `x as tf.Tensor4D`
 *   (for tfjs functions typed by rank), which the interpreter strips.
 * - numbers are written literally; prefer `const` nodes over number literals
 *   that tfjs would upload as a fresh scalar on every call.
 */
export interface LowerContext {
  /** Expression that is true while training (dropout is active), e.g. `training`. */
  training: string;
  /** Expression for the trainer's seeded random generator, used by stochastic ops. */
  rng: string;
  /** Expression for the step size folded into the loss gradient (src/passes/fold-step.ts), a host number. */
  stepSize: string;
}

export interface OpDef {
  kind: OpKind;
  /** Number of inputs; 'variadic' for any number ≥ 1. */
  arity: number | 'variadic';
  shape(inputs: readonly TensorType[], attrs: Attrs): TensorType | ShapeError;
  /**
   * null: never differentiated (leaves, integer ops, backward-only kernels);
   * `zeroGradient` (common.ts): differentiable with a zero gradient.
   */
  vjp: VjpRule | null;
  /**
   * A TypeScript expression computing the node with the public tfjs API
   * (namespace `tf`) and, where tfjs lacks a kernel, the runtime helpers
   * (namespace `rt`). `args` are the argument expressions, in input order.
   */
  lower(args: readonly string[], node: Node, ctx: LowerContext): string;
}
