// Runs the real front end and checker over `.nn` text held in memory, and
// renders the diagnostics as a user would see them.
import { checkModel } from '../../src/check/index.js';
import type { CheckedModel } from '../../src/check/model.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import type { ParamInfo } from '../../src/ir/types.js';
import { frontEnd, parseSpec, validateSpec } from '../../src/syntax/index.js';

export interface Checked {
  model: CheckedModel | null;
  sink: DiagnosticSink;
  /** Diagnostics as `nnc check` prints them. */
  text: string;
  codes: string[];
  /** False when the front end already refused the spec (the checker never ran). */
  reachedChecker: boolean;
}

/** Checks `text` as `spec.nn`; `files` are the specs `use` may name. */
export function check(text: string, files: Record<string, string> = {}): Checked {
  const sink = new DiagnosticSink();
  const sources = new Map<string, string>([['spec.nn', text], ...Object.entries(files)]);
  const spec = frontEnd(text, 'spec.nn', sink);
  const model = spec && checkModel(spec, sink, { resolveUse: (path) => (files[path] === undefined ? null : frontEnd(files[path]!, path, sink)) });
  return { model, sink, text: renderDiagnostics(sink.items, sources), codes: sink.items.map((d) => d.code), reachedChecker: spec !== null };
}

/**
 * Parses and schema-validates `text` but skips the front end's name checks,
 * so the checker's own diagnostics (which the name checker would pre-empt)
 * can be seen: the checker must stand on its own for any schema-valid spec.
 */
export function checkUnnamed(text: string): Checked {
  const sink = new DiagnosticSink();
  const parsed = parseSpec(text, 'spec.nn', sink);
  const spec = sink.hasErrors ? null : validateSpec(parsed, sink);
  const model = spec && checkModel(spec, sink);
  return { model, sink, text: renderDiagnostics(sink.items, new Map([['spec.nn', text]])), codes: sink.items.map((d) => d.code), reachedChecker: spec !== null };
}

/** Checks `text` and fails the test with the rendered diagnostics unless it is valid. */
export function checkOk(text: string, files: Record<string, string> = {}): CheckedModel {
  const r = check(text, files);
  if (!r.model) throw new Error(`expected a valid spec, got:\n${r.text}`);
  return r.model;
}

export function size(p: ParamInfo): number {
  return p.type.shape.reduce<number>((a, d) => a * (d as number), 1);
}

export function paramCount(m: CheckedModel): number {
  return m.forward.params.reduce((a, p) => a + size(p), 0);
}

/** A small valid classifier spec; `net`, `loss` and `extra` replace its parts. */
export function mlp(parts: { net?: string; loss?: string; extra?: string; inputs?: string } = {}): string {
  return [
    'model t',
    parts.inputs ?? 'input x: f32[8]\ntarget y: class(3)',
    `net {\n${parts.net ?? '  h = dense(x, 4, activation: relu)\n  logits = dense(h, 3)'}\n}`,
    `loss = ${parts.loss ?? 'cross_entropy(logits, y)'}`,
    parts.extra ?? '',
  ].join('\n');
}
