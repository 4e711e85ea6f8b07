// Emission: CheckedModel + TrainingGraph → a standalone, readable TypeScript
// trainer (`train.ts`) plus the runtime library copied beside it. Built with
// ts-morph, one emitter per section, formatted once; pure and deterministic.
import { IndentationText, Project, QuoteKind, type FormatCodeSettings } from 'ts-morph';
import type { CheckedModel } from '../check/model.js';
import type { TrainingGraph } from '../ir/types.js';
import { makeContext, type EmitOptions } from './context.js';
import { ProgramBuilder } from './program.js';
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

/** Fixed formatter settings: the output must not depend on the machine. */
const FORMAT: FormatCodeSettings = {
  indentSize: 2,
  tabSize: 2,
  convertTabsToSpaces: true,
  newLineCharacter: '\n',
  insertSpaceAfterCommaDelimiter: true,
  insertSpaceAfterSemicolonInForStatements: true,
  insertSpaceBeforeAndAfterBinaryOperators: true,
  insertSpaceAfterKeywordsInControlFlowStatements: true,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
  placeOpenBraceOnNewLineForFunctions: false,
  placeOpenBraceOnNewLineForControlBlocks: false,
};

export function emitTrainer(model: CheckedModel, tg: TrainingGraph, opts: EmitOptions): EmittedFiles {
  const ctx = makeContext(model, tg, opts);
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single, newLineKind: 1 },
  });
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

  const sf = project.createSourceFile('train.ts', { statements: out.statements });
  sf.formatText(FORMAT);
  const runtime = [...opts.runtimeFiles]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => ({ path: `runtime/${f.path.replace(/^runtime\//, '')}`, text: f.text }));
  return { files: [{ path: 'train.ts', text: tidyBlankLines(sf.getFullText()) }, ...runtime] };
}

/**
 * Blank lines as a person would leave them: one before each top-level
 * declaration's doc comment, at most one in a row, none right before a
 * closing brace (ts-morph adds some after blocks).
 */
function tidyBlankLines(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const previous = out[out.length - 1];
    // ts-morph may leave a blank line after an indented comment that ends with `}` (a quoted `.nn` line).
    if (line === '' && previous !== undefined && /^\s+\/\//.test(previous)) continue;
    if (line.startsWith('/**') && previous !== undefined && previous !== '' && !previous.startsWith('//')) out.push('');
    out.push(line);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n\n(\s*[}\]])/g, '\n$1');
}
