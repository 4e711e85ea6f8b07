// `nnc gradcheck FILE`: the compiled gradient of every trainable parameter
// against tfjs's own tf.grad and central finite differences, on a random batch.
import { formatFlags, parseArgs, UsageError, type FlagSpecs } from '../args.js';
import { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import { compileSource } from '../../pipeline.js';
import { printDiagnostics, SourceSet } from '../source.js';
import { formatGradcheckTable, gradcheck } from '../../autodiff/gradcheck.js';

const FLAGS: FlagSpecs = {
  seed: { kind: 'string', value: 'N', description: 'seed for the random batch and parameters (default 1)' },
  batch: { kind: 'string', value: 'N', description: 'batch size (default 4)' },
  raw: { kind: 'boolean', description: 'check the graph before optimisation passes' },
  help: { kind: 'boolean', short: 'h', description: 'this help' },
};

const HELP = `usage: nnc gradcheck FILE [--seed N] [--batch N]

For each trainable parameter, compares the gradient the compiler derived with
tf.grad of the same forward and with central finite differences; prints one
row per parameter. Exit 0 if all pass, 1 if any fails.

${formatFlags(FLAGS)}`;

function intFlag(v: string | boolean | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} needs a positive integer, got '${String(v)}'`);
  return n;
}

export async function gradcheckCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.help) return void process.stdout.write(HELP + '\n'), 0;
  if (args.positional.length !== 1) throw new UsageError('gradcheck takes one spec file');
  const seed = intFlag(args.flags.seed, 'seed', 1);
  const batch = intFlag(args.flags.batch, 'batch', 4);
  const sources = new SourceSet();
  const sink = new DiagnosticSink();
  const compiled = compileSource(sources.readArgument(args.positional[0]!), sink, { readSource: sources.readUsed });
  printDiagnostics(sink, sources, false);
  if (compiled === null) return 1;
  const tf = await import('@tensorflow/tfjs');
  // float32 on the reference cpu kernels; its "install tfjs-node" banner is noise here.
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  const rows = await gradcheck(args.flags.raw ? compiled.raw : compiled.training, { seed, batch, classes: compiled.model.classes ?? undefined });
  process.stdout.write(formatGradcheckTable(rows) + '\n');
  const failed = rows.filter((r) => !r.pass);
  process.stdout.write(failed.length === 0 ? `all ${rows.length} parameters pass\n` : `${failed.length} of ${rows.length} parameters FAIL\n`);
  return failed.length === 0 ? 0 : 1;
}
