// Per-epoch progress. On a terminal: one bar redrawn in place (steps, running
// loss, throughput, ETA), replaced by the epoch's summary line when the epoch
// ends. Elsewhere (CI logs, pipes): only the summary lines, so logs stay short.
// `--quiet` silences both; final results are printed by the trainer itself.

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  quiet?: boolean;
  /** Default process.stdout. */
  stream?: ProgressStream;
  /** Force the bar on/off; default: the stream is a TTY, or NNC_PROGRESS=bar|lines says otherwise. */
  bar?: boolean;
  /** Milliseconds clock (tests inject a fake one). */
  now?: () => number;
}

/** Minimum time between two redraws of the bar. */
const REDRAW_MS = 100;

export class Progress {
  private readonly quiet: boolean;
  private readonly stream: ProgressStream;
  private readonly bar: boolean;
  private readonly now: () => number;
  private epoch = 0;
  private epochs = 0;
  private steps = 0;
  private done = 0;
  private examples = 0;
  private lossSum = 0;
  private lossCount = 0;
  private started = 0;
  private lastStep = 0;
  private lastDraw = -Infinity;
  private barShown = false;

  constructor(options: ProgressOptions = {}) {
    this.quiet = options.quiet ?? false;
    this.stream = options.stream ?? process.stdout;
    const env = process.env['NNC_PROGRESS'];
    this.bar = options.bar ?? (env === 'bar' ? true : env === 'lines' ? false : this.stream.isTTY === true);
    this.now = options.now ?? (() => performance.now());
  }

  /** Starts epoch `epoch` (1-based) of `epochs`, which has `steps` batches. */
  startEpoch(epoch: number, epochs: number, steps: number): void {
    this.epoch = epoch;
    this.epochs = epochs;
    this.steps = steps;
    this.done = 0;
    this.examples = 0;
    this.lossSum = 0;
    this.lossCount = 0;
    this.started = this.now();
    this.lastStep = this.started;
    this.lastDraw = -Infinity;
  }

  /** One batch of `examples` done, with its loss if the trainer read it back. */
  step(examples: number, loss?: number): void {
    this.done++;
    this.examples += examples;
    if (loss !== undefined && Number.isFinite(loss)) {
      this.lossSum += loss;
      this.lossCount++;
    }
    const t = this.now();
    this.lastStep = t;
    if (this.quiet || !this.bar) return;
    if (t - this.lastDraw < REDRAW_MS && this.done < this.steps) return;
    this.lastDraw = t;
    this.stream.write(`\r${this.barLine(t)}\x1b[K`);
    this.barShown = true;
  }

  /**
   * Ends the epoch: prints `epoch 3/10  loss 0.1234  val_accuracy 0.9712  (2.1s, 25600 ex/s)`:
   * the whole epoch's time (validation included) and the training throughput (up to the last step).
   */
  endEpoch(summary: Record<string, number>): void {
    const seconds = Math.max(1e-9, (this.now() - this.started) / 1000);
    const values = Object.entries(summary)
      .map(([k, v]) => `${k} ${formatNumber(v)}`)
      .join('  ');
    const rate = Math.round(this.examples / Math.max(1e-9, (this.lastStep - this.started) / 1000));
    this.write(`${this.prefix()}  ${values}  (${seconds.toFixed(1)}s, ${rate} ex/s)`);
  }

  /** A line of its own (clears the bar first). Silent when quiet. */
  log(line: string): void {
    this.write(line);
  }

  /** The bar's text at time `t` (exposed for tests). */
  barLine(t = this.now()): string {
    const elapsed = Math.max(1e-9, (t - this.started) / 1000);
    const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - 60));
    const frac = this.steps > 0 ? Math.min(1, this.done / this.steps) : 0;
    const filled = Math.round(frac * width);
    const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (frac < 1 ? '>' : '=') : '') + ' '.repeat(width - filled);
    const loss = this.lossCount > 0 ? `  loss ${formatNumber(this.lossSum / this.lossCount)}` : '';
    const rate = this.examples / elapsed;
    const eta = this.done > 0 ? ((this.steps - this.done) * elapsed) / this.done : NaN;
    return `${this.prefix()} [${bar}] ${this.done}/${this.steps}${loss}  ${Math.round(rate)} ex/s  ETA ${formatSeconds(eta)}`;
  }

  private prefix(): string {
    const w = String(this.epochs).length;
    return `epoch ${String(this.epoch).padStart(w)}/${this.epochs}`;
  }

  private write(line: string): void {
    if (this.quiet) return;
    if (this.barShown) {
      this.stream.write('\r\x1b[K');
      this.barShown = false;
    }
    this.stream.write(`${line}\n`);
  }
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
