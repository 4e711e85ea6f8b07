// The PyTorch CPU eager baseline: bench/torch_step.py in a Python that can
// import torch (NNC_PYTHON, else python3), fed the workload, the generated
// trainer's initial values and the same synthetic batches as a JSON job. It
// runs as a long-lived process that times one round per request, so its rounds
// interleave with the tfjs methods' and a busy machine slows all of them alike.
// Optional: without an importable torch the bench says so once and goes on.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Initial } from './baselines.js';
import { ADAM, type LayerDesc, type Workload } from './workloads.js';

/** Largest |PyTorch first loss − generated first loss| that still proves the same workload. */
export const FIRST_LOSS_TOLERANCE = 1e-4;

/** The torch.optim update paths timed: what it picks unasked, and its fused CPU kernel. */
export const TORCH_VARIANTS = ['default', 'fused'] as const;

export const TORCH_SKIPPED = 'PyTorch: skipped (no importable torch; see bench/README.md)';

export interface TorchAvailability {
  python: string;
  /** torch.__version__, or null when `import torch` failed. */
  version: string | null;
}

/** One batch as raw host arrays (NHWC images, class indices). */
export interface RawBatch {
  x: Float32Array;
  labels: Int32Array;
}

export interface TorchJob {
  workload: string;
  inputShape: number[];
  batch: number;
  layers: LayerDesc[];
  l2: number;
  optimizer: { kind: 'sgd'; lr: number } | { kind: 'adam'; lr: number; beta1: number; beta2: number; epsilon: number };
  /** Parameters in declaration order (weight, bias per layer), nnc layouts, base64 little-endian float32. */
  params: { name: string; shape: number[]; f32: string }[];
  /** Base64 little-endian float32 pixels and int32 labels. */
  batches: { x: string; labels: string }[];
  /** torch.set_num_threads; null: the machine's cores. */
  threads: number | null;
  variants: string[];
}

export interface TorchVariantResult {
  /** The update path torch.optim ran: for-loop, foreach or fused. */
  implementation: string;
  msMedian: number;
  roundMedians: number[];
  firstLoss: number;
  lastLoss: number;
}

export interface TorchWorkloadResult {
  version: string;
  threads: number;
  variants: Record<string, TorchVariantResult>;
  /** |PyTorch default's first loss − the generated trainer's first loss|. */
  firstLossDelta: number;
  /** generated ÷ PyTorch (default optimizer) step time. */
  ratio: number;
}

export interface TorchRound {
  ms: number[];
  losses: number[];
}

const base64 = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

export function torchJob(w: Workload, init: readonly (Initial & { name: string })[], batches: readonly RawBatch[], threads: number | null = null): TorchJob {
  return {
    workload: w.name,
    inputShape: w.inputShape,
    batch: w.batch,
    layers: [...w.layers],
    l2: w.l2,
    optimizer: w.optimizer === 'sgd' ? { kind: 'sgd', lr: w.lr } : { kind: 'adam', lr: w.lr, ...ADAM },
    params: init.map((p) => ({ name: p.name, shape: p.shape, f32: base64(p.values) })),
    batches: batches.map((b) => ({ x: base64(b.x), labels: base64(b.labels) })),
    threads,
    variants: [...TORCH_VARIANTS],
  };
}

export const torchPython = (env: NodeJS.ProcessEnv = process.env) => env['NNC_PYTHON'] || 'python3';

/** Probes `import torch` once. */
export function probeTorch(python = torchPython()): TorchAvailability {
  const r = spawnSync(python, ['-c', 'import warnings; warnings.simplefilter("ignore"); import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return { python, version: r.status === 0 ? r.stdout.trim() : null };
}

/** A torch_step.py --serve process holding one workload's nets and optimizers. */
export class TorchSession {
  private pending: { resolve: (line: string) => void; reject: (e: Error) => void } | null = null;
  private stderr = '';
  private exited: Error | null = null;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: Interface,
  ) {
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    lines.on('line', (line) => {
      const p = this.pending;
      this.pending = null;
      p?.resolve(line);
    });
    child.on('close', (code) => {
      this.exited = new Error(`torch_step.py exited (${code}): ${this.stderr.trim().split('\n').slice(-3).join(' ')}`);
      this.pending?.reject(this.exited);
      this.pending = null;
    });
  }

  /** Starts the process and loads the job; resolves with the torch version and thread count it runs. */
  static async start(root: string, python: string, job: TorchJob): Promise<{ session: TorchSession; version: string; threads: number; implementations: Record<string, string> }> {
    const child = spawn(python, [join(root, 'bench', 'torch_step.py'), '--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const session = new TorchSession(child, createInterface({ input: child.stdout }));
    const info = JSON.parse(await session.request(JSON.stringify(job))) as { torch: string; threads: number; implementations: Record<string, string> };
    return { session, version: info.torch, threads: info.threads, implementations: info.implementations };
  }

  private request(line: string): Promise<string> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.stdin.write(`${line}\n`);
    });
  }

  /** Runs `warmup` untimed and `steps` timed steps of every variant. */
  async round(warmup: number, steps: number): Promise<Record<string, TorchRound>> {
    return JSON.parse(await this.request(JSON.stringify({ warmup, steps }))) as Record<string, TorchRound>;
  }

  close(): void {
    this.child.stdin.end();
  }
}

/**
 * Folds a workload's PyTorch rounds into its result, and checks it trained the
 * same workload: with the same initial values and first batch, PyTorch's first
 * loss must equal the generated trainer's (unless dropout draws its own masks).
 */
export function torchResult(
  w: Workload,
  started: { version: string; threads: number; implementations: Record<string, string> },
  rounds: readonly Record<string, TorchRound>[],
  generated: { firstLoss: number; msMedian: number },
  median: (xs: readonly number[]) => number,
): TorchWorkloadResult {
  const variants: Record<string, TorchVariantResult> = {};
  for (const name of Object.keys(started.implementations)) {
    const per = rounds.map((r) => r[name]!);
    const losses = per.flatMap((r) => r.losses);
    variants[name] = {
      implementation: started.implementations[name]!,
      msMedian: median(per.flatMap((r) => r.ms)),
      roundMedians: per.map((r) => median(r.ms)),
      firstLoss: losses[0]!,
      lastLoss: losses[losses.length - 1]!,
    };
  }
  const main = variants['default'];
  if (!main) throw new Error(`${w.name}: PyTorch returned no default-optimizer run`);
  const firstLossDelta = Math.abs(main.firstLoss - generated.firstLoss);
  const dropout = w.layers.some((l) => l.kind === 'dropout');
  if (!dropout && !(firstLossDelta <= FIRST_LOSS_TOLERANCE)) {
    throw new Error(
      `${w.name}: PyTorch's first loss ${main.firstLoss} differs from the generated trainer's ${generated.firstLoss} by ${firstLossDelta} (> ${FIRST_LOSS_TOLERANCE}): not the same workload`,
    );
  }
  return { version: started.version, threads: started.threads, variants, firstLossDelta, ratio: generated.msMedian / main.msMedian };
}
