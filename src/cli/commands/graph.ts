// `nnc graph FILE`: the forward + backward IR as text, Graphviz DOT, or SVG.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { formatFlags, parseArgs, UsageError, type FlagSpecs } from '../args.js';
import { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import { compileSource } from '../../pipeline.js';
import { printDiagnostics, SourceSet } from '../source.js';
import { printTrainingGraph } from '../../ir/print.js';
import { trainingGraphToDot } from '../../ir/dot.js';

const FLAGS: FlagSpecs = {
  dot: { kind: 'boolean', description: 'print Graphviz DOT instead of text' },
  svg: { kind: 'boolean', description: 'render SVG with Graphviz (needs `dot` on PATH)' },
  raw: { kind: 'boolean', description: 'show the graph before optimisation passes' },
  out: { kind: 'string', short: 'o', value: 'FILE', description: 'write to FILE instead of stdout' },
  help: { kind: 'boolean', short: 'h', description: 'this help' },
};

const HELP = `usage: nnc graph FILE [--dot | --svg] [--raw] [-o FILE]

Prints the training graph: forward nodes, then the backward nodes autodiff
derived (each naming the forward node and .nn line it differentiates).

${formatFlags(FLAGS)}`;

export async function graphCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.help) return void process.stdout.write(HELP + '\n'), 0;
  if (args.positional.length !== 1) throw new UsageError('graph takes one spec file');
  if (args.flags.dot && args.flags.svg) throw new UsageError('choose one of --dot and --svg');
  const sources = new SourceSet();
  const sink = new DiagnosticSink();
  const compiled = compileSource(sources.readArgument(args.positional[0]!), sink, { readSource: sources.readUsed });
  printDiagnostics(sink, sources, false);
  if (compiled === null) return 1;
  const tg = args.flags.raw ? compiled.raw : compiled.training;
  let text = args.flags.dot || args.flags.svg ? trainingGraphToDot(tg) : printTrainingGraph(tg);
  if (args.flags.svg) {
    const r = spawnSync('dot', ['-Tsvg'], { input: text, encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      process.stderr.write(`nnc graph: --svg needs Graphviz's 'dot' (apt-get install graphviz); use --dot to get the DOT text\n`);
      return 2;
    }
    text = r.stdout;
  }
  if (typeof args.flags.out === 'string') writeFileSync(args.flags.out, text);
  else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return 0;
}
