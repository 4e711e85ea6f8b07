// `phases { 1: { epochs: 2 }, 2: { unfreeze: h, epochs: 3, lr: 1e-4 } }` →
// PhaseConfig[], run in order. Phase 1 starts from the freeze statements;
// each phase then applies its own `freeze:`/`unfreeze:` (names, globs, lists)
// and lists the resolved parameter names, plus the full trainable set.
import type { PhasesBlock } from '../../syntax/ast.js';
import type { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import type { ParamInfo } from '../../ir/types.js';
import type { PhaseConfig } from '../model.js';
import { PHASE_KEYS } from '../signatures.js';
import { resolvePattern } from '../patterns.js';
import { objectArgs, type StaticArgs } from './args.js';
import { readScheduleExpr } from './schedule.js';
import { describeStatic, staticValue, type Static } from './static.js';

export function readPhases(block: PhasesBlock | null, params: readonly ParamInfo[], sink: DiagnosticSink): PhaseConfig[] | null {
  if (block === null) return [];
  const names = params.map((p) => p.name);
  const trainable = new Set(params.filter((p) => p.trainable).map((p) => p.name));
  const phases: PhaseConfig[] = [];
  let ok = true;
  const seen = new Set<string>();
  for (const entry of block.body.entries) {
    const label = entry.key.name;
    if (seen.has(label)) {
      sink.report('NNC3018', `phase \`${label}\` is given twice`, entry.key.span);
      ok = false;
      continue;
    }
    seen.add(label);
    const v = staticValue(entry.value, sink);
    const args = v && objectArgs(`phase ${label}`, v, PHASE_KEYS.map((k) => k.name), sink);
    if (!args) {
      ok = false;
      continue;
    }
    const epochs = args.number('epochs', null, { integer: true, min: 1, hint: 'each phase trains a whole number of epochs' });
    if (!args.has('epochs')) sink.report('NNC3009', `phase ${label} needs \`epochs\``, entry.span, { hint: `e.g. ${label}: { epochs: 3 }` });
    const lr = args.number('lr', null, { above: 0, hint: 'the phase learning rate is a positive number' });
    const unfreeze = readTargets(args, 'unfreeze', names, sink);
    const freeze = readTargets(args, 'freeze', names, sink);
    const scheduleExpr = entry.value.kind === 'object' ? entry.value.entries.find((e) => e.key.name === 'schedule')?.value : undefined;
    const schedule = scheduleExpr ? readScheduleExpr(scheduleExpr, sink) : null;
    if (epochs === null || (lr === null && args.has('lr')) || unfreeze === null || freeze === null || (scheduleExpr && schedule === null)) {
      ok = false;
      continue;
    }
    // Running statistics (`ParamInfo.state`) are never trained, whatever a pattern matches.
    unfreeze.forEach((n) => { if (!params.find((p) => p.name === n)?.state) trainable.add(n); });
    freeze.forEach((n) => trainable.delete(n));
    phases.push({ label, epochs, lr, unfreeze, freeze, trainable: names.filter((n) => trainable.has(n)), schedule, span: entry.span });
  }
  return ok ? phases : null;
}

/** `unfreeze: h`, `unfreeze: [h, "encoder.*"]`, `unfreeze: all` → parameter names. */
function readTargets(args: StaticArgs, key: string, names: readonly string[], sink: DiagnosticSink): string[] | null {
  const v = args.raw(key);
  if (v === undefined) return [];
  const items: Static[] = v.kind === 'list' ? v.items : [v];
  const out = new Set<string>();
  let ok = true;
  for (const item of items) {
    const text = item.kind === 'symbol' ? item.name : item.kind === 'string' ? item.value : null;
    if (text === null) {
      sink.report('NNC3010', `${args.owner}: \`${key}\` takes parameter names or globs, got ${describeStatic(item)}`, item.span);
      ok = false;
      continue;
    }
    const m = resolvePattern(text, item.span, names, sink, `${args.owner}: ${key}`);
    if (m) m.forEach((n) => out.add(n));
    else ok = false;
  }
  return ok ? names.filter((n) => out.has(n)) : null;
}
