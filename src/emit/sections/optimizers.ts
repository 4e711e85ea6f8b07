// The update rules, one template per optimizer, written out as the fewest
// tfjs kernels we know for each (every intermediate disposed where it dies).
// Per-step scalars are computed on the host and uploaded once per parameter
// group; the fixed hyperparameters are uploaded once for the whole run.
import type { OptimizerConfig, OptimizerKind } from '../../check/model.js';

export interface Slot {
  name: string;
  doc: string;
  /** Initial value: 0, or a constant (Adagrad's initial accumulator). */
  init: number;
}

export interface StepScalar {
  name: string;
  doc: string;
  /** Host expression over `lr` (the group's rate), `decay` (weight decay × the group's scale), `t` (update number). */
  expr: string;
}

export interface OptimizerTemplate {
  kind: OptimizerKind;
  /** One-line formula for the doc comment. */
  rule: string;
  slots: Slot[];
  /** Hyperparameters uploaded once: name in `K` → field of `OPTIMIZER`. */
  constants: { name: string; value: string }[];
  stepScalars: StepScalar[];
  /** Statements of `update(w, g, ...slots, k)`: `G` is the gradient to use; returns [w, ...slots] or w. */
  body(G: string): string[];
}

const LR: StepScalar = { name: 'lr', doc: 'the learning rate', expr: 'lr' };

export function weightDecay(o: OptimizerConfig): number {
  return o.hyper['weight_decay'] ?? 0;
}

/** The hyperparameters the trainer embeds in `OPTIMIZER`, with defaults filled in. */
export function optimizerHyper(o: OptimizerConfig): Record<string, number> {
  const h = o.hyper;
  const pick = (key: string, dflt: number) => h[key] ?? dflt;
  switch (o.kind) {
    case 'sgd':
      return {};
    case 'momentum':
    case 'nesterov':
      return { momentum: pick('momentum', 0.9) };
    case 'adagrad':
      return { epsilon: pick('epsilon', 1e-7), initialAccumulator: h['initial_accumulator'] ?? pick('initial_accumulator_value', 0.1) };
    case 'rmsprop':
      return { rho: pick('rho', 0.9), epsilon: pick('epsilon', 1e-7) };
    case 'adam':
    case 'adamw':
      return { beta1: pick('beta1', 0.9), beta2: pick('beta2', 0.999), epsilon: pick('epsilon', 1e-8) };
  }
}

/**
 * Plain SGD when the compiler folded the learning rate into the loss gradient
 * (src/passes/fold-step.ts): `backward` returns lr·g, so the update is one
 * subtraction (one kernel per parameter) and needs no step scalar.
 */
export const STEP_SCALED_SGD: OptimizerTemplate = {
  kind: 'sgd',
  rule: 'w ← w − g, where g is already lr·∂loss/∂w (the learning rate is folded into the loss gradient)',
  slots: [],
  constants: [],
  stepScalars: [],
  body: (G) => [`const next = rt.sub(w, ${G});`, `tf.dispose([w, ${G}]);`, 'return next;'],
};

export function optimizerTemplate(o: OptimizerConfig): OptimizerTemplate {
  const decayed = weightDecay(o) > 0 && o.kind !== 'adamw';
  const couple = (t: OptimizerTemplate): OptimizerTemplate =>
    decayed ? { ...t, stepScalars: [...t.stepScalars, { name: 'decay', doc: 'the L2 weight-decay factor', expr: 'decay' }] } : t;
  switch (o.kind) {
    case 'sgd':
      return couple({
        kind: 'sgd',
        rule: 'w ← w − lr·g',
        slots: [],
        constants: [],
        stepScalars: [LR],
        body: (G) => ['const step = tf.mul(' + G + ', k.lr);', 'const next = tf.sub(w, step);', `tf.dispose([w, ${G}, step]);`, 'return next;'],
      });
    case 'momentum':
      return couple({
        kind: 'momentum',
        rule: 'v ← μ·v + g;  w ← w − lr·v',
        slots: [{ name: 'velocity', doc: 'Velocity (running sum of gradients).', init: 0 }],
        constants: [{ name: 'momentum', value: 'OPTIMIZER.momentum' }],
        stepScalars: [LR],
        body: (G) => [
          'const decayed = tf.mul(velocity, K.momentum);',
          `const nextVelocity = tf.add(decayed, ${G});`,
          'const step = tf.mul(nextVelocity, k.lr);',
          'const next = tf.sub(w, step);',
          `tf.dispose([w, ${G}, velocity, decayed, step]);`,
          'return [next, nextVelocity];',
        ],
      });
    case 'nesterov':
      return couple({
        kind: 'nesterov',
        rule: 'v ← μ·v + g;  w ← w − lr·(g + μ·v)',
        slots: [{ name: 'velocity', doc: 'Velocity (running sum of gradients).', init: 0 }],
        constants: [{ name: 'momentum', value: 'OPTIMIZER.momentum' }],
        stepScalars: [LR],
        body: (G) => [
          'const decayed = tf.mul(velocity, K.momentum);',
          `const nextVelocity = tf.add(decayed, ${G});`,
          '// Nesterov: step along the gradient plus the look-ahead velocity.',
          'const lookAhead = tf.mul(nextVelocity, K.momentum);',
          `const direction = tf.add(${G}, lookAhead);`,
          'const step = tf.mul(direction, k.lr);',
          'const next = tf.sub(w, step);',
          `tf.dispose([w, ${G}, velocity, decayed, lookAhead, direction, step]);`,
          'return [next, nextVelocity];',
        ],
      });
    case 'adagrad':
      return couple({
        kind: 'adagrad',
        rule: 'a ← a + g²;  w ← w − lr·g / (√a + ε)',
        slots: [{ name: 'accumulator', doc: 'Sum of squared gradients.', init: optimizerHyper(o)['initialAccumulator'] ?? 0.1 }],
        constants: [{ name: 'epsilon', value: 'OPTIMIZER.epsilon' }],
        stepScalars: [LR],
        body: (G) => [
          `const squared = tf.square(${G});`,
          'const nextAccumulator = tf.add(accumulator, squared);',
          'const root = tf.sqrt(nextAccumulator);',
          'const denominator = tf.add(root, K.epsilon);',
          `const ratio = tf.div(${G}, denominator);`,
          'const step = tf.mul(ratio, k.lr);',
          'const next = tf.sub(w, step);',
          `tf.dispose([w, ${G}, accumulator, squared, root, denominator, ratio, step]);`,
          'return [next, nextAccumulator];',
        ],
      });
    case 'rmsprop':
      return couple({
        kind: 'rmsprop',
        rule: 's ← ρ·s + (1−ρ)·g²;  w ← w − lr·g / (√s + ε)',
        slots: [{ name: 'meanSquare', doc: 'Running mean of squared gradients.', init: 0 }],
        constants: [
          { name: 'rho', value: 'OPTIMIZER.rho' },
          { name: 'oneMinusRho', value: '1 - OPTIMIZER.rho' },
          { name: 'epsilon', value: 'OPTIMIZER.epsilon' },
        ],
        stepScalars: [LR],
        body: (G) => [
          'const decayed = tf.mul(meanSquare, K.rho);',
          `const squared = tf.square(${G});`,
          'const fresh = tf.mul(squared, K.oneMinusRho);',
          'const nextMeanSquare = tf.add(decayed, fresh);',
          'const root = tf.sqrt(nextMeanSquare);',
          'const denominator = tf.add(root, K.epsilon);',
          `const ratio = tf.div(${G}, denominator);`,
          'const step = tf.mul(ratio, k.lr);',
          'const next = tf.sub(w, step);',
          `tf.dispose([w, ${G}, meanSquare, decayed, squared, fresh, root, denominator, ratio, step]);`,
          'return [next, nextMeanSquare];',
        ],
      });
    case 'adam':
    case 'adamw':
      return couple(adamTemplate(o.kind));
  }
}

function adamTemplate(kind: 'adam' | 'adamw'): OptimizerTemplate {
  const decoupled = kind === 'adamw';
  const scalars: StepScalar[] = [
    {
      name: 'c',
      doc: 'lr·√(1−β2^t) / (1−β1^t): the step size with both bias corrections folded in',
      expr: 'lr * Math.sqrt(1 - OPTIMIZER.beta2 ** t) / (1 - OPTIMIZER.beta1 ** t)',
    },
    {
      name: 'e',
      doc: 'ε·√(1−β2^t): ε in the units of the uncorrected √v',
      expr: 'OPTIMIZER.epsilon * Math.sqrt(1 - OPTIMIZER.beta2 ** t)',
    },
  ];
  if (decoupled) scalars.push({ name: 'keep', doc: '1 − lr·weight_decay: the decoupled weight decay (AdamW)', expr: '1 - lr * decay' });
  return {
    kind,
    rule: decoupled ? 'w ← (1 − lr·λ)·w − lr·m̂ / (√v̂ + ε), bias-corrected' : 'w ← w − lr·m̂ / (√v̂ + ε), bias-corrected',
    // The moments as PyTorch and TensorFlow keep them, so checkpoints mean the same on every backend.
    slots: [
      { name: 'm', doc: 'First moment: m ← β1·m + (1−β1)·g.', init: 0 },
      { name: 'v', doc: 'Second moment: v ← β2·v + (1−β2)·g².', init: 0 },
    ],
    constants: [
      { name: 'beta1', value: 'OPTIMIZER.beta1' },
      { name: 'beta2', value: 'OPTIMIZER.beta2' },
      { name: 'oneMinusBeta1', value: '1 - OPTIMIZER.beta1' },
      { name: 'oneMinusBeta2', value: '1 - OPTIMIZER.beta2' },
    ],
    stepScalars: scalars,
    body: (G) => [
      'const decayedM = tf.mul(m, K.beta1);',
      `const freshM = tf.mul(${G}, K.oneMinusBeta1);`,
      'const nextM = tf.add(decayedM, freshM);',
      'const decayedV = tf.mul(v, K.beta2);',
      `const squared = tf.square(${G});`,
      'const freshV = tf.mul(squared, K.oneMinusBeta2);',
      'const nextV = tf.add(decayedV, freshV);',
      '// lr·m̂ / (√v̂ + ε) = c·m / (√v + e): the bias corrections live in k.c and k.e.',
      'const root = tf.sqrt(nextV);',
      'const denominator = tf.add(root, k.e);',
      'const ratio = tf.div(nextM, denominator);',
      'const step = tf.mul(ratio, k.c);',
      ...(decoupled
        ? ['const shrunk = tf.mul(w, k.keep);', 'const next = tf.sub(shrunk, step);', `tf.dispose([w, ${G}, m, v, decayedM, freshM, decayedV, squared, freshV, root, denominator, ratio, step, shrunk]);`]
        : ['const next = tf.sub(w, step);', `tf.dispose([w, ${G}, m, v, decayedM, freshM, decayedV, squared, freshV, root, denominator, ratio, step]);`]),
      'return [next, nextM, nextV];',
    ],
  };
}

/**
 * The rule TensorFlow runs as one in-place kernel on tfjs-node
 * (src/runtime/fused-update.ts), or null: RMSProp (TensorFlow adds ε inside the
 * root), AdamW and coupled L2 decay (the kernels have no decay term) keep the
 * written-out rule on every backend.
 */
export function fusedRule(o: OptimizerConfig): 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'adam' | null {
  if (weightDecay(o) > 0) return null;
  return o.kind === 'rmsprop' || o.kind === 'adamw' ? null : o.kind;
}
