// Section 3: `forward` — one `const` per node of the forward graph, in graph
// order, each intermediate disposed right after its last use; a comment quotes
// the `.nn` line each layer comes from.
import type { SourceFile } from 'ts-morph';
import { typeText, type EmitContext } from '../context.js';
import { func, record, section } from '../build.js';
import type { PlannedStatement } from '../plan.js';

export function emitForward(sf: SourceFile, ctx: EmitContext): void {
  const { plan, tg } = ctx;
  section(sf, 'Forward pass', ['Computes the loss and the prediction; keeps the activations the backward pass reads.']);
  record(
    sf,
    'Batch',
    'One batch of model inputs and targets.',
    tg.inputs.map((i) => ({ name: plan.inputFields.get(i.name)!, type: 'tf.Tensor', doc: `\`${i.name}\` (${i.role}): ${typeText(i.type)}` })),
  );
  record(sf, 'Forward', 'What `forward` hands on. The caller owns `loss` and `prediction`; `backward` disposes the rest.', [
    { name: 'loss', type: 'tf.Tensor', doc: 'The scalar training loss.' },
    { name: 'prediction', type: 'tf.Tensor', doc: `The net's output, ${typeText(tg.graph.nodes[tg.outputs['prediction'] ?? tg.loss]!.type)}.` },
    ...plan.saved.map((name) => ({ name, type: 'tf.Tensor' })),
  ]);
  const params: [string, string][] = [['params', 'Params'], ['batch', 'Batch'], ['training', 'boolean']];
  if (plan.usesRng) params.push(['rng', 'rt.Rng']);
  const handedOver = plan.saved.filter((n) => n !== 'loss' && n !== 'prediction');
  const fields = [`loss: ${plan.loss}`, `prediction: ${plan.prediction}`, ...handedOver.map((n) => n)];
  func(sf, {
    name: 'forward',
    doc: `The forward pass (\`training\` switches dropout on).${params.length === 4 ? ' Stochastic ops draw from `rng`.' : ''}`,
    params,
    returns: 'Forward',
    body: [...forwardStatements(ctx, plan.forward), `return { ${fields.join(', ')} };`],
  });
}

/** The statements of a planned list, with a `.nn` line comment where the source line changes. */
function forwardStatements(ctx: EmitContext, list: readonly PlannedStatement[]): string[] {
  const out: string[] = [];
  let lastLine: number | null = null;
  for (const s of list) {
    const span = s.node.origin.span;
    if (span && span.line !== lastLine) {
      if (out.length > 0) out.push('');
      out.push(`// ${ctx.quote(span)}`);
      lastLine = span.line;
    }
    out.push(`const ${s.name} = ${s.expr};`);
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
