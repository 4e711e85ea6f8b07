// Command-line flags shared by every generated trainer. Mistakes are
// UsageErrors (exit code 2) that say which flag and what was expected.
import { BACKENDS, type BackendName } from './backend.js';
import { UsageError } from './errors.js';

export interface TrainerFlags {
  epochs: number;
  /** 'all' = full-batch gradient descent. */
  batch: number | 'all';
  lr: number;
  seed: number;
  /** undefined = best available. */
  backend: BackendName | undefined;
  dataDir: string;
  /** null = no checkpoints. */
  checkpointDir: string | null;
  resume: boolean;
  quiet: boolean;
  /** Stop after this many optimizer steps in total (null: no limit). */
  maxSteps: number | null;
  /** Use at most this many examples of each data set (null: all). */
  limit: number | null;
  help: boolean;
}

/** The spec's values, shown in --help and used when a flag is absent. */
export interface FlagDefaults {
  epochs: number;
  batch: number | 'all';
  lr: number;
  seed: number;
  /** Default '.'. */
  dataDir?: string;
  /** Default null (no checkpoints unless --checkpoint-dir). */
  checkpointDir?: string | null;
}

type Kind = 'posInt' | 'batch' | 'posNumber' | 'int' | 'backend' | 'path' | 'bool';

interface FlagSpec {
  key: keyof TrainerFlags;
  kind: Kind;
  help: string;
  arg?: string;
}

const FLAGS: Record<string, FlagSpec> = {
  '--epochs': { key: 'epochs', kind: 'posInt', arg: 'N', help: 'number of epochs' },
  '--batch': { key: 'batch', kind: 'batch', arg: 'N|all', help: 'mini-batch size, or all for full-batch' },
  '--lr': { key: 'lr', kind: 'posNumber', arg: 'X', help: 'base learning rate' },
  '--seed': { key: 'seed', kind: 'int', arg: 'N', help: 'random seed (init, shuffles, splits, dropout)' },
  '--backend': { key: 'backend', kind: 'backend', arg: 'node|wasm|cpu', help: 'tfjs backend (default: best available)' },
  '--data-dir': { key: 'dataDir', kind: 'path', arg: 'DIR', help: 'directory data paths are resolved against' },
  '--checkpoint-dir': { key: 'checkpointDir', kind: 'path', arg: 'DIR', help: 'where best.ckpt and last.ckpt are written' },
  '--resume': { key: 'resume', kind: 'bool', help: 'continue from DIR/last.ckpt' },
  '--quiet': { key: 'quiet', kind: 'bool', help: 'print only the final results' },
  '--max-steps': { key: 'maxSteps', kind: 'posInt', arg: 'N', help: 'stop after N optimizer steps' },
  '--limit': { key: 'limit', kind: 'posInt', arg: 'N', help: 'use at most N examples of each data set' },
  '--help': { key: 'help', kind: 'bool', help: 'show this help' },
};
const ALIASES: Record<string, string> = { '-h': '--help', '-q': '--quiet' };

/**
 * Parses a trainer's argv (without node and the script). Accepts `--flag value`
 * and `--flag=value`. Throws UsageError for unknown flags (with a suggestion),
 * missing or bad values, and stray arguments.
 */
export function parseFlags(argv: readonly string[], defaults: FlagDefaults): TrainerFlags {
  const flags: TrainerFlags = {
    epochs: defaults.epochs,
    batch: defaults.batch,
    lr: defaults.lr,
    seed: defaults.seed,
    backend: undefined,
    dataDir: defaults.dataDir ?? '.',
    checkpointDir: defaults.checkpointDir ?? null,
    resume: false,
    quiet: false,
    maxSteps: null,
    limit: null,
    help: false,
  };
  const values = flags as unknown as Record<string, unknown>;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) throw new UsageError(`unexpected argument '${arg}' (flags start with --; see --help)`);
    const eq = arg.indexOf('=');
    const rawName = eq >= 0 ? arg.slice(0, eq) : arg;
    const name = ALIASES[rawName] ?? rawName;
    const spec = FLAGS[name];
    if (spec === undefined) {
      const guess = suggest(name);
      throw new UsageError(`unknown flag ${rawName}${guess ? ` (did you mean ${guess}?)` : ''}; see --help`);
    }
    if (spec.kind === 'bool') {
      if (eq >= 0) throw new UsageError(`${name} takes no value`);
      values[spec.key] = true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`${name} needs a value (${spec.arg})`);
      value = next;
      i++;
    }
    values[spec.key] = parseValue(name, spec, value);
  }
  if (flags.resume && flags.checkpointDir === null) throw new UsageError('--resume needs --checkpoint-dir (where last.ckpt is)');
  return flags;
}

function parseValue(name: string, spec: FlagSpec, value: string): unknown {
  const bad = (expected: string) => new UsageError(`${name}: expected ${expected}, got '${value}'`);
  switch (spec.kind) {
    case 'posInt':
    case 'batch': {
      if (spec.kind === 'batch' && value === 'all') return 'all';
      const n = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n <= 0) throw bad(spec.kind === 'batch' ? "a positive integer or 'all'" : 'a positive integer');
      return n;
    }
    case 'posNumber': {
      const x = value.trim() === '' ? NaN : Number(value);
      if (!Number.isFinite(x) || x <= 0) throw bad('a positive number');
      return x;
    }
    case 'int': {
      const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n)) throw bad('an integer');
      return n;
    }
    case 'backend':
      if (!(BACKENDS as readonly string[]).includes(value)) throw bad(BACKENDS.join(', '));
      return value;
    case 'path':
      if (value === '') throw bad('a path');
      return value;
    case 'bool':
      return true;
  }
}

/** The closest known flag within edit distance 2 (or by prefix), if any. */
function suggest(name: string): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const known of Object.keys(FLAGS)) {
    const d = known.startsWith(name) && name.length > 3 ? 1 : editDistance(name, known);
    if (d < bestD) {
      bestD = d;
      best = known;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The --help text, with the spec's defaults. Ends with a newline. */
export function helpText(program: string, defaults: FlagDefaults): string {
  const shown: Partial<Record<keyof TrainerFlags, string>> = {
    epochs: String(defaults.epochs),
    batch: String(defaults.batch),
    lr: String(defaults.lr),
    seed: String(defaults.seed),
    dataDir: defaults.dataDir ?? '.',
    checkpointDir: defaults.checkpointDir ?? 'none',
  };
  const rows = Object.entries(FLAGS).map(([name, spec]) => {
    const left = spec.arg ? `${name} ${spec.arg}` : name;
    const d = shown[spec.key];
    return [left, d !== undefined ? `${spec.help} (default ${d})` : spec.help] as const;
  });
  const w = Math.max(...rows.map(([l]) => l.length));
  return [
    `usage: ${program} [flags]`,
    '',
    'flags:',
    ...rows.map(([l, r]) => `  ${l.padEnd(w)}  ${r}`),
    '',
    'exit codes: 0 ok, 2 usage error, 3 training failure (data, checkpoint, NaN loss)',
    '',
  ].join('\n');
}
