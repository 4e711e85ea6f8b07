// The optimisation pipeline: simplification, constant folding, CSE and DCE,
// repeated until a round changes nothing (one pass often exposes work for
// another: a fold makes `x * 1`, a simplification makes a duplicate).
import type { TrainingGraph } from '../ir/types.js';
import { verifyForwardGraph } from '../ir/verify.js';
import { eliminateCommonSubexpressions } from './cse.js';
import { eliminateDeadCode } from './dce.js';
import { foldConstants } from './fold.js';
import { foldMean } from './fold-mean.js';
import { simplify } from './simplify.js';

export { eliminateCommonSubexpressions } from './cse.js';
export { eliminateDeadCode, liveNodes } from './dce.js';
export { foldConstants } from './fold.js';
export { foldMean } from './fold-mean.js';
export { foldStepSize, stepFoldRefusal } from './fold-step.js';
export { poolFirst } from './pool-first.js';
export { simplify } from './simplify.js';
export { rebuild, select, GraphWriter, type Decision, type NodeRewrite } from './rebuild.js';

export type Pass = (g: TrainingGraph) => TrainingGraph;

export const PASSES = {
  simplify,
  fold: foldConstants,
  foldMean,
  cse: eliminateCommonSubexpressions,
  dce: eliminateDeadCode,
} as const satisfies Record<string, Pass>;

export type PassName = keyof typeof PASSES;

export interface OptimizeOptions {
  /** Which passes run, in this order each round (default: all). */
  passes?: readonly PassName[];
  /** Upper bound on rounds (default 10); the pipeline normally settles in 2–3. */
  maxRounds?: number;
  /** Run the IR verifier after every pass and throw, naming the pass, on the first problem (for tests and debugging). */
  verify?: boolean;
}

export function optimize(g: TrainingGraph, opts: OptimizeOptions = {}): TrainingGraph {
  const names = opts.passes ?? (['simplify', 'fold', 'foldMean', 'cse', 'dce'] as const);
  const maxRounds = opts.maxRounds ?? 10;
  let current = g;
  for (let round = 0; round < maxRounds; round++) {
    const before = current;
    for (const name of names) {
      current = PASSES[name](current);
      if (opts.verify) {
        const problems = verifyForwardGraph(current);
        if (problems.length > 0) throw new Error(`internal: the ${name} pass produced an invalid graph:\n  ${problems.join('\n  ')}`);
      }
    }
    // A pass that changes nothing returns its input (see rebuild), so an
    // unchanged round is an identity check, not a comparison of printed graphs.
    if (current === before) break;
  }
  return current;
}
