// Section 3: `forward` — one `const` per node of the forward graph, in graph
// order, each intermediate disposed right after its last use; a comment quotes
// the `.nn` line each layer comes from.
import type { ProgramBuilder } from '../program.js';
import { typeText, type EmitContext, type StepVariant } from '../context.js';
import { func, record, section } from '../build.js';
import type { PlannedStatement } from '../plan.js';

export function emitForward(out: ProgramBuilder, ctx: EmitContext): void {
  const { plan, tg } = ctx;
  section(out, 'Forward pass', ['Computes the loss and the prediction; keeps the activations the backward pass reads.']);
  record(
    out,
    'Batch',
    'One batch of model inputs and targets.',
    tg.inputs.map((i) => ({ name: plan.inputFields.get(i.name)!, type: 'tf.Tensor', doc: `\`${i.name}\` (${i.role}): ${typeText(i.type)}` })),
  );
  emitForwardVariant(out, ctx, ctx.variants[0]!);
}

/** The `Forward<suffix>` record and `forward<suffix>` function of one step variant. */
export function emitForwardVariant(out: ProgramBuilder, ctx: EmitContext, v: StepVariant): void {
  const { plan, tg } = v;
  const prediction = tg.graph.nodes[tg.outputs['prediction'] ?? tg.loss]!;
  record(out, `Forward${v.suffix}`, `What \`forward${v.suffix}\` hands on. The caller owns \`loss\` and \`prediction\`; \`backward${v.suffix}\` disposes the rest.`, [
    {
      name: 'loss',
      type: 'tf.Tensor',
      doc: plan.lossPerExample ? 'The per-example training losses: the loss is their mean, taken on the host by `readLoss` (a kernel fewer).' : 'The scalar training loss.',
    },
    { name: 'prediction', type: 'tf.Tensor', doc: `The net's output, ${typeText(prediction.type)}.` },
    ...plan.saved.map((name) => ({ name, type: 'tf.Tensor', doc: savedDoc(ctx, v, name) })),
    ...plan.updates.map((u) => ({ name: u.name, type: 'tf.Tensor', doc: `The new \`${u.param.name}\` (running statistic): \`trainStep${v.suffix}\` assigns it; unchanged outside training.` })),
  ]);
  const params: [string, string][] = [['params', 'Params'], ['batch', 'Batch'], ['training', 'boolean']];
  if (ctx.usesRng) params.push(['rng', 'rt.Rng']);
  const fields = [`loss: ${plan.loss}`, `prediction: ${plan.prediction}`, ...plan.saved, ...plan.updates.map((u) => u.name)];
  const purpose = v.suffix === '' ? 'The forward pass' : `The forward pass of ${phaseList(v)}: the same values, keeping what \`backward${v.suffix}\` reads`;
  const batchNorm = plan.forward.some((s) => s.node.op === 'training_select');
  const training = ctx.usesRng
    ? ` (\`training\` switches dropout on; masks draw from \`rng\`${batchNorm ? '; batch_norm uses batch statistics' : ''}).`
    : batchNorm
      ? ' (`training`: batch_norm normalises with batch statistics, else with its running statistics).'
      : ' (`training` changes nothing: the net has no dropout).';
  func(out, {
    name: `forward${v.suffix}`,
    doc: `${purpose}${training}`,
    params,
    returns: `Forward${v.suffix}`,
    body: [...statementsWithSource(ctx, v, plan.forward, ''), `return { ${fields.join(', ')} };`],
  });
}

/** `relu output, line 16: read by backward`. */
function savedDoc(ctx: EmitContext, v: StepVariant, name: string): string {
  const s = v.plan.forward.find((f) => f.name === name)!;
  const line = s.node.origin.span ? `, ${ctx.where(s.node.origin.span)}` : '';
  return `${s.node.op}${line}: read by \`backward${v.suffix}\`.`;
}

/** "phase 2" / "phases 2, 3". */
export function phaseList(v: StepVariant): string {
  return `${v.phases.length === 1 ? 'phase' : 'phases'} ${v.phases.join(', ')}`;
}

/**
 * The statements of a planned list, each followed by its disposals; a comment
 * quotes the `.nn` line where the source line changes (prefixed by `marker`).
 */
export function statementsWithSource(
  ctx: EmitContext,
  v: StepVariant,
  list: readonly PlannedStatement[],
  marker: string,
  trailing: (s: PlannedStatement) => string | null = () => null,
): string[] {
  const out: string[] = [];
  let lastLine: number | null = null;
  for (const s of list) {
    const span = s.node.origin.span ?? (s.node.origin.of === null ? null : (v.tg.graph.nodes[s.node.origin.of]?.origin.span ?? null));
    if (span && span.line !== lastLine) {
      if (out.length > 0) out.push('');
      out.push(`// ${marker}${ctx.quote(span)}`);
      lastLine = span.line;
    }
    const comment = trailing(s);
    out.push(`const ${s.name} = ${s.expr};${comment === null ? '' : ` // ${comment}`}`);
    out.push(...disposal(s.disposeAfter));
  }
  return out;
}

/** `x.dispose();` for one tensor, `tf.dispose([a, b]);` for several. */
export function disposal(names: readonly string[]): string[] {
  if (names.length === 0) return [];
  if (names.length === 1) return [`${names[0]}.dispose();`];
  return [`tf.dispose([${names.join(', ')}]);`];
}
