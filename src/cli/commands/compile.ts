// `nnc compile FILE [-o DIR]`: write the generated trainer.
import { join } from 'node:path';
import { formatFlags, parseArgs, UsageError, type FlagSpecs } from '../args.js';
import { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import { compileSource } from '../../pipeline.js';
import { printDiagnostics, SourceSet } from '../source.js';
import { readPretrainedHeader } from '../pretrained.js';
import { parameterTable } from '../summary.js';
import { emitFiles, writeFiles } from '../emit-files.js';

const FLAGS: FlagSpecs = {
  out: { kind: 'string', short: 'o', value: 'DIR', description: 'output directory (default generated/<model>)' },
  json: { kind: 'boolean', description: 'print diagnostics as JSON on stdout' },
  quiet: { kind: 'boolean', short: 'q', description: 'do not print the parameter table' },
  help: { kind: 'boolean', short: 'h', description: 'this help' },
};

const HELP = `usage: nnc compile FILE [-o DIR]

Compiles a spec into DIR/train.ts (a standalone TypeScript trainer) and
DIR/runtime/ (its helper library). Run it with: npx tsx DIR/train.ts --help
The trainer imports @tensorflow/tfjs-*; compile inside a project that has them.

${formatFlags(FLAGS)}`;

export async function compileCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.help) return void process.stdout.write(HELP + '\n'), 0;
  if (args.positional.length !== 1) throw new UsageError(args.positional.length === 0 ? 'no spec file given' : 'compile takes one spec file');
  const sources = new SourceSet();
  const sink = new DiagnosticSink();
  const src = sources.readArgument(args.positional[0]!);
  const compiled = compileSource(src, sink, { readSource: sources.readUsed, readPretrained: readPretrainedHeader });
  printDiagnostics(sink, sources, args.flags.json === true);
  if (compiled === null) return 1;
  const outDir = typeof args.flags.out === 'string' ? args.flags.out : join('generated', compiled.model.name);
  const files = emitFiles(compiled, src.file, src.text);
  writeFiles(outDir, files);
  if (args.flags.quiet !== true && args.flags.json !== true) {
    process.stdout.write(parameterTable(compiled.model) + '\n\n');
    process.stdout.write(`wrote ${join(outDir, 'train.ts')} and ${files.length - 1} runtime file(s)\n`);
  }
  return 0;
}
