// The PyTorch baseline's parts that need no torch: the job handed to
// bench/torch_step.py, folding its rounds into a result (and refusing a run
// whose first loss shows a different workload), and the report's PyTorch
// columns with and without torch. With an importable torch (NNC_PYTHON), the
// last test runs the real thing on the CNN, whose layouts differ most.
import { describe, expect, it } from 'vitest';
import { markdown } from '../../bench/report.js';
import { runBench, type BenchResults, type MethodResult, type WorkloadResult } from '../../bench/run.js';
import { probeTorch, torchJob, torchResult, TORCH_SKIPPED, type TorchRound } from '../../bench/torch.js';
import { median } from '../../bench/measure.js';
import { WORKLOADS } from '../../bench/workloads.js';

const workload = (name: string) => WORKLOADS.find((w) => w.name === name)!;
const f32 = (b64: string) => new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);
const i32 = (b64: string) => new Int32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);

describe('torch job', () => {
  it('carries the layers, Adam hyper-parameters, parameters and batches bit for bit', () => {
    const w = workload('w3-adam');
    const init = [
      { name: 'c1_weight', shape: [3, 3, 1, 2], values: Float32Array.from({ length: 18 }, (_, i) => i / 7 - 1) },
      { name: 'c1_bias', shape: [2], values: new Float32Array([0.1, -Math.PI]) },
    ];
    const batches = [{ x: new Float32Array([0.25, 1 / 3, 1e-30]), labels: new Int32Array([9, 0, 3]) }];
    const job = torchJob(w, init, batches, 1);
    expect(job.layers).toEqual(w.layers);
    expect(job.inputShape).toEqual([28, 28, 1]);
    expect(job.batch).toBe(64);
    expect(job.optimizer).toEqual({ kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(job.params.map((p) => [p.name, p.shape])).toEqual([['c1_weight', [3, 3, 1, 2]], ['c1_bias', [2]]]);
    expect(f32(job.params[0]!.f32)).toEqual(init[0]!.values);
    expect(f32(job.params[1]!.f32)).toEqual(init[1]!.values);
    expect(f32(job.batches[0]!.x)).toEqual(batches[0]!.x);
    expect(i32(job.batches[0]!.labels)).toEqual(batches[0]!.labels);
    expect(job.threads).toBe(1);
    expect(job.variants).toEqual(['default', 'fused']);
    expect(JSON.parse(JSON.stringify(job))).toEqual(job);
  });

  it('gives SGD only its learning rate', () => {
    expect(torchJob(workload('w1-sgd'), [], []).optimizer).toEqual({ kind: 'sgd', lr: 0.01 });
  });

  it('reports an absent torch as no version', () => {
    expect(probeTorch('/nonexistent/python3')).toEqual({ python: '/nonexistent/python3', version: null });
  });
});

const started = { version: '9.9.9+cpu', threads: 2, implementations: { default: 'for-loop', fused: 'fused' } };
const rounds = (first: number): Record<string, TorchRound>[] => [
  { default: { ms: [4, 6], losses: [first, 2.2, 2.1] }, fused: { ms: [3, 3], losses: [first, 2.2, 2.1] } },
  { default: { ms: [5, 1], losses: [2.0, 1.9, 1.8] }, fused: { ms: [2, 2], losses: [2.0, 1.9, 1.7] } },
];

describe('torch result', () => {
  it('takes medians over all timed steps and per round, and the ratio generated ÷ default', () => {
    const t = torchResult(workload('w1-adam'), started, rounds(2.30001), { firstLoss: 2.3, msMedian: 2.25 }, median);
    expect(t.variants['default']).toEqual({ implementation: 'for-loop', msMedian: 4.5, roundMedians: [5, 3], firstLoss: 2.30001, lastLoss: 1.8 });
    expect(t.variants['fused']!.msMedian).toBe(2.5);
    expect(t.ratio).toBeCloseTo(0.5, 12);
    expect(t.firstLossDelta).toBeCloseTo(1e-5, 10);
  });

  it('refuses a first loss that differs by more than 1e-4 (not the same workload)', () => {
    expect(() => torchResult(workload('w1-adam'), started, rounds(2.31), { firstLoss: 2.3, msMedian: 1 }, median)).toThrow(/not the same workload/);
  });

  it('accepts a differing first loss under dropout, whose masks differ', () => {
    const t = torchResult(workload('mnist-mlp'), started, rounds(2.4), { firstLoss: 2.3, msMedian: 1 }, median);
    expect(t.firstLossDelta).toBeCloseTo(0.1, 6);
  });
});

const counts = { engineKernels: 10, nativeOps: 12, nativeOpNames: { MatMul: 4 }, uploads: 1, peakTensors: 3, peakBytes: 2048, leakedTensors: 0 };
const method = (ms: number): MethodResult => ({ msMedian: ms, roundMedians: [ms], counts, firstLoss: 2.3, lastLoss: 2 });
const result = (name: string, torch: boolean, generatedMs: number): WorkloadResult => ({
  workload: name,
  description: name,
  spec: `bench/specs/${name}.nn`,
  optimizer: 'adam',
  batch: 64,
  pending: null,
  methods: { generated: method(generatedMs), variableGrads: method(4), layers: method(8) },
  ratios: { vsVariableGrads: 0.5, vsLayers: 0.25 },
  firstLosses: { generated: 2.3, variableGrads: 2.3, layers: 2.3 },
  torch: torch ? torchResult(workload(name), started, rounds(2.3), { firstLoss: 2.3, msMedian: generatedMs }, median) : null,
});
const results = (torch: boolean): BenchResults => ({
  date: '2026-01-01T00:00:00.000Z',
  backend: 'node (tensorflow)',
  command: 'npm run bench',
  settings: { steps: 2, warmup: 0, rounds: 2, batchesCycled: 8 },
  loadAverage: [1, 1],
  workloads: [result('w1-adam', torch, 2.25), result('w3-sgd', torch, 9)],
  compile: null,
  torch: torch ? { python: '/venv/bin/python', version: '9.9.9+cpu', note: null } : { python: 'python3', version: null, note: TORCH_SKIPPED },
});

describe('report with PyTorch', () => {
  it('adds PyTorch ms, generated ÷ PyTorch and the issue-8 target to the summary, and PyTorch rows per workload', () => {
    const md = markdown(results(true));
    expect(md).toContain('| workload | generated ms | variableGrads ms | layers ms | ÷ variableGrads | ÷ layers | TF ops/step (gen / vg / layers) | PyTorch ms | ÷ PyTorch | target |');
    expect(md).toContain('| w1-adam | 2.25 | 4.00 | 8.00 | 0.50 | 0.25 | 12 / 12 / 12 | 4.50 | 0.50 | ≤ 1.0 met |');
    expect(md).toContain('| w3-sgd | 9.00 | 4.00 | 8.00 | 0.50 | 0.25 | 12 / 12 / 12 | 4.50 | 2.00 | ≤ 1.0 missed |');
    expect(md).toContain('| PyTorch eager (default Adam: for-loop) | 4.50 | 5.00 / 3.00 | 0.50 | – | – | – | – | – | – | 2.3000 |');
    expect(md).toContain('| PyTorch eager (fused Adam: fused) | 2.50 |');
    expect(md).toContain('PyTorch 9.9.9+cpu, 2 threads: first loss 2.300000 vs the generated trainer\'s 2.300000, |Δ| 0.0e+0 ≤ 0.0001');
    expect(md).toContain('PyTorch 9.9.9+cpu CPU eager (`/venv/bin/python`)');
  });

  it('without torch keeps the tfjs columns only and says why', () => {
    const md = markdown(results(false));
    expect(md).toContain('| workload | generated ms | variableGrads ms | layers ms | ÷ variableGrads | ÷ layers | TF ops/step (gen / vg / layers) |\n');
    expect(md).toContain('| w1-adam | 2.25 | 4.00 | 8.00 | 0.50 | 0.25 | 12 / 12 / 12 |\n');
    expect(md).not.toContain('PyTorch eager');
    expect(md).toContain(TORCH_SKIPPED);
  });
});

const torchHere = probeTorch().version !== null;

describe.runIf(torchHere)('PyTorch on the same workload (needs an importable torch)', () => {
  it('W3 (CNN, NHWC kernels and flatten order) starts from the generated trainer\'s first loss', async () => {
    const r = await runBench(process.cwd(), { backend: 'node', workloads: ['w3-sgd'], steps: 1, warmup: 0, rounds: 1, compileTime: false, out: null, log: () => {}, torchThreads: 1 });
    const t = r.workloads[0]!.torch!;
    expect(t.firstLossDelta).toBeLessThanOrEqual(1e-4);
    expect(Object.keys(t.variants)).toContain('default');
  }, 120_000);
});
