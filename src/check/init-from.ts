// Strict import, compile-time half: `init from "source"` checked against the
// names and shapes the source holds (an nnc checkpoint's header or a
// tfjs-layers model.json), read by the CLI and handed in, so `nnc check` and
// `nnc compile` report located errors at the `init from` line. The trainer
// runs the same match (src/runtime/pretrained-match.ts) again when it loads,
// because the source may change after compiling.
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { CheckedModel, InitFromConfig } from './model.js';
import { describeMatch, matchPretrained, MATCH_HINTS, sourceNameFor, type PretrainedEntry, type PretrainedPlan } from '../runtime/pretrained-match.js';

/** What the CLI read at the `init from` path: the entries, nothing (absent: checked when training), or why it is unreadable. */
export type PretrainedHeader = { entries: PretrainedEntry[]; file: string } | { error: string } | null;

/** The load plan of a model: which parameter loads which source name, with which shape. */
export function pretrainedPlan(model: CheckedModel, init: InitFromConfig): PretrainedPlan {
  const names: Record<string, string> = {};
  const shapes: Record<string, number[]> = {};
  const graph = model.forward.graph;
  for (const p of model.forward.params) {
    if (init.fresh.includes(p.name)) continue;
    names[p.name] = sourceNameFor(p.name, init.map);
    shapes[p.name] = graph.nodes[p.id]!.type.shape.map((d) => (typeof d === 'number' ? d : -1));
  }
  const replaced = [...new Set(init.fresh.map((n) => n.split('.')[0]!))];
  return { names, shapes, replaced, allow: init.allowUnmatched };
}

const CODES = { unmatched: 'NNC3070', missing: 'NNC3071', shape: 'NNC3072' } as const;

/** Reports every mismatch between the model and the pretrained source at the `init from` statement. */
export function checkPretrained(model: CheckedModel, header: PretrainedHeader, sink: DiagnosticSink): void {
  const init = model.initFrom;
  if (init === null || header === null) return;
  if ('error' in header) {
    sink.report('NNC3074', `cannot read the pretrained source: ${header.error}`, init.span, { hint: 'init from takes a checkpoint directory (its best.ckpt), a .ckpt file, or a tfjs-layers model.json' });
    return;
  }
  const plan = pretrainedPlan(model, init);
  const match = matchPretrained(plan, header.entries);
  for (const problem of describeMatch(match, plan, header.entries)) {
    sink.report(CODES[problem.kind], `init from ${header.file}: ${problem.message}`, init.span, { hint: MATCH_HINTS[problem.kind] });
  }
}
