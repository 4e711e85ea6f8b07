// What every section emitter reads: the checked model, the training graph,
// the step plan, and the spec's source (to quote `.nn` lines in comments).
import type { CheckedModel } from '../check/model.js';
import type { ParamInfo, TrainingGraph } from '../ir/types.js';
import type { Span } from '../syntax/ast.js';
import { planStep, type StepPlan } from './plan.js';

export interface EmitOptions {
  /** The spec's path as shown in the header (relative, `/`-separated). */
  specPath: string;
  compilerVersion: string;
  /** The spec's text, quoted in comments (`line 9: h = dense(x, 256)`). */
  sourceText: string;
  /** The runtime library's files (paths relative to the runtime directory), copied as `runtime/<path>`. */
  runtimeFiles: { path: string; text: string }[];
}

export interface EmitContext {
  model: CheckedModel;
  tg: TrainingGraph;
  plan: StepPlan;
  opts: EmitOptions;
  /** Parameters that get gradients and updates, in `ParamInfo` order. */
  trainable: ParamInfo[];
  frozen: ParamInfo[];
  /** `line N: <source text>` for a span, or null without one. */
  quote(span: Span | null): string | null;
  /** The `Params` field of a parameter. */
  field(p: ParamInfo): string;
}

export function makeContext(model: CheckedModel, tg: TrainingGraph, opts: EmitOptions): EmitContext {
  const plan = planStep(tg);
  const lines = opts.sourceText.split(/\r?\n/);
  const withGrad = new Set(plan.grads.map((g) => g.param.name));
  return {
    model,
    tg,
    plan,
    opts,
    trainable: tg.params.filter((p) => withGrad.has(p.name)),
    frozen: tg.params.filter((p) => !withGrad.has(p.name)),
    quote(span) {
      if (!span) return null;
      const text = (lines[span.line - 1] ?? '').trim().replace(/\s+#.*$/, '');
      return text === '' ? `line ${span.line}` : `line ${span.line}: ${text}`;
    },
    field(p) {
      const f = plan.paramFields.get(p.name);
      if (f === undefined) throw new Error(`internal: no field for parameter ${p.name}`);
      return f;
    },
  };
}

/** `f32[batch, 28, 28]`. */
export function typeText(t: { dtype: string; shape: readonly (number | string)[] }): string {
  return `${t.dtype}[${t.shape.join(', ')}]`;
}
