// Section 4: `backward` — the compiler-derived gradient: one statement per
// backward node, each commented with the forward op and `.nn` line it
// differentiates; activations handed over by `forward` die at their last use.
import type { SourceFile } from 'ts-morph';
import type { Node } from '../../ir/types.js';
import type { EmitContext } from '../context.js';
import { alias, func, section } from '../build.js';
import { disposal } from './forward.js';

export function emitBackward(sf: SourceFile, ctx: EmitContext): void {
  const { plan } = ctx;
  section(sf, 'Backward pass (derived by nnc)', [
    'Reverse-mode gradients of the loss, in the order the compiler derived them.',
    ...(ctx.frozen.length > 0 ? [`No statements for frozen parameters: ${ctx.frozen.map((p) => p.name).join(', ')}.`] : []),
  ]);
  alias(sf, 'Grads', 'Record<Trainable, tf.Tensor>', 'The gradient of the loss for each trainable parameter.');
  const body: string[] = [];
  const handedOver = plan.saved;
  if (handedOver.length > 0) body.push(`const { ${handedOver.join(', ')} } = fwd;`);
  let lastLine: number | null = null;
  for (const s of plan.backward) {
    const span = sourceSpan(ctx, s.node);
    if (span && span.line !== lastLine) {
      if (body.length > 0) body.push('');
      body.push(`// ∂ ${ctx.quote(span)}`);
      lastLine = span.line;
    }
    body.push(`const ${s.name} = ${s.expr}; // ${describe(ctx, s.node)}`);
    body.push(...disposal(s.disposeAfter));
  }
  body.push(`return { ${plan.grads.map((g) => (g.expr === g.field ? g.field : `${g.field}: ${g.expr}`)).join(', ')} };`);
  func(sf, {
    name: 'backward',
    doc: 'The gradients of the loss; disposes the activations `forward` handed over (not `loss`, `prediction`).',
    params: [['params', 'Params'], ['batch', 'Batch'], ['fwd', 'Forward']],
    returns: 'Grads',
    body,
  });
}

/** `∂ matmul (h), line 9` — the forward op this node differentiates and where it was written. */
function describe(ctx: EmitContext, node: Node): string {
  const of = node.origin.of === null ? undefined : ctx.tg.graph.nodes[node.origin.of];
  const label = node.origin.label ?? of?.origin.label ?? null;
  if (of && (of.op === 'param' || of.op === 'input')) return `Σ ∂ ${String(of.attrs['name'])} over its uses`;
  const what = of ? `∂ ${of.op}` : `${node.op}`;
  const span = sourceSpan(ctx, node);
  const parts = [what + (label ? ` (${label})` : '')];
  if (span) parts.push(`line ${span.line}`);
  return parts.join(', ');
}

function sourceSpan(ctx: EmitContext, node: Node) {
  const of = node.origin.of === null ? undefined : ctx.tg.graph.nodes[node.origin.of];
  return node.origin.span ?? of?.origin.span ?? null;
}
