// Section 2: the parameters — a typed record with one field per `.nn`
// parameter, and their seeded initialisation.
import type { ProgramBuilder } from '../program.js';
import type { ParamInfo } from '../../ir/types.js';
import { typeText, type EmitContext } from '../context.js';
import { alias, constant, func, record, section } from '../build.js';
import { literal, quote } from '../literal.js';

export function emitParams(out: ProgramBuilder, ctx: EmitContext): void {
  const notes = ['One tensor per parameter, drawn from the seeded generator: the same values on every backend.'];
  if (ctx.frozen.length > 0) {
    notes.push(`Frozen (no gradient, no update, no optimizer state): ${ctx.frozen.map((p) => p.name).join(', ')}.`);
  }
  const state = ctx.tg.params.filter((p) => p.state);
  if (state.length > 0) {
    notes.push(`Running statistics (state, never trained; saved in checkpoints; each training step assigns their new values): ${state.map((p) => p.name).join(', ')}.`);
  }
  section(out, 'Parameters', notes);
  record(
    out,
    'Params',
    'The model parameters, by `.nn` name (dots become underscores).',
    ctx.tg.params.map((p) => ({ name: ctx.field(p), type: 'tf.Tensor', doc: paramDoc(p, ctx) })),
  );
  const trainable = ctx.trainable.map((p) => quote(ctx.field(p)));
  alias(out, 'Trainable', trainable.length > 0 ? trainable.join(' | ') : 'never', 'The parameters that are trained (they have gradients and optimizer state).');
  constant(out, 'TRAINABLE', `[${trainable.join(', ')}]`, 'The trainable parameters, in declaration order.', 'readonly Trainable[]');
  const names = Object.fromEntries(ctx.tg.params.map((p) => [ctx.field(p), p.name]));
  constant(out, 'PARAM_NAMES', literal(names), 'Each field\'s `.nn` name: the key of its tensor in checkpoints.', 'Record<keyof Params, string>');
  const shapes = Object.fromEntries(ctx.tg.params.map((p) => [ctx.field(p), p.type.shape.map(Number)]));
  constant(out, 'PARAM_SHAPES', literal(shapes), 'Each parameter\'s shape (checked when a checkpoint is loaded).', 'Record<keyof Params, number[]>');
  func(out, {
    name: 'initParams',
    doc: 'Draws the initial parameters from `rng`, in declaration order.',
    params: [['rng', 'rt.Rng']],
    returns: 'Params',
    body: [
      'return {',
      ...ctx.tg.params.map((p) => `  ${ctx.field(p)}: rt.initTensor(PARAM_SHAPES.${ctx.field(p)}, ${literal(initLiteral(p))}, rng),`),
      '};',
    ],
  });
}

function paramDoc(p: ParamInfo, ctx: EmitContext): string {
  const where = p.span ? `, ${ctx.where(p.span)}` : '';
  const frozen = ctx.frozen.includes(p) ? ', frozen' : p.state ? ', running statistic' : '';
  const scale = p.lrScale !== 1 ? `, lr × ${p.lrScale}` : '';
  return `\`${p.name}\`: ${typeText(p.type)}, ${p.init.kind}${scale}${frozen}${where}`;
}

function initLiteral(p: ParamInfo): Record<string, number | string> {
  const spec: Record<string, number | string> = { kind: p.init.kind };
  if (p.init.value !== undefined) spec['value'] = p.init.value;
  spec['fanIn'] = p.init.fanIn;
  spec['fanOut'] = p.init.fanOut;
  return spec;
}
