// The benchmark's workloads: each is a spec the compiler turns into a trainer,
// and the same network described layer by layer for the two baselines (a
// hand-written tf.variableGrads loop and a tfjs-layers model).

export type LayerDesc =
  | { kind: 'dense'; units: number; relu: boolean }
  | { kind: 'conv'; filters: number; relu: boolean }
  | { kind: 'pool' }
  | { kind: 'flatten' }
  | { kind: 'dropout'; rate: number };

export interface Workload {
  /** Short name used by `--workloads` and in the tables. */
  name: string;
  /** The spec compiled for the generated trainer (relative to the repository root). */
  spec: string;
  description: string;
  /** One example's shape (no batch axis). */
  inputShape: number[];
  batch: number;
  optimizer: 'sgd' | 'adam';
  lr: number;
  layers: LayerDesc[];
  /** Coefficient of Σw² over the dense/conv kernels added to the loss (0: none). */
  l2: number;
  /** Tables and ratios this workload belongs to. */
  group: 'issue4' | 'issue8';
  /** Issue 8's bound on generated ÷ PyTorch step time. */
  torchTarget?: number;
}

const dense = (units: number, relu = false): LayerDesc => ({ kind: 'dense', units, relu });
const conv = (filters: number): LayerDesc => ({ kind: 'conv', filters, relu: true });
const W1 = [dense(128, true), dense(10)];
const W2 = [dense(512, true), dense(256, true), dense(10)];
const W3: LayerDesc[] = [conv(32), { kind: 'pool' }, conv(64), { kind: 'pool' }, { kind: 'flatten' }, dense(10)];

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'mnist-mlp',
    spec: 'specs/mnist-mlp.nn',
    description: 'specs/mnist-mlp.nn as written: 784-256-10, dropout 0.2, 1e-4·L2, Adam, batch 128',
    inputShape: [28, 28],
    batch: 128,
    optimizer: 'adam',
    lr: 1e-3,
    layers: [{ kind: 'flatten' }, dense(256, true), { kind: 'dropout', rate: 0.2 }, dense(10)],
    l2: 1e-4,
    group: 'issue4',
  },
  ...(['sgd', 'adam'] as const).flatMap((opt) => [
    // Issue 8's targets for generated ÷ PyTorch: Adam ≤ 1.0; SGD ≤ 1.3 on the MLPs, ≤ 1.0 on the CNN.
    { name: `w1-${opt}`, spec: `bench/specs/w1-${opt}.nn`, description: 'W1: MLP 784-128-10, batch 64', inputShape: [784], batch: 64, layers: W1, torchTarget: opt === 'sgd' ? 1.3 : 1.0 },
    { name: `w2-${opt}`, spec: `bench/specs/w2-${opt}.nn`, description: 'W2: MLP 784-512-256-10, batch 128', inputShape: [784], batch: 128, layers: W2, torchTarget: opt === 'sgd' ? 1.3 : 1.0 },
    { name: `w3-${opt}`, spec: `bench/specs/w3-${opt}.nn`, description: 'W3: CNN conv3×3×32-relu-pool-conv3×3×64-relu-pool-dense10, batch 64', inputShape: [28, 28, 1], batch: 64, layers: W3, torchTarget: 1.0 },
  ].map((w) => ({ ...w, optimizer: opt, lr: opt === 'sgd' ? 1e-2 : 1e-3, l2: 0, group: 'issue8' as const }))),
];

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
