// `npm run bench:gemm` — what bounds the MLP workloads: the throughput of
// the one matrix product kernel each backend offers, on the W1/W2 shapes,
// TensorFlow's MatMul (what the generated step calls on tfjs-node) beside
// PyTorch's torch.mm (MKL) when a local torch is importable. Alternating
// repetitions in one process each; median of 300. Prints a markdown table.
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/runtime/backend.js';
import { matMul, nativeBackend } from '../src/runtime/kernels-native.js';
import { torchPython } from './torch.js';

/** [rows, inner, columns, where] of the products in the W1 and W2 steps. */
const SHAPES: [number, number, number, string][] = [
  [64, 784, 128, 'W1 layer 1 forward'],
  [128, 784, 512, 'W2 layer 1 forward'],
  [128, 512, 256, 'W2 layer 2 forward'],
];
const REPS = 300;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function tensorflowMs(m: number, k: number, n: number): number {
  const nb = nativeBackend();
  if (nb === null) throw new Error('bench:gemm needs tfjs-node (the tensorflow backend)');
  const a = tf.randomUniform([m, k]);
  const b = tf.randomUniform([k, n]);
  const ms: number[] = [];
  for (let i = 0; i < REPS + 20; i++) {
    const t0 = performance.now();
    matMul(nb, a, b, false, false).dispose();
    if (i >= 20) ms.push(performance.now() - t0);
  }
  tf.dispose([a, b]);
  return median(ms);
}

/** torch.mm medians (ms) for every shape, or null when torch is not importable. */
function torchMs(threads: number): number[] | null {
  const script = [
    'import sys, time, torch',
    `torch.set_num_threads(${threads})`,
    `for m, k, n in ${JSON.stringify(SHAPES.map(([m, k, n]) => [m, k, n]))}:`,
    '    a, b = torch.rand(m, k), torch.rand(k, n)',
    '    ts = []',
    `    for i in range(${REPS + 20}):`,
    '        t0 = time.perf_counter(); torch.mm(a, b); ts.append(time.perf_counter() - t0)',
    `    ts = sorted(ts[20:]); print(ts[len(ts) // 2] * 1000)`,
  ].join('\n');
  const r = spawnSync(torchPython(), ['-c', script], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n').map(Number) : null;
}

await initBackend('node', () => {});
const threads = (await import('node:os')).availableParallelism();
const torch = torchMs(threads);
const gflops = (m: number, k: number, n: number, ms: number) => ((2 * m * k * n) / (ms * 1e6)).toFixed(0);
console.log(`| product | where | TensorFlow MatMul ms | GFLOP/s | ${torch ? `torch.mm (${threads} threads) ms | GFLOP/s | TF ÷ torch |` : ''}`);
console.log(`|---|---|---|---|${torch ? '---|---|---|' : ''}`);
SHAPES.forEach(([m, k, n, where], i) => {
  const ms = tensorflowMs(m, k, n);
  const t = torch?.[i];
  console.log(`| ${m}×${k} · ${k}×${n} | ${where} | ${ms.toFixed(3)} | ${gflops(m, k, n, ms)} |${t === undefined ? '' : ` ${t.toFixed(3)} | ${gflops(m, k, n, t)} | ${(ms / t).toFixed(2)} |`}`);
});
if (torch === null) console.log(`\n(torch not importable by ${torchPython()}: set NNC_PYTHON, see bench/README.md)`);
