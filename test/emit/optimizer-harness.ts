// Shared by the optimizer tests: the emitted update rules as callable
// JavaScript (the function bodies and host scalar expressions, as emitted),
// textbook updates on plain arrays, and the configurations to try.
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../../src/check/model.js';
import { ruleStatements } from '../../src/emit/sections/optimizer.js';
import { optimizerHyper, optimizerTemplate, weightDecay } from '../../src/emit/sections/optimizers.js';

type Rule = (...args: unknown[]) => tf.Tensor | tf.Tensor[];

/** The emitted update, its per-step scalars and its constants, as callable JavaScript. */
export function emitted(o: OptimizerConfig) {
  const t = optimizerTemplate(o);
  const OPTIMIZER = { kind: o.kind, lr: o.lr, ...optimizerHyper(o), weightDecay: weightDecay(o), clipNorm: o.clipNorm };
  const K = Object.fromEntries(t.constants.map((c) => [c.name, new Function('tf', 'OPTIMIZER', `return tf.scalar(${c.value});`)(tf, OPTIMIZER)]));
  const rule = new Function('tf', 'K', 'w', 'g', ...t.slots.map((s) => s.name), 'k', ruleStatements(o).join('\n')) as Rule;
  const scalars = new Function('tf', 'OPTIMIZER', 'lr', 'decay', 't', `return { ${t.stepScalars.map((s) => `${s.name}: tf.scalar(${s.expr})`).join(', ')} };`);
  return {
    slots: t.slots,
    step(w: tf.Tensor, g: tf.Tensor, slots: tf.Tensor[], step: number): [tf.Tensor, tf.Tensor[]] {
      const k = scalars(tf, OPTIMIZER, o.lr, weightDecay(o), step) as Record<string, tf.Tensor>;
      const r = rule(tf, K, w, g, ...slots, k);
      tf.dispose(Object.values(k));
      return Array.isArray(r) ? [r[0]!, r.slice(1)] : [r, []];
    },
  };
}

/** Textbook updates on plain arrays (PyTorch conventions for momentum/nesterov, Keras-style adagrad init). */
export function reference(o: OptimizerConfig, h: Record<string, number>) {
  const wd = weightDecay(o);
  // state[i] = the slots of element i, in the emitted rule's slot order
  const state: number[][] = [];
  const step = (w: number[], g: number[], t: number): number[] =>
    w.map((wi, i) => {
      const s = (state[i] ??= [h['initialAccumulator'] ?? 0, 0]);
      const gi = o.kind === 'adamw' ? g[i]! : g[i]! + wd * wi;
      switch (o.kind) {
        case 'sgd':
          return wi - o.lr * gi;
        case 'momentum':
          s[0] = h['momentum']! * s[0]! + gi;
          return wi - o.lr * s[0]!;
        case 'nesterov':
          s[0] = h['momentum']! * s[0]! + gi;
          return wi - o.lr * (gi + h['momentum']! * s[0]!);
        case 'adagrad':
          s[0] = s[0]! + gi * gi;
          return wi - (o.lr * gi) / (Math.sqrt(s[0]!) + h['epsilon']!);
        case 'rmsprop':
          s[0] = h['rho']! * s[0]! + (1 - h['rho']!) * gi * gi;
          return wi - (o.lr * gi) / (Math.sqrt(s[0]!) + h['epsilon']!);
        case 'adam':
        case 'adamw': {
          const [b1, b2, eps] = [h['beta1']!, h['beta2']!, h['epsilon']!];
          s[0] = b1 * s[0]! + (1 - b1) * gi;
          s[1] = b2 * s[1]! + (1 - b2) * gi * gi;
          const mHat = s[0]! / (1 - b1 ** t);
          const vHat = s[1]! / (1 - b2 ** t);
          const decayed = o.kind === 'adamw' ? wi - o.lr * wd * wi : wi;
          return decayed - (o.lr * mHat) / (Math.sqrt(vHat) + eps);
        }
      }
    });
  return { step, state };
}

export const CASES: OptimizerConfig[] = [
  { kind: 'sgd', lr: 0.1, hyper: {}, clipNorm: null },
  { kind: 'sgd', lr: 0.1, hyper: { weight_decay: 0.05 }, clipNorm: null },
  { kind: 'momentum', lr: 0.1, hyper: { momentum: 0.9 }, clipNorm: null },
  { kind: 'nesterov', lr: 0.1, hyper: { momentum: 0.8, weight_decay: 0.01 }, clipNorm: null },
  { kind: 'adagrad', lr: 0.1, hyper: { epsilon: 1e-7, initial_accumulator_value: 0.1 }, clipNorm: null },
  { kind: 'rmsprop', lr: 0.01, hyper: { rho: 0.9, epsilon: 1e-7 }, clipNorm: null },
  { kind: 'adam', lr: 0.01, hyper: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, clipNorm: null },
  { kind: 'adam', lr: 0.01, hyper: { beta1: 0.8, beta2: 0.99, epsilon: 0.1 }, clipNorm: null },
  { kind: 'adam', lr: 0.01, hyper: { beta1: 0.8, beta2: 0.99, epsilon: 1e-3, weight_decay: 0.1 }, clipNorm: null },
  { kind: 'adamw', lr: 0.01, hyper: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.1 }, clipNorm: null },
];

