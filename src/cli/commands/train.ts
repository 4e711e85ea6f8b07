// `nnc train FILE [trainer flags]`: compile, then run the trainer with live output.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, UsageError, type FlagSpecs, formatFlags } from '../args.js';
import { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import { compileSource } from '../../pipeline.js';
import { printDiagnostics, SourceSet } from '../source.js';
import { readPretrainedHeader } from '../pretrained.js';
import { emitFiles, writeFiles } from '../emit-files.js';

const FLAGS: FlagSpecs = {
  out: { kind: 'string', short: 'o', value: 'DIR', description: 'where to write the trainer (default .nnc-cache/<model>-<hash> in the nnc package)' },
  help: { kind: 'boolean', short: 'h', description: 'this help' },
};

const HELP = `usage: nnc train FILE [-o DIR] [trainer flags…]

Compiles the spec, then runs the generated trainer. Every other flag goes to
the trainer: --epochs N --batch N --lr X --seed N --backend node|wasm|cpu
--data-dir DIR --checkpoint-dir DIR --resume --quiet (see the trainer's --help).

${formatFlags(FLAGS)}

exit codes: 0 trained, 1 errors in the spec, 2 usage error, 3 training failed`;

/** Inside the nnc package, so the trainer resolves @tensorflow/* from nnc's node_modules. */
const CACHE_DIR = fileURLToPath(new URL('../../../.nnc-cache/', import.meta.url));

export async function trainCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS, { passThrough: true });
  if (args.flags.help) return void process.stdout.write(HELP + '\n'), 0;
  if (args.positional.length !== 1) throw new UsageError(args.positional.length === 0 ? 'no spec file given' : 'train takes one spec file (trainer flags start with --)');
  const sources = new SourceSet();
  const sink = new DiagnosticSink();
  const src = sources.readArgument(args.positional[0]!);
  const compiled = compileSource(src, sink, { readSource: sources.readUsed, readPretrained: readPretrainedHeader });
  printDiagnostics(sink, sources, false);
  if (compiled === null) return 1;
  const files = emitFiles(compiled, src.file, src.text);
  // Keyed by content: two runs of different specs (or versions) never overwrite each other's trainer.
  const outDir = typeof args.flags.out === 'string' ? args.flags.out : join(CACHE_DIR, `${compiled.model.name}-${contentHash(files)}`);
  writeFiles(outDir, files);
  return runTrainer(join(outDir, 'train.ts'), args.rest);
}

function contentHash(files: readonly { path: string; text: string }[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(f.path).update('\0').update(f.text).update('\0');
  return h.digest('hex').slice(0, 12);
}

/** Runs a generated trainer under tsx, streaming its output; maps its exit code onto nnc's. */
export function runTrainer(trainTs: string, trainerArgs: readonly string[]): Promise<number> {
  const tsx = import.meta.resolve('tsx');
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', tsx, trainTs, ...trainerArgs], { stdio: 'inherit' });
    child.on('error', (e) => {
      process.stderr.write(`nnc train: could not start the trainer: ${e.message}\n`);
      done(3);
    });
    child.on('exit', (code, signal) => {
      if (signal) process.stderr.write(`nnc train: trainer stopped by ${signal}\n`);
      done(code === 0 ? 0 : code === 2 ? 2 : 3);
    });
  });
}
