// The compiler as one pure function per stage, composed. No I/O here: the CLI
// reads files and hands text (and a resolver for `use "…"`) in.
import { DiagnosticSink } from './diagnostics/diagnostic.js';
import { frontEnd } from './syntax/index.js';
import { checkModel } from './check/index.js';
import { phaseForwards } from './check/phase-graphs.js';
import type { CheckedModel } from './check/model.js';
import { differentiate } from './autodiff/differentiate.js';
import { foldStepSize, optimize, poolFirst } from './passes/index.js';
import type { Spec } from './syntax/ast.js';
import type { ForwardGraph, TrainingGraph } from './ir/types.js';
import { checkPretrained, type PretrainedHeader } from './check/init-from.js';

export interface SourceFile {
  /** As shown in diagnostics and generated headers (relative to the working directory). */
  file: string;
  text: string;
}

export interface PipelineOptions {
  /** Resolves `use "base.nn"` relative to the file that says it. */
  readSource?: (path: string, fromFile: string) => SourceFile | null;
  /** Skip the optimisation passes (to show the raw backward graph). */
  optimize?: boolean;
  /** Leave out these optimisations of the pipeline's own (to measure what one buys: `npm run bench:ab`). */
  without?: readonly ('pool-first' | 'fold-step')[];
  /** Reads the names and shapes an `init from` source holds (null: absent, checked by the trainer at load time). */
  readPretrained?: (path: string) => PretrainedHeader;
}

export interface Compiled {
  spec: Spec;
  model: CheckedModel;
  /** Straight out of autodiff, before the passes. */
  raw: TrainingGraph;
  /** After DCE, CSE, simplification, folding. */
  training: TrainingGraph;
  /** With `phases { }`: one optimised graph per phase, each differentiated for that phase's trainable set. */
  phases: TrainingGraph[];
  /** The specs `use`d (directly or not), so generated comments can quote their lines. */
  used: SourceFile[];
}

/** text → Spec → CheckedModel → TrainingGraph → optimised TrainingGraph; null where a stage reported errors. */
export function compileSource(src: SourceFile, sink: DiagnosticSink, opts: PipelineOptions = {}): Compiled | null {
  // Each used file is read and checked once, however many stages ask for it.
  const usedSpecs = new Map<string, Spec | null>();
  const used: SourceFile[] = [];
  const resolveUse = (path: string, fromFile: string): Spec | null => {
    const key = `${fromFile}\0${path}`;
    if (!usedSpecs.has(key)) {
      usedSpecs.set(key, null); // a cycle reads as "not found" here; checkModel reports it
      const source = opts.readSource?.(path, fromFile) ?? null;
      if (source !== null && !used.some((u) => u.file === source.file)) used.push(source);
      usedSpecs.set(key, source === null ? null : frontEnd(source.text, source.file, sink, { resolveUse }));
    }
    return usedSpecs.get(key)!;
  };
  const spec = frontEnd(src.text, src.file, sink, { resolveUse });
  if (spec === null || sink.hasErrors) return null;
  const model = checkModel(spec, sink, { resolveUse });
  if (model === null || sink.hasErrors) return null;
  if (model.initFrom !== null && opts.readPretrained) checkPretrained(model, opts.readPretrained(model.initFrom.path), sink);
  if (sink.hasErrors) return null;
  const raw = differentiate(model.forward, sink);
  if (sink.hasErrors) return null;
  // Optimised graphs are differentiated after pools move under their bias and
  // activation (same values, smaller tensors); that moves no parameter, so the
  // diagnostics are those of the graph as written.
  const prepare = (fwd: ForwardGraph): ForwardGraph => (opts.optimize === false || opts.without?.includes('pool-first') ? fwd : poolFirst(fwd));
  const finish = (g: TrainingGraph): TrainingGraph => (opts.optimize === false ? g : optimize(g));
  const phases = phaseForwards(model).map((fwd) => finish(differentiate(prepare(fwd), sink)));
  if (sink.hasErrors) return null;
  const moved = prepare(model.forward);
  // raw's diagnostics are already reported
  const training = finish(moved === model.forward ? raw : differentiate(moved, new DiagnosticSink()));
  const folded = opts.optimize === false || opts.without?.includes('fold-step') ? null : foldStepSizeEverywhere(model, [training, ...phases]);
  return { spec, model, raw, training: folded?.[0] ?? training, phases: folded?.slice(1) ?? phases, used };
}

/**
 * Plain SGD with one learning rate for every parameter, no clipping and no
 * decay: its learning rate can join the loss gradient (src/passes/fold-step.ts)
 * when every graph (the whole model's and each phase's) allows it; all or none,
 * since one update rule is emitted for all of them.
 */
function foldStepSizeEverywhere(model: CheckedModel, graphs: TrainingGraph[]): TrainingGraph[] | null {
  const o = model.optimizer;
  if (o.kind !== 'sgd' || (o.hyper['weight_decay'] ?? 0) !== 0 || o.clipNorm !== null) return null;
  if (graphs.some((g) => g.params.some((p) => p.trainable && p.lrScale !== 1))) return null;
  const folded = graphs.map(foldStepSize);
  return folded.every((g) => g !== null) ? (folded as TrainingGraph[]) : null;
}
