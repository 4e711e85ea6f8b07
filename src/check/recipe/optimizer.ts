// `optimizer = adam(lr: 1e-3)` → OptimizerConfig with every hyperparameter
// filled in from the signature table (signatures.ts). The defaults follow
// tfjs/Keras: lr 0.01 for sgd, momentum, nesterov and adagrad, 0.001 for
// rmsprop, adam and adamw; adam/adamw beta1 0.9, beta2 0.999 and epsilon 1e-7
// (the tfjs/Keras default, not PyTorch's 1e-8); momentum 0.9; rmsprop rho 0.9;
// adagrad initial accumulator 0.1 (fixed: tfjs's default); adamw decoupled
// weight decay 0.01, the others' weight_decay (L2 added to the gradient) 0.
// No optimizer statement at all: sgd with lr 0.01.
import type { Setting } from '../../syntax/ast.js';
import type { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import type { NumberRule, ParamSlot } from '../args.js';
import type { OptimizerConfig, OptimizerKind } from '../model.js';
import { OPTIMIZERS } from '../signatures.js';
import { defaultOf, slotsOf } from '../sigs.js';
import { readRecipeCall } from './call.js';

const FRACTION: NumberRule = { min: 0, below: 1 };

/** What each hyperparameter may be; a name not listed must be ≥ 0. */
const RULES: Record<string, NumberRule> = {
  lr: { above: 0, hint: 'the learning rate is a positive number, e.g. lr: 1e-3' },
  momentum: FRACTION,
  beta1: FRACTION,
  beta2: FRACTION,
  rho: { above: 0, below: 1 },
  epsilon: { above: 0 },
  weight_decay: { min: 0 },
  clip_norm: { above: 0, hint: 'gradients are rescaled so their global L2 norm is at most clip_norm' },
};

/** Settings the table does not expose, fixed at the tfjs default. */
const FIXED: Partial<Record<OptimizerKind, Record<string, number>>> = { adagrad: { initial_accumulator: 0.1 } };

export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw'];

function tableSlots(): Record<OptimizerKind, ParamSlot[]> {
  const out = {} as Record<OptimizerKind, ParamSlot[]>;
  for (const k of OPTIMIZER_KINDS) {
    const sig = OPTIMIZERS.get(k);
    if (sig) out[k] = slotsOf(sig);
  }
  return out;
}

export const DEFAULT_OPTIMIZER: OptimizerConfig = { kind: 'sgd', lr: 0.01, hyper: {}, clipNorm: null };

export function readOptimizer(s: Setting | null, sink: DiagnosticSink): OptimizerConfig | null {
  if (s === null) return structuredClone(DEFAULT_OPTIMIZER);
  const c = readRecipeCall('optimizer', s.value, tableSlots(), 'NNC3005', sink);
  if (!c) return null;
  const sig = OPTIMIZERS.get(c.kind)!;
  let ok = true;
  const lr = c.args.number('lr', defaultOf(sig, 'lr') ?? 0.01, RULES['lr']);
  const hyper: Record<string, number> = { ...FIXED[c.kind] };
  for (const p of sig.params) {
    if (p.name === 'lr' || p.name === 'clip_norm') continue;
    const v = c.args.number(p.name, defaultOf(sig, p.name) ?? 0, RULES[p.name] ?? { min: 0 });
    if (v === null) ok = false;
    else hyper[p.name] = v;
  }
  const clip = c.args.number('clip_norm', null, RULES['clip_norm']);
  if (lr === null || (clip === null && c.args.has('clip_norm')) || !ok) return null;
  return { kind: c.kind, lr, hyper, clipNorm: clip };
}
