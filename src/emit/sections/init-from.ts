// Fine-tuning: `init from "<source>"` loads parameters by name from a previous
// run's `best` checkpoint (or a tfjs-layers model.json) before training
// starts. Parameters made by `replace` keep their fresh initialisation. The
// match is strict and checked again at load time (rt.loadPretrained): a
// pretrained parameter that matches nothing, a parameter the source lacks, or
// another shape stops the trainer with exit 3, naming both sides.
import type { ProgramBuilder } from '../program.js';
import type { EmitContext } from '../context.js';
import { constant, func, section } from '../build.js';
import { literal } from '../literal.js';
import { pretrainedPlan } from '../../check/init-from.js';

export function emitInitFrom(out: ProgramBuilder, ctx: EmitContext): void {
  const init = ctx.model.initFrom;
  if (init === null) return;
  section(out, 'Initialisation from a pretrained source', [`${ctx.quote(init.span) ?? 'init from'}`]);
  const plan = pretrainedPlan(ctx.model, init);
  const value = { path: init.path, names: plan.names, replaced: [...plan.replaced], allow: [...plan.allow] };
  constant(
    out,
    'INIT_FROM',
    literal(value),
    'Where the starting parameters come from: model name → name in the source; `replaced` bindings start fresh and discard the source\'s; `allow` may stay unmatched.',
    '{ path: string; names: Record<string, string>; replaced: string[]; allow: string[] }',
  );
  func(out, {
    name: 'loadInitialParams',
    isAsync: true,
    doc: 'Replaces the listed parameters with the pretrained ones; any unmatched name or other shape is an error (exit 3).',
    params: [['params', 'Params']],
    returns: 'Promise<void>',
    body: [
      'const shapes: Record<string, number[]> = {};',
      'for (const field of Object.keys(PARAM_NAMES) as (keyof Params)[]) shapes[PARAM_NAMES[field]] = PARAM_SHAPES[field];',
      'const loaded = await rt.loadPretrained(INIT_FROM.path, { ...INIT_FROM, shapes });',
      'for (const field of Object.keys(PARAM_NAMES) as (keyof Params)[]) {',
      '  const t = loaded[PARAM_NAMES[field]];',
      '  if (t === undefined) continue;',
      '  params[field].dispose();',
      '  params[field] = t;',
      '}',
    ],
  });
}
