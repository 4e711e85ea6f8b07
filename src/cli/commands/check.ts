// `nnc check FILE…`: every stage up to the backward graph, diagnostics only.
import { formatFlags, parseArgs, UsageError, type FlagSpecs } from '../args.js';
import { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import { compileSource } from '../../pipeline.js';
import { printDiagnostics, SourceSet } from '../source.js';
import { readPretrainedHeader } from '../pretrained.js';
import { modelSummary } from '../summary.js';

const FLAGS: FlagSpecs = {
  json: { kind: 'boolean', description: 'print diagnostics as JSON on stdout' },
  help: { kind: 'boolean', short: 'h', description: 'this help' },
};

const HELP = `usage: nnc check [--json] FILE…

Parses, validates and checks each spec (names, shapes, the backward graph) and
prints every diagnostic. Exit 0 if all are valid, 1 if any has errors.

${formatFlags(FLAGS)}`;

export async function checkCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.help) return void process.stdout.write(HELP + '\n'), 0;
  if (args.positional.length === 0) throw new UsageError('no spec file given');
  const json = args.flags.json === true;
  const sources = new SourceSet();
  const sink = new DiagnosticSink();
  const summaries: string[] = [];
  for (const path of args.positional) {
    const src = sources.readArgument(path);
    // One sink per file: a stage stops on its own file's errors, not on an earlier file's.
    const fileSink = new DiagnosticSink();
    const compiled = compileSource(src, fileSink, { readSource: sources.readUsed, readPretrained: readPretrainedHeader });
    sink.items.push(...fileSink.items);
    if (compiled) summaries.push(`${src.file}: ok — ${modelSummary(compiled.model)}`);
  }
  printDiagnostics(sink, sources, json);
  if (!json) for (const s of summaries) process.stdout.write(s + '\n');
  if (sink.hasErrors && !json) process.stderr.write(`${sink.errorCount} error(s)\n`);
  return sink.hasErrors ? 1 : 0;
}
