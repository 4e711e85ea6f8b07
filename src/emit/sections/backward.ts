// Section 4: `backward` — the compiler-derived gradient: one statement per
// backward node, each commented with the forward op and `.nn` line it
// differentiates; activations handed over by `forward` die at their last use.
import type { ProgramBuilder } from '../program.js';
import type { Node } from '../../ir/types.js';
import type { EmitContext, StepVariant } from '../context.js';
import { alias, func, section } from '../build.js';
import { emitForwardVariant, phaseList, statementsWithSource } from './forward.js';

export function emitBackward(out: ProgramBuilder, ctx: EmitContext): void {
  const first = ctx.variants[0]!;
  const frozenHere = ctx.tg.params.filter((p) => !first.trainable.includes(p.name) && !p.state).map((p) => p.name);
  section(out, 'Backward pass (derived by nnc)', [
    'Reverse-mode gradients of the loss, in the order the compiler derived them.',
    ...(frozenHere.length > 0 ? [`No statements for frozen parameters: ${frozenHere.join(', ')}.`] : []),
  ]);
  emitBackwardVariant(out, ctx, first);
  // Phases that train other parameters get their own forward/backward pair.
  for (const v of ctx.variants.slice(1)) {
    const trains = v.trainable.filter((n) => !first.trainable.includes(n));
    const freezes = first.trainable.filter((n) => !v.trainable.includes(n));
    const notes = [
      ...(trains.length > 0 ? [`Also trains ${trains.join(', ')}.`] : []),
      ...(freezes.length > 0 ? [`Freezes ${freezes.join(', ')}: no gradient statements for them.`] : []),
    ];
    section(out, `Forward and backward of ${phaseList(v)}`, notes);
    emitForwardVariant(out, ctx, v);
    emitBackwardVariant(out, ctx, v);
  }
}

function emitBackwardVariant(out: ProgramBuilder, ctx: EmitContext, v: StepVariant): void {
  const { plan } = v;
  const all = v.trainable.length === ctx.trainable.length;
  const keys = v.trainable.map((n) => `'${ctx.field(n)}'`).join(' | ') || 'never';
  const what = ctx.stepScaled ? 'The gradient of the loss times the learning rate,' : 'The gradient of the loss';
  alias(out, `Grads${v.suffix}`, all ? 'Record<Trainable, tf.Tensor>' : `Record<${keys}, tf.Tensor>`, `${what} for each parameter \`backward${v.suffix}\` trains.`);
  const body: string[] = [];
  if (plan.saved.length > 0) body.push(`const { ${plan.saved.join(', ')} } = fwd;`);
  if (body.length > 0) body.push('');
  body.push(...statementsWithSource(ctx, v, plan.backward, '∂ ', (s) => describe(ctx, v, s.node)));
  body.push(`return { ${plan.grads.map((g) => (g.expr === g.field ? g.field : `${g.field}: ${g.expr}`)).join(', ')} };`);
  const scaled = ctx.stepScaled
    ? ' times `stepSize` (the learning rate, folded into the loss gradient: every gradient is linear in it, so SGD only subtracts)'
    : '';
  func(out, {
    name: `backward${v.suffix}`,
    doc: `The gradients of the loss${scaled}; disposes the activations \`forward${v.suffix}\` handed over (not \`loss\`, \`prediction\`).`,
    params: [['params', 'Params'], ['batch', 'Batch'], ['fwd', `Forward${v.suffix}`], ...(ctx.stepScaled ? [['stepSize', 'number'] as [string, string]] : [])],
    returns: `Grads${v.suffix}`,
    body,
  });
}

/** `∂ matmul (h), line 9` — the forward op this node differentiates and where it was written. */
function describe(ctx: EmitContext, v: StepVariant, node: Node): string {
  const of = node.origin.of === null ? undefined : v.tg.graph.nodes[node.origin.of];
  if (of && (of.op === 'param' || of.op === 'input')) return `Σ ∂ ${String(of.attrs['name'])} over its uses`;
  const label = node.origin.label ?? of?.origin.label ?? null;
  const what = of ? `∂ ${of.op}` : node.op;
  const span = node.origin.span ?? of?.origin.span ?? null;
  return [what + (label ? ` (${label})` : ''), ...(span ? [ctx.where(span)] : [])].join(', ');
}
