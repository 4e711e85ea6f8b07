// Emission: CheckedModel + TrainingGraph → a standalone, readable TypeScript
// trainer (`train.ts`) plus the runtime library copied beside it. Built as
// ts-morph structures, one emitter per section, printed once (print.ts); pure
// and deterministic.
import type { CheckedModel } from '../check/model.js';
import type { TrainingGraph } from '../ir/types.js';
import { makeContext, type EmitOptions } from './context.js';
import { ProgramBuilder } from './program.js';
import { printProgram } from './print.js';
import { emitBackward } from './sections/backward.js';
import { emitCheckpoints } from './sections/checkpoint.js';
import { emitConfig } from './sections/config.js';
import { emitConstants } from './sections/constants.js';
import { emitData } from './sections/data.js';
import { emitEntry } from './sections/entry.js';
import { emitForward } from './sections/forward.js';
import { emitHeader } from './sections/header.js';
import { emitInitFrom } from './sections/init-from.js';
import { emitLoop } from './sections/loop.js';
import { emitOptimizer, emitOptimizerConfig } from './sections/optimizer.js';
import { emitParams } from './sections/params.js';
import { emitTrainStep } from './sections/step.js';

export type { EmitOptions } from './context.js';

export interface EmittedFile {
  /** Relative to the output directory, `/`-separated. */
  path: string;
  text: string;
}

export interface EmittedFiles {
  files: EmittedFile[];
}

export function emitTrainer(model: CheckedModel, tg: TrainingGraph, opts: EmitOptions): EmittedFiles {
  const runtime = [...opts.runtimeFiles]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => ({ path: `runtime/${f.path.replace(/^runtime\//, '')}`, text: f.text }));
  return { files: [{ path: 'train.ts', text: printProgram(buildProgram(model, tg, opts).statements) }, ...runtime] };
}

/** The statements of `train.ts`, section by section, before printing. */
export function buildProgram(model: CheckedModel, tg: TrainingGraph, opts: EmitOptions): ProgramBuilder {
  const ctx = makeContext(model, tg, opts);
  const out = new ProgramBuilder();
  emitHeader(out, ctx);
  emitConfig(out, ctx);
  emitOptimizerConfig(out, ctx);
  emitConstants(out, ctx);
  emitParams(out, ctx);
  emitForward(out, ctx);
  emitBackward(out, ctx);
  emitOptimizer(out, ctx);
  emitTrainStep(out, ctx);
  emitData(out, ctx);
  emitCheckpoints(out, ctx);
  emitInitFrom(out, ctx);
  emitLoop(out, ctx);
  emitEntry(out, ctx);
  return out;
}
