// The front end in one call: text → AST → schema-valid AST → names checked.
// Accepts `.nn` text, or a JSON spec when the file name ends in `.json`.
import { checkNames, type NameCheckOptions } from '../check/names.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import { specFromJson } from '../schema/from-json.js';
import { validateSpec } from '../schema/validate.js';
import type { Spec } from './ast.js';
import { parseSpec } from './parse.js';

export { parseSpec } from './parse.js';
export { validateSpec } from '../schema/validate.js';
export { specFromJson } from '../schema/from-json.js';
export { checkNames } from '../check/names.js';

/**
 * The checked AST, or null when the spec has errors (all of them reported to `sink`).
 * Syntax errors stop before name checks: a half-parsed file would only add follow-on noise.
 */
export interface FrontEndOptions extends NameCheckOptions {
  /** Reads the spec a `use "…"` names, so names it defines count as defined here. */
  resolveUse?: (path: string, fromFile: string) => Spec | null;
}

export function frontEnd(text: string, file: string, sink: DiagnosticSink, options: FrontEndOptions = {}): Spec | null {
  const errorsBefore = sink.errorCount;
  let spec: Spec | null;
  if (file.toLowerCase().endsWith('.json')) {
    spec = specFromJson(text, file, sink);
  } else {
    const parsed = parseSpec(text, file, sink);
    if (sink.errorCount > errorsBefore) return null;
    spec = validateSpec(parsed, sink);
  }
  if (spec === null) return null;
  const { resolveUse, ...nameOptions } = options;
  if (resolveUse) {
    const used = spec.statements.flatMap((st) => (st.kind === 'use' ? [resolveUse(st.path.value, file)] : []));
    nameOptions.imported = [...(nameOptions.imported ?? []), ...used.filter((u): u is Spec => u !== null)];
  }
  checkNames(spec, sink, nameOptions);
  return sink.errorCount > errorsBefore ? null : spec;
}
