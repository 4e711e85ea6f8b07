// freeze / unfreeze (names, globs, `all except …`) and lr_scale /
// decay_scale groups, applied to the parameters in source order: a later
// statement overrides an earlier one for the parameters they share.
import type { FreezeStmt, ScaleStmt } from '../syntax/ast.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { ParamInfo } from '../ir/types.js';
import { formatNumber } from './format.js';
import { resolvePattern } from './patterns.js';
import { staticValue } from './recipe/static.js';

/** Sets `trainable` per the freeze statements; false if any pattern was in error. */
export function applyFreezes(params: ParamInfo[], stmts: readonly FreezeStmt[], sink: DiagnosticSink): boolean {
  const names = params.map((p) => p.name);
  let ok = true;
  for (const s of stmts) {
    const hit = new Set<string>();
    for (const t of s.targets) {
      const m = resolvePattern(t.text, t.span, names, sink, s.kind);
      if (m) m.forEach((n) => hit.add(n));
      else ok = false;
    }
    for (const e of s.except ?? []) {
      const m = resolvePattern(e.text, e.span, names, sink, `${s.kind} … except`);
      if (m) m.forEach((n) => hit.delete(n));
      else ok = false;
    }
    // Running statistics (`ParamInfo.state`) are never trained, whatever a pattern matches.
    for (const p of params) if (hit.has(p.name) && !p.state) p.trainable = s.kind === 'unfreeze';
  }
  return ok;
}

export function applyScales(params: ParamInfo[], stmts: readonly ScaleStmt[], sink: DiagnosticSink): boolean {
  const names = params.map((p) => p.name);
  let ok = true;
  for (const s of stmts) {
    const matched = resolvePattern(s.group.text, s.group.span, names, sink, s.kind);
    const v = staticValue(s.factor, sink);
    let factor: number | null = null;
    if (v && v.kind === 'number') {
      const valid = s.kind === 'lr_scale' ? v.value > 0 : v.value >= 0;
      if (valid && Number.isFinite(v.value)) factor = v.value;
      else
        sink.report('NNC3017', `${s.kind} must be ${s.kind === 'lr_scale' ? 'a positive number' : 'a number ≥ 0'}, got ${formatNumber(v.value)}`, s.factor.span, {
          hint: s.kind === 'lr_scale' ? 'to stop a group from training, `freeze` it' : 'decay_scale 0 turns weight decay off for the group',
        });
    } else if (v) {
      sink.report('NNC3010', `${s.kind} takes a number, e.g. \`${s.kind} ${s.group.text}: 10\``, s.factor.span);
    }
    if (!matched || factor === null) {
      ok = false;
      continue;
    }
    for (const p of params) {
      if (!matched.includes(p.name)) continue;
      if (s.kind === 'lr_scale') p.lrScale = factor;
      else p.decayScale = factor;
    }
  }
  return ok;
}
