// Fused optimizer updates on tfjs-node: one in-place TensorFlow training
// kernel per parameter (ResourceApplyGradientDescent, ResourceApplyMomentum,
// ResourceApplyAdagradV2, ResourceApplyAdam) instead of 2–12 elementwise
// kernels that each allocate a parameter-sized tensor. Those kernels update
// *resource variables*, so each trained parameter and its optimizer slots live
// in variables here; the trainer keeps plain tensors that are reads of them
// (for the forward pass and for checkpoints), handed back by `apply`.
//
// Each rule is the trainer's own rule exactly (the same formula, not a
// variant; tested against the portable one): Adam's ε is passed as
// ε·√(1−β2^t) because TensorFlow adds it to √v rather than to √v̂.
//
// Variables are (re)loaded from the tensors the trainer passes whenever those
// are not the reads `apply` handed out last (the first step, after a
// checkpoint restore), so the trainer's tensors are always the truth.
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

/** One step's scalar inputs for one parameter group (uploaded once, disposed after the group's updates). */
export interface FusedScalars {
  readonly inputs: readonly tf.Tensor[];
  dispose(): void;
}

/** A parameter's variables: [w, ...slots], and the reads of them handed out last. */
interface Bundle {
  handles: tf.Tensor[];
  reads: tf.Tensor[];
}

let serial = 0;

export class FusedUpdater {
  private readonly bundles = new Map<string, Bundle>();
  private readonly kernel: string;
  private readonly attrs: OpAttr[];

  constructor(
    private readonly nb: NativeBackend,
    readonly rule: FusedRule,
    private readonly hyper: FusedHyper,
  ) {
    const flag = (name: string, value: boolean): OpAttr => ({ name, type: nb.binding.TF_ATTR_BOOL, value });
    const base = [float(nb), flag('use_locking', false)];
    const table: Record<FusedRule, [string, OpAttr[]]> = {
      sgd: ['ResourceApplyGradientDescent', base],
      momentum: ['ResourceApplyMomentum', [...base, flag('use_nesterov', false)]],
      nesterov: ['ResourceApplyMomentum', [...base, flag('use_nesterov', true)]],
      adagrad: ['ResourceApplyAdagradV2', [...base, flag('update_slots', true)]],
      adam: ['ResourceApplyAdam', [...base, flag('use_nesterov', false)]],
    };
    [this.kernel, this.attrs] = table[rule];
  }

  /** The scalar inputs of the kernel for learning rate `lr` at update number `t` (1-based). */
  scalars(lr: number, t: number): FusedScalars {
    const h = this.hyper;
    const values: Record<FusedRule, number[]> = {
      sgd: [lr],
      momentum: [lr, h.momentum ?? 0],
      nesterov: [lr, h.momentum ?? 0],
      adagrad: [lr, h.epsilon ?? 0],
      adam: [h.beta1! ** t, h.beta2! ** t, lr, h.beta1!, h.beta2!, h.epsilon! * Math.sqrt(1 - h.beta2! ** t)],
    };
    const inputs = values[this.rule].map((v) => tf.scalar(v));
    return { inputs, dispose: () => tf.dispose(inputs) };
  }

  /**
   * One update of parameter `key`: consumes `w`, `g` and the slot tensors, returns
   * the new [w, ...slots] (reads of the updated variables).
   */
  apply<S extends tf.Tensor[]>(key: string, w: tf.Tensor, g: tf.Tensor, slots: [...S], k: FusedScalars): [tf.Tensor, ...S] {
    const given = [w, ...slots];
    let bundle = this.bundles.get(key);
    const current = bundle !== undefined && bundle.reads.every((r, i) => r === given[i]);
    if (bundle === undefined) {
      bundle = { handles: given.map((t) => this.variable(t.shape)), reads: [] };
      this.bundles.set(key, bundle);
    }
    if (!current) bundle.handles.forEach((h, i) => this.assign(h, given[i]!));
    // Drop the reads first: a variable whose buffer nothing else holds is updated in place.
    tf.dispose(given);
    const [handle, ...slotHandles] = bundle.handles as [tf.Tensor, ...tf.Tensor[]];
    const inputs = this.rule === 'sgd' ? [handle, ...k.inputs, g] : this.rule === 'adam' ? [handle, ...slotHandles, ...k.inputs, g] : this.orderedInputs(handle, slotHandles, g, k);
    this.nb.executeMultipleOutputs(this.kernel, this.attrs, inputs, 0);
    g.dispose();
    bundle.reads = bundle.handles.map((h) => this.read(h));
    return bundle.reads as [tf.Tensor, ...S];
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
  }

  /** Momentum: (var, accum, lr, grad, momentum); Adagrad: (var, accum, lr, epsilon, grad). */
  private orderedInputs(handle: tf.Tensor, slots: tf.Tensor[], g: tf.Tensor, k: FusedScalars): tf.Tensor[] {
    const [lr, second] = k.inputs as [tf.Tensor, tf.Tensor];
    return this.rule === 'adagrad' ? [handle, ...slots, lr, second, g] : [handle, ...slots, lr, g, second];
  }

  private variable(shape: number[]): tf.Tensor {
    const b = this.nb.binding;
    const attrs: OpAttr[] = [
      { name: 'dtype', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
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
    this.nb.executeMultipleOutputs('AssignVariableOp', [{ name: 'dtype', type: this.nb.binding.TF_ATTR_TYPE, value: this.nb.binding.TF_FLOAT }], [handle, copy], 0);
    copy.dispose();
  }

  private read(handle: tf.Tensor): tf.Tensor {
    return this.nb.executeSingleOutput('ReadVariableOp', [{ name: 'dtype', type: this.nb.binding.TF_ATTR_TYPE, value: this.nb.binding.TF_FLOAT }], [handle]);
  }
}

/** A fused updater for `rule` when the active backend is tfjs-node, else null (the trainer's own rule runs). */
export function fusedUpdater(rule: FusedRule, hyper: FusedHyper): FusedUpdater | null {
  const nb = nativeBackend();
  return nb === null ? null : new FusedUpdater(nb, rule, hyper);
}
