// Fused optimizer updates on tfjs-node: one in-place TensorFlow training
// kernel per parameter (ResourceApplyGradientDescent, ResourceApplyMomentum,
// ResourceApplyAdagradV2, ResourceApplyAdam) instead of 2–12 elementwise
// kernels that each allocate a parameter-sized tensor. Those kernels update
// *resource variables*, so each trained parameter and its optimizer slots live
// in variables here; the trainer keeps plain tensors that are reads of them
// (for the forward pass and for checkpoints), handed back by `apply` and `slots`.
//
// Each rule is the trainer's own rule exactly (the same formula, not a
// variant; tested against the portable one): Adam's ε is passed as
// ε·√(1−β2^t) because TensorFlow adds it to √v rather than to √v̂.
//
// Variables are (re)loaded from the tensors the trainer passes whenever those
// are not the ones the updater handed out or loaded last (the first step,
// after a checkpoint restore), so the trainer's tensors are always the truth.
//
// Slots (Adam's m and v, momentum's velocity, Adagrad's accumulator) are not
// read back each step: only the parameter is, for the next forward pass. The
// trainer's slot tensors stay as they were until `slots` brings them up to
// date (before a checkpoint is written): 2 kernels fewer per parameter for Adam.
import * as tf from '@tensorflow/tfjs-core';
import { float, nativeBackend, type NativeBackend, type OpAttr } from './kernels-native.js';

/** The update rules TensorFlow has one exact kernel for. */
export type FusedRule = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'adam';

/** The rule's fixed hyperparameters: the trainer passes its whole `OPTIMIZER` (other fields are ignored). */
export interface FusedHyper {
  readonly [field: string]: unknown;
  readonly momentum?: number;
  readonly epsilon?: number;
  readonly beta1?: number;
  readonly beta2?: number;
}

/** One step's scalar inputs for one parameter group (those that vary uploaded per call, disposed after the group's updates). */
export interface FusedScalars {
  readonly inputs: readonly tf.Tensor[];
  dispose(): void;
}

/** A parameter's variables: [w, ...slots]; the parameter read handed out last; the slot tensors the variables were loaded from or last read into. */
interface Bundle {
  handles: tf.Tensor[];
  param: tf.Tensor | null;
  slots: tf.Tensor[];
}

let serial = 0;

/** What one rule's kernel takes, besides its attributes: per-step scalars and the input order. */
interface KernelPlan {
  kernel: string;
  flags: Record<string, boolean>;
  /** The kernel's scalar inputs for learning rate `lr` at update `t`. */
  scalars(h: FusedHyper, lr: number, t: number): number[];
  /** Which of them depend on the hyperparameters only (uploaded once per updater). */
  fixed: readonly number[];
  /** The kernel's inputs in its order: the variable, its slots, the scalars and the gradient. */
  order(w: tf.Tensor, slots: tf.Tensor[], k: readonly tf.Tensor[], g: tf.Tensor): tf.Tensor[];
}

const momentum = (nesterov: boolean): KernelPlan => ({
  kernel: 'ResourceApplyMomentum',
  flags: { use_nesterov: nesterov },
  scalars: (h, lr) => [lr, h.momentum ?? 0],
  fixed: [1],
  order: (w, slots, [lr, mu], g) => [w, ...slots, lr!, g, mu!],
});

const PLANS: Record<FusedRule, KernelPlan> = {
  sgd: { kernel: 'ResourceApplyGradientDescent', flags: {}, scalars: (_h, lr) => [lr], fixed: [], order: (w, _slots, [lr], g) => [w, lr!, g] },
  momentum: momentum(false),
  nesterov: momentum(true),
  adagrad: {
    kernel: 'ResourceApplyAdagradV2',
    flags: { update_slots: true },
    scalars: (h, lr) => [lr, h.epsilon ?? 0],
    fixed: [1],
    order: (w, slots, [lr, eps], g) => [w, ...slots, lr!, eps!, g],
  },
  adam: {
    kernel: 'ResourceApplyAdam',
    flags: { use_nesterov: false },
    scalars: (h, lr, t) => [h.beta1! ** t, h.beta2! ** t, lr, h.beta1!, h.beta2!, h.epsilon! * Math.sqrt(1 - h.beta2! ** t)],
    fixed: [3, 4],
    order: (w, slots, k, g) => [w, ...slots, ...k, g],
  },
};

/** Whether `slots` are the very tensors the bundle's slot variables were loaded from or last read into. */
function handedOut(bundle: Bundle, slots: readonly tf.Tensor[]): boolean {
  return bundle.slots.length === slots.length && bundle.slots.every((s, i) => s === slots[i]);
}

export class FusedUpdater {
  private readonly bundles = new Map<string, Bundle>();
  private readonly plan: KernelPlan;
  private readonly attrs: OpAttr[];
  /** `dtype: float32`, the one attribute of the variable ops. */
  private readonly dtype: OpAttr;
  /** The scalar inputs that depend on the hyperparameters only (Adam's β1, β2), uploaded once, by index. */
  private readonly fixed = new Map<number, tf.Tensor>();

  constructor(
    private readonly nb: NativeBackend,
    readonly rule: FusedRule,
    private readonly hyper: FusedHyper,
  ) {
    this.plan = PLANS[rule];
    const flags = { use_locking: false, ...this.plan.flags };
    this.attrs = [float(nb), ...Object.entries(flags).map(([name, value]) => ({ name, type: nb.binding.TF_ATTR_BOOL, value }))];
    this.dtype = { name: 'dtype', type: nb.binding.TF_ATTR_TYPE, value: nb.binding.TF_FLOAT };
  }

  /** The scalar inputs of the kernel for learning rate `lr` at update number `t` (1-based). */
  scalars(lr: number, t: number): FusedScalars {
    const fresh: tf.Tensor[] = [];
    const inputs = this.plan.scalars(this.hyper, lr, t).map((value, i) => {
      if (!this.plan.fixed.includes(i)) return fresh[fresh.push(tf.scalar(value)) - 1]!;
      let tensor = this.fixed.get(i);
      if (tensor === undefined) this.fixed.set(i, (tensor = tf.scalar(value)));
      return tensor;
    });
    return { inputs, dispose: () => tf.dispose(fresh) };
  }

  /**
   * One update of parameter `key`: consumes `w` and `g`, returns the new `w`
   * (a read of the updated variable). The slot tensors are the trainer's
   * current ones: not consumed, and stale afterwards until `slots` is called.
   */
  apply(key: string, w: tf.Tensor, g: tf.Tensor, slots: readonly tf.Tensor[], k: FusedScalars): tf.Tensor {
    let bundle = this.bundles.get(key);
    if (bundle === undefined) {
      bundle = { handles: [w, ...slots].map((t) => this.variable(t.shape)), param: null, slots: [] };
      this.bundles.set(key, bundle);
    }
    // The variables hold the truth unless the trainer passes tensors the updater did not hand out (the slots: all or none).
    if (bundle.param !== w) this.assign(bundle.handles[0]!, w);
    if (!handedOut(bundle, slots)) {
      slots.forEach((t, i) => this.assign(bundle.handles[i + 1]!, t));
      bundle.slots = [...slots];
    }
    // Drop the read first: a variable whose buffer nothing else holds is updated in place.
    w.dispose();
    const [handle, ...slotHandles] = bundle.handles as [tf.Tensor, ...tf.Tensor[]];
    this.nb.executeMultipleOutputs(this.plan.kernel, this.attrs, this.plan.order(handle, slotHandles, k.inputs, g), 0);
    g.dispose();
    bundle.param = this.read(handle);
    return bundle.param;
  }

  /**
   * The slots of parameter `key` as tensors: fresh reads of the variables in
   * place of `slots` (disposed) when the variables are ahead of them, else
   * `slots` themselves (no update yet, or a restore replaced them since).
   */
  slots<S extends tf.Tensor[]>(key: string, slots: [...S]): S {
    const bundle = this.bundles.get(key);
    if (bundle === undefined || !handedOut(bundle, slots)) return slots;
    const reads = bundle.handles.slice(1).map((h) => this.read(h));
    tf.dispose(slots);
    bundle.slots = reads;
    return reads as S;
  }

  /** Frees every variable (a new phase starts a fresh optimizer; the reads stay valid). */
  dispose(): void {
    for (const b of this.bundles.values()) {
      for (const h of b.handles) {
        this.nb.executeMultipleOutputs('DestroyResourceOp', [{ name: 'ignore_lookup_error', type: this.nb.binding.TF_ATTR_BOOL, value: true }], [h], 0);
        h.dispose();
      }
    }
    this.bundles.clear();
    tf.dispose([...this.fixed.values()]);
    this.fixed.clear();
  }

  private variable(shape: number[]): tf.Tensor {
    const b = this.nb.binding;
    const attrs: OpAttr[] = [
      this.dtype,
      { name: 'shape', type: b.TF_ATTR_SHAPE, value: shape },
      { name: 'container', type: b.TF_ATTR_STRING, value: '' },
      { name: 'shared_name', type: b.TF_ATTR_STRING, value: `nnc_fused_${++serial}` },
    ];
    return this.nb.executeSingleOutput('VarHandleOp', attrs, []);
  }

  /**
   * Loads a copy of `value` into the variable. A copy (DeepCopy), because
   * AssignVariableOp may alias its input's buffer, and two variables sharing one
   * buffer would then be updated in place twice.
   */
  private assign(handle: tf.Tensor, value: tf.Tensor): void {
    const copy = this.nb.executeSingleOutput('DeepCopy', [float(this.nb)], [value]);
    this.nb.executeMultipleOutputs('AssignVariableOp', [this.dtype], [handle, copy], 0);
    copy.dispose();
  }

  private read(handle: tf.Tensor): tf.Tensor {
    return this.nb.executeSingleOutput('ReadVariableOp', [this.dtype], [handle]);
  }
}

/** A fused updater for `rule` when the active backend is tfjs-node, else null (the trainer's own rule runs). */
export function fusedUpdater(rule: FusedRule, hyper: FusedHyper): FusedUpdater | null {
  const nb = nativeBackend();
  return nb === null ? null : new FusedUpdater(nb, rule, hyper);
}
