// `npm run bench` — the generated trainers' training step against a
// hand-written tf.variableGrads loop and tfjs-layers trainOnBatch, same network,
// initial values, batches and backend, in one process; plus PyTorch CPU eager
// in a Python child process when torch is importable. See bench/README.md.
//
//   npm run bench -- [--backend node|wasm|cpu] [--workloads mnist-mlp,w1-sgd,…]
//                    [--steps 40] [--warmup 10] [--rounds 3] [--out bench] [--no-compile-time]
//                    [--no-torch] [--torch-threads N]
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../src/runtime/backend.js';
import { Rng } from '../src/runtime/rng.js';
import { layersModel, variableGradsLoop, type PreparedBatch, type StepImpl } from './baselines.js';
import { timeCompile, type CompileTiming } from './compile-time.js';
import { initialValues, loadTrainer } from './generated.js';
import { countStep, median, timeSteps, type StepCounts } from './measure.js';
import { markdown } from './report.js';
import { probeTorch, torchJob, torchPython, torchResult, TorchSession, TORCH_SKIPPED, type RawBatch, type TorchRound, type TorchWorkloadResult } from './torch.js';
import { WORKLOADS, type Workload } from './workloads.js';

export const METHODS = ['generated', 'variableGrads', 'layers'] as const;
export type Method = (typeof METHODS)[number];

export interface MethodResult {
  /** Median ms per step over all timed steps of all rounds. */
  msMedian: number;
  /** Each round's median (the spread between rounds). */
  roundMedians: number[];
  counts: StepCounts;
  firstLoss: number;
  lastLoss: number;
}

export interface WorkloadResult {
  workload: string;
  description: string;
  spec: string;
  optimizer: string;
  batch: number;
  /** null when the spec does not compile yet (e.g. a layer the checker lacks). */
  pending: string | null;
  methods: Partial<Record<Method, MethodResult>>;
  /** generated ÷ baseline step time. */
  ratios: { vsVariableGrads: number; vsLayers: number } | null;
  /** The first step's loss of each method (same initial values; differs only with dropout). */
  firstLosses: Partial<Record<Method, number>>;
  /** PyTorch CPU eager on the same workload; null when torch is absent or off. */
  torch: TorchWorkloadResult | null;
}

export interface BenchResults {
  date: string;
  backend: string;
  command: string;
  settings: { steps: number; warmup: number; rounds: number; batchesCycled: number };
  /** The machine's 1-minute load average at the start and the end (other processes skew times on a busy machine). */
  loadAverage: [number, number];
  workloads: WorkloadResult[];
  compile: CompileTiming | null;
  /** Whether the PyTorch baseline ran: the Python asked, and torch's version or why not. */
  torch: { python: string; version: string | null; note: string | null };
}

export interface BenchOptions {
  backend: BackendName;
  workloads: string[];
  steps: number;
  warmup: number;
  rounds: number;
  compileTime: boolean;
  out: string | null;
  log: (line: string) => void;
  /** Run the PyTorch baseline when torch is importable (default true). */
  torch?: boolean;
  /** torch.set_num_threads for the PyTorch baseline (default: the machine's cores). */
  torchThreads?: number | null;
}

const BATCHES = 8;

/** Seeded synthetic batches: uniform pixels, random labels. */
export function syntheticBatches(w: Workload, seed: number): RawBatch[] {
  const rng = new Rng(seed);
  const size = w.inputShape.reduce((a, b) => a * b, 1);
  return Array.from({ length: BATCHES }, () => {
    const x = new Float32Array(w.batch * size);
    for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
    const labels = new Int32Array(w.batch);
    for (let i = 0; i < labels.length; i++) labels[i] = rng.int(10);
    return { x, labels };
  });
}

function prepareBatches(w: Workload, raw: readonly RawBatch[]): PreparedBatch[] {
  return raw.map(({ x, labels }) => {
    const labelT = tf.tensor1d(labels, 'int32');
    return { x: tf.tensor(x, [w.batch, ...w.inputShape]), labels: labelT, oneHot: tf.tidy(() => tf.oneHot(labelT, 10).toFloat()) };
  });
}

async function runWorkload(root: string, w: Workload, o: BenchOptions, python: string | null): Promise<WorkloadResult> {
  const base: WorkloadResult = { workload: w.name, description: w.description, spec: w.spec, optimizer: w.optimizer, batch: w.batch, pending: null, methods: {}, ratios: null, firstLosses: {}, torch: null };
  let trainer;
  try {
    trainer = await loadTrainer(root, w.spec);
  } catch (e) {
    return { ...base, pending: (e as Error).message.split('\n').slice(0, 3).join(' ') };
  }
  const m = trainer.module;
  m.installConstants();
  const init = initialValues(m, 7);
  const raw = syntheticBatches(w, 11);
  const batches = prepareBatches(w, raw);
  const torch = python === null ? null : await TorchSession.start(root, python, torchJob(w, init, raw, o.torchThreads ?? null));
  const torchRounds: Record<string, TorchRound>[] = [];
  const impls: Record<Method, StepImpl> = {
    generated: generatedStep(m, init, batches, w),
    variableGrads: variableGradsLoop(w, init, batches),
    layers: layersModel(w, init, batches),
  };
  const times: Record<Method, number[]> = { generated: [], variableGrads: [], layers: [] };
  const rounds: Record<Method, number[]> = { generated: [], variableGrads: [], layers: [] };
  const losses: Record<Method, number[]> = { generated: [], variableGrads: [], layers: [] };
  let next: Record<Method, number> = { generated: 0, variableGrads: 0, layers: 0 };
  const runners: (Method | 'torch')[] = torch ? [...METHODS, 'torch'] : [...METHODS];
  for (let r = 0; r < o.rounds; r++) {
    // Rotate the order each round so no method always runs first (or after the slowest).
    const order = runners.map((_, k) => runners[(k + r) % runners.length]!);
    for (const method of order) {
      if (method === 'torch') {
        torchRounds.push(await torch!.session.round(o.warmup, o.steps));
        continue;
      }
      const impl = impls[method];
      const warm = await timeSteps(impl, next[method], o.warmup);
      const timed = await timeSteps(impl, next[method] + o.warmup, o.steps);
      next = { ...next, [method]: next[method] + o.warmup + o.steps };
      losses[method].push(...warm.losses, ...timed.losses);
      times[method].push(...timed.ms);
      rounds[method].push(median(timed.ms));
    }
  }
  const result: WorkloadResult = { ...base };
  for (const method of METHODS) {
    const counts = await countStep(impls[method], next[method], method === 'generated' ? trainer.graphOps : undefined);
    const l = losses[method];
    result.methods[method] = { msMedian: median(times[method]), roundMedians: rounds[method], counts, firstLoss: l[0]!, lastLoss: l[l.length - 1]! };
    result.firstLosses[method] = l[0]!;
  }
  const g = result.methods.generated!.msMedian;
  result.ratios = { vsVariableGrads: g / result.methods.variableGrads!.msMedian, vsLayers: g / result.methods.layers!.msMedian };
  for (const impl of Object.values(impls)) impl.dispose();
  for (const b of batches) tf.dispose([b.x, b.labels, b.oneHot]);
  if (torch) {
    torch.session.close();
    result.torch = torchResult(w, torch, torchRounds, result.methods.generated!, median);
  }
  const t = result.torch;
  o.log(
    `${w.name}: generated ${g.toFixed(2)} ms, variableGrads ${result.methods.variableGrads!.msMedian.toFixed(2)} ms, layers ${result.methods.layers!.msMedian.toFixed(2)} ms` +
      (t ? `, PyTorch ${t.variants['default']!.msMedian.toFixed(2)} ms` : '') +
      ` → ${result.ratios.vsVariableGrads.toFixed(2)}× / ${result.ratios.vsLayers.toFixed(2)}×` +
      (t ? ` / ${t.ratio.toFixed(2)}× (first loss Δ ${t.firstLossDelta.toExponential(1)})` : ''),
  );
  return result;
}

/** The generated trainer's own trainStep over its own parameter and optimizer-state records. */
function generatedStep(m: Awaited<ReturnType<typeof loadTrainer>>['module'], init: ReturnType<typeof initialValues>, batches: readonly PreparedBatch[], w: Workload): StepImpl {
  const params: Record<string, tf.Tensor> = {};
  for (const p of init) params[p.name] = tf.tensor(p.values, p.shape);
  const state = m.initOptimizerState(params);
  const rng = new Rng(13);
  return {
    step(i) {
      const b = batches[i % batches.length]!;
      return m.trainStep(params, state, { image: b.x, digit: b.labels }, w.lr, rng);
    },
    dispose() {
      tf.dispose(Object.values(params));
      m.disposeOptimizerState(state);
    },
  };
}

export async function runBench(root: string, o: BenchOptions): Promise<BenchResults> {
  const backend = await initBackend(o.backend, o.log);
  const results: BenchResults = {
    date: new Date().toISOString(),
    backend: `${backend} (${tf.getBackend()})`,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    settings: { steps: o.steps, warmup: o.warmup, rounds: o.rounds, batchesCycled: BATCHES },
    loadAverage: [loadavg()[0]!, NaN],
    workloads: [],
    compile: null,
    torch: { python: torchPython(), version: null, note: 'off (--no-torch)' },
  };
  if (o.torch ?? true) {
    results.torch = { ...probeTorch(results.torch.python), note: null };
    if (results.torch.version === null) {
      results.torch.note = TORCH_SKIPPED;
      o.log(TORCH_SKIPPED);
    } else o.log(`PyTorch ${results.torch.version} (${results.torch.python})`);
  }
  const python = results.torch.version === null ? null : results.torch.python;
  for (const name of o.workloads) {
    const w = WORKLOADS.find((x) => x.name === name);
    if (!w) throw new Error(`unknown workload ${name} (have ${WORKLOADS.map((x) => x.name).join(', ')})`);
    results.workloads.push(await runWorkload(root, w, o, python));
  }
  if (o.compileTime) {
    results.compile = timeCompile(100, 6);
    o.log(`100-layer spec: compiled in ${results.compile.medianMs.toFixed(0)} ms (cold ${results.compile.coldMs.toFixed(0)} ms)`);
  }
  results.loadAverage[1] = loadavg()[0]!;
  if (o.out !== null) {
    mkdirSync(o.out, { recursive: true });
    writeFileSync(join(o.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(o.out, 'results.md'), markdown(results));
  }
  return results;
}

function parseArgs(argv: readonly string[]): BenchOptions {
  const o: BenchOptions = {
    backend: 'node',
    workloads: WORKLOADS.map((w) => w.name),
    steps: 40,
    warmup: 10,
    rounds: 3,
    compileTime: true,
    out: 'bench',
    log: (line) => console.log(line),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--backend') o.backend = value() as BackendName;
    else if (a === '--workloads') o.workloads = value().split(',');
    else if (a === '--steps') o.steps = Number(value());
    else if (a === '--warmup') o.warmup = Number(value());
    else if (a === '--rounds') o.rounds = Number(value());
    else if (a === '--out') o.out = value();
    else if (a === '--no-compile-time') o.compileTime = false;
    else if (a === '--no-torch') o.torch = false;
    else if (a === '--torch-threads') o.torchThreads = Number(value());
    else if (a === '--help') {
      console.log('usage: npm run bench -- [--backend node|wasm|cpu] [--workloads a,b] [--steps 40] [--warmup 10] [--rounds 3] [--out DIR] [--no-compile-time] [--no-torch] [--torch-threads N]');
      console.log(`workloads: ${WORKLOADS.map((w) => w.name).join(', ')}`);
      process.exit(0);
    } else throw new Error(`unknown flag ${a}`);
  }
  return o;
}

const isMain = import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  const o = parseArgs(process.argv.slice(2));
  const r = await runBench(process.cwd(), o);
  console.log(`\n${markdown(r)}`);
}
