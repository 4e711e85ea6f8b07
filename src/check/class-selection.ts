// Class selection in data sources: `idx(…, classes: [5, 6, 7, 8, 9])` keeps
// the examples whose label is listed and relabels the i-th listed label as i
// (5 → 0, …, 9 → 4), so a fine-tuning task on a subset of the classes says so
// in its data, and its target says `class(5)`. The count must match the
// target: a head, a target and data that disagree are errors, never a silent
// re-interpretation.
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { DataConfig, DataSource } from './model.js';
import type { StaticArgs } from './recipe/args.js';

/** The `classes: [...]` list of a csv/idx source: distinct non-negative integers, at least two (undefined: absent, null: reported). */
export function readClassSelection(args: StaticArgs, sink: DiagnosticSink): number[] | undefined | null {
  const v = args.raw('classes');
  if (v === undefined) return undefined;
  if (v.kind !== 'list' || v.items.length === 0) {
    sink.report('NNC3010', `${args.owner}: \`classes\` must be a list of labels such as [5, 6, 7, 8, 9]`, v.span);
    return null;
  }
  const out: number[] = [];
  for (const item of v.items) {
    if (item.kind !== 'number' || !Number.isInteger(item.value) || item.value < 0) {
      sink.report('NNC3010', `${args.owner}: \`classes\` lists labels, which are whole numbers ≥ 0`, item.span);
      return null;
    }
    if (out.includes(item.value)) {
      sink.report('NNC3017', `${args.owner}: label ${item.value} is listed twice in \`classes\``, item.span);
      return null;
    }
    out.push(item.value);
  }
  if (out.length < 2) {
    sink.report('NNC3017', `${args.owner}: \`classes\` must keep at least two labels`, v.span);
    return null;
  }
  return out;
}

/**
 * NNC3073: every source that selects classes must keep exactly the target's
 * class count; a source that does not select them next to one that does is
 * reported too (its labels would not be relabelled).
 */
export function checkClassSelections(data: DataConfig, classes: number | null, targetName: string, sink: DiagnosticSink): void {
  const sources = [data.train, data.validation, data.test].filter((s): s is DataSource => s !== null && !('from' in s));
  const selecting = sources.filter((s) => 'classes' in s && s.classes !== undefined) as (DataSource & { classes: number[] })[];
  if (selecting.length === 0) return;
  for (const s of selecting) {
    const relabel = s.classes.map((c, i) => `${c} → ${i}`).join(', ');
    if (classes === null) {
      sink.report('NNC3073', `\`classes: [${s.classes.join(', ')}]\` selects classes, but the target is not a class target`, s.span);
    } else if (s.classes.length !== classes) {
      sink.report('NNC3073', `this source keeps ${s.classes.length} classes (${relabel}), but \`${targetName}\` is class(${classes})`, s.span, {
        hint: `declare \`target ${targetName}: class(${s.classes.length})\` (and a head of ${s.classes.length} units), or list ${classes} classes`,
      });
    }
  }
  for (const s of sources) {
    if (!('classes' in s) || s.classes === undefined) {
      if ('text' in s) continue;
      sink.report('NNC3073', 'this source keeps every label while another source of the data block selects classes', s.span, {
        hint: `give it the same \`classes: [${selecting[0]!.classes.join(', ')}]\``,
      });
    }
  }
}
