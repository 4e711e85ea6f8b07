// `nnc export FILE --checkpoint DIR -o OUT`: a trained model as a TensorFlow.js
// layers model (OUT/model.json + OUT/weights.bin), loadable for inference with
// `tf.loadLayersModel('file://OUT/model.json')` in Node or a browser. The
// topology comes from the compiled net (src/check/layers-export.ts), the
// weights from the run's checkpoint, checked against the model by name and
// shape. The model outputs the net's prediction (logits: no softmax added).
import { join } from 'node:path';
import { formatFlags, parseArgs, UsageError, type FlagSpecs } from '../args.js';
import { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import { compileSource } from '../../pipeline.js';
import { printDiagnostics, SourceSet } from '../source.js';
import { layersExport } from '../../check/layers-export.js';
import { VERSION } from '../../version.js';

const FLAGS: FlagSpecs = {
  checkpoint: { kind: 'string', value: 'DIR', description: 'the run to export: its best.ckpt, or a .ckpt file (default checkpoints/<model>)' },
  out: { kind: 'string', short: 'o', value: 'DIR', description: 'output directory (default exported/<model>)' },
  help: { kind: 'boolean', short: 'h', description: 'this help' },
};

const HELP = `usage: nnc export FILE [--checkpoint DIR] [-o DIR]

Writes the trained model of a spec as a TensorFlow.js layers model:
DIR/model.json (a Keras Sequential topology: Flatten, Dense, Dropout,
Activation, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D,
BatchNormalization, Embedding, LSTM layers named after the spec's bindings;
an lstm's padding mask is its Embedding's mask_zero) and DIR/weights.bin.
Load it with tf.loadLayersModel('file://DIR/model.json'). The output is the
net's prediction (logits). Exit 0 written, 1 spec errors or no layers
equivalent, 2 usage error, 3 the checkpoint does not match the model.

${formatFlags(FLAGS)}`;

export async function exportCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.help) return void process.stdout.write(HELP + '\n'), 0;
  if (args.positional.length !== 1) throw new UsageError(args.positional.length === 0 ? 'no spec file given' : 'export takes one spec file');
  const sources = new SourceSet();
  const sink = new DiagnosticSink();
  const compiled = compileSource(sources.readArgument(args.positional[0]!), sink, { readSource: sources.readUsed });
  printDiagnostics(sink, sources, false);
  if (compiled === null) return 1;
  const model = compiled.model;
  const plan = layersExport(model);
  if ('reason' in plan) {
    process.stderr.write(`nnc export: ${model.name} has no TensorFlow.js layers equivalent: ${plan.reason}\n`);
    return 1;
  }
  const ckptPath = typeof args.flags.checkpoint === 'string' ? args.flags.checkpoint : join('checkpoints', model.name);
  const outDir = typeof args.flags.out === 'string' ? args.flags.out : join('exported', model.name);
  const rt = await import('../../runtime/index.js');
  // Only bytes are moved: the reference cpu kernels suffice (its "install tfjs-node" banner is noise here).
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  const expect: Record<string, number[]> = {};
  for (const p of model.forward.params) expect[p.name] = p.type.shape.map(Number);
  let ckpt: Awaited<ReturnType<typeof rt.loadCheckpoint>>;
  try {
    ckpt = await rt.loadCheckpoint(ckptPath, { slot: 'best', expect });
  } catch (e) {
    if (e instanceof rt.CheckpointError) {
      process.stderr.write(`nnc export: ${e.message}\n`);
      return 3;
    }
    throw e;
  }
  await rt.writeLayersModel(outDir, plan.topology, plan.weights.map((w) => ({ name: w.layersName, tensor: ckpt.tensors[w.param]! })), `nnc ${VERSION}`);
  for (const t of Object.values(ckpt.tensors)) t.dispose();
  process.stdout.write(`wrote ${join(outDir, 'model.json')} and ${join(outDir, 'weights.bin')} (${plan.weights.length} weights, from ${ckptPath})\n`);
  return 0;
}
