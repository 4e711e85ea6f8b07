// One-line and tabular descriptions of a checked model, for the CLI.
import type { CheckedModel } from '../check/model.js';
import type { Dim } from '../ir/types.js';

export function formatShape(dtype: string, shape: readonly Dim[]): string {
  return `${dtype}[${shape.join(', ')}]`;
}

function count(shape: readonly Dim[]): number {
  return shape.reduce<number>((n, d) => n * (typeof d === 'number' ? d : 1), 1);
}

export function modelSummary(m: CheckedModel): string {
  const fwd = m.forward;
  const inputs = fwd.inputs.filter((i) => i.role === 'input').map((i) => `${i.name}: ${formatShape(i.type.dtype, i.type.shape)}`);
  const total = fwd.params.reduce((n, p) => n + count(p.type.shape), 0);
  const trainable = fwd.params.filter((p) => p.trainable).reduce((n, p) => n + count(p.type.shape), 0);
  const state = fwd.params.filter((p) => p.state).reduce((n, p) => n + count(p.type.shape), 0);
  const frozen = total - trainable - state;
  return (
    `model ${m.name}: inputs ${inputs.join(', ')}; ${fwd.params.length} parameter tensors, ` +
    `${total.toLocaleString('en-US')} parameters` +
    (frozen > 0 ? ` (${trainable.toLocaleString('en-US')} trainable, ${frozen.toLocaleString('en-US')} frozen)` : '') +
    (state > 0 ? `, ${state.toLocaleString('en-US')} of them running statistics` : '')
  );
}

/** The parameter table `nnc compile` prints: name, shape, count, trainable/frozen, lr scale; totals. */
export function parameterTable(m: CheckedModel): string {
  const rows = m.forward.params.map((p) => [
    p.name,
    formatShape(p.type.dtype, p.type.shape),
    count(p.type.shape).toLocaleString('en-US'),
    p.trainable ? 'trainable' : 'frozen',
    p.lrScale === 1 ? '1' : String(p.lrScale),
  ]);
  const total = m.forward.params.reduce((n, p) => n + count(p.type.shape), 0);
  const trainable = m.forward.params.filter((p) => p.trainable).reduce((n, p) => n + count(p.type.shape), 0);
  const header = ['parameter', 'shape', 'count', 'status', 'lr scale'];
  const footer = ['total', '', total.toLocaleString('en-US'), `${trainable.toLocaleString('en-US')} trainable`, ''];
  const all = [header, ...rows, footer];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const line = (r: string[]): string => r.map((cell, c) => (c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line), rule, line(footer)].join('\n');
}
