// What every section emitter reads: the checked model, the training graph(s),
// the step plans, and the spec's source (to quote `.nn` lines in comments).
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
  /**
   * For models with `phases`: one training graph per phase (same order), each
   * differentiated for that phase's trainable parameters. Phases without one
   * use the main graph, which must then have gradients for exactly their
   * trainable parameters.
   */
  phaseGraphs?: readonly TrainingGraph[];
  /** Texts of specs the main spec `use`s, by the file name their spans carry (for quoting their lines). */
  usedSources?: readonly { file: string; text: string }[];
}

/**
 * One training-step variant: a forward/backward/update for one set of
 * trainable parameters. Models without phases have one; phases that freeze or
 * unfreeze parameters add more (no gradient ops for what a phase freezes).
 */
export interface StepVariant {
  /** Suffix of the variant's function and type names: '' for the first, then e.g. `Phase2`. */
  suffix: string;
  tg: TrainingGraph;
  plan: StepPlan;
  /** The parameters this variant updates (with gradients), by name, in parameter order. */
  trainable: string[];
  /** Labels of the phases that train with this variant (empty without phases). */
  phases: string[];
}

export interface EmitContext {
  model: CheckedModel;
  /** The main training graph (the first variant's). */
  tg: TrainingGraph;
  /** The first variant's plan: inputs, fields and constants shared by all variants. */
  plan: StepPlan;
  variants: StepVariant[];
  opts: EmitOptions;
  /** Parameters trained in some phase (gradients, optimizer state), in declaration order. */
  trainable: ParamInfo[];
  /** The learning rate is folded into every variant's loss gradient (src/passes/fold-step.ts): `backward` takes it, the update subtracts. */
  stepScaled: boolean;
  /** Parameters never trained: no gradient, no update, no optimizer state. */
  frozen: ParamInfo[];
  /** True when the forward pass draws random numbers (dropout). */
  usesRng: boolean;
  /** `line N: <source text>` for a span, or null without one. */
  quote(span: Span | null): string | null;
  /** `line N`, or `<file> line N` for a line of a used spec. */
  where(span: Span): string;
  /** The `Params` field of a parameter (by `ParamInfo` or name). */
  field(p: ParamInfo | string): string;
}

export function makeContext(model: CheckedModel, tg: TrainingGraph, opts: EmitOptions): EmitContext {
  const variants = stepVariants(model, tg, opts);
  const plan = variants[0]!.plan;
  const texts = new Map<string, string[]>();
  for (const u of opts.usedSources ?? []) texts.set(u.file, u.text.split(/\r?\n/));
  texts.set(model.file, opts.sourceText.split(/\r?\n/));
  // Lines of a used spec name their file; the main spec's lines do not.
  const where = (span: Span) => (span.file === model.file ? `line ${span.line}` : `${span.file} line ${span.line}`);
  const trained = new Set(variants.flatMap((v) => v.trainable));
  return {
    model,
    tg: variants[0]!.tg,
    plan,
    variants,
    opts,
    trainable: tg.params.filter((p) => trained.has(p.name)),
    stepScaled: variants.every((v) => v.tg.stepScaled === true),
    frozen: tg.params.filter((p) => !trained.has(p.name) && !p.state),
    usesRng: variants.some((v) => v.plan.usesRng),
    where,
    quote(span) {
      if (!span) return null;
      const text = (texts.get(span.file)?.[span.line - 1] ?? '').trim().replace(/\s+#.*$/, '');
      return text === '' ? where(span) : `${where(span)}: ${text}`;
    },
    field(p) {
      const name = typeof p === 'string' ? p : p.name;
      const f = plan.paramFields.get(name);
      if (f === undefined) throw new Error(`internal: no field for parameter ${name}`);
      return f;
    },
  };
}

function stepVariants(model: CheckedModel, tg: TrainingGraph, opts: EmitOptions): StepVariant[] {
  const withGrads = (g: TrainingGraph) => g.params.filter((p) => g.grads[p.name] !== undefined).map((p) => p.name);
  if (model.phases.length === 0) return [{ suffix: '', tg, plan: planStep(tg), trainable: withGrads(tg), phases: [] }];
  const variants: StepVariant[] = [];
  model.phases.forEach((phase, i) => {
    const g = opts.phaseGraphs?.[i] ?? tg;
    const trainable = withGrads(g);
    const wanted = phase.trainable;
    if (wanted.join(',') !== trainable.join(',')) {
      throw new Error(
        `internal: phase ${phase.label} trains [${wanted.join(', ')}] but its training graph has gradients for [${trainable.join(', ')}]; pass one graph per phase in phaseGraphs`,
      );
    }
    const same = variants.find((v) => v.trainable.join(',') === trainable.join(','));
    if (same) same.phases.push(phase.label);
    else variants.push({ suffix: variants.length === 0 ? '' : `Phase${suffixOf(phase.label)}`, tg: g, plan: planStep(g), trainable, phases: [phase.label] });
  });
  return variants;
}

function suffixOf(label: string): string {
  const s = label.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''));
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `f32[batch, 28, 28]`. */
export function typeText(t: { dtype: string; shape: readonly (number | string)[] }): string {
  return `${t.dtype}[${t.shape.join(', ')}]`;
}
