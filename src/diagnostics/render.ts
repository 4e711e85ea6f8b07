// Renders diagnostics for people (`file:line:col: error NNC3001: …`, the
// source line, a caret/tilde underline, the hint) or as JSON.
import type { Diagnostic } from './diagnostic.js';

/** Sources by file name, so related spans in other files can be shown too. */
export type Sources = ReadonlyMap<string, string>;

export function renderDiagnostic(d: Diagnostic, sources: Sources): string {
  const out: string[] = [];
  const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.column}: ` : '';
  out.push(`${where}${d.severity} ${d.code}: ${d.message}`);
  if (d.span) out.push(...excerpt(d.span, sources));
  for (const r of d.related ?? []) {
    out.push(`${r.span.file}:${r.span.line}:${r.span.column}: note: ${r.message}`);
    out.push(...excerpt(r.span, sources));
  }
  if (d.hint) out.push(`  hint: ${d.hint}`);
  return out.join('\n');
}

export function renderDiagnostics(ds: readonly Diagnostic[], sources: Sources): string {
  return ds.map((d) => renderDiagnostic(d, sources)).join('\n\n');
}

function excerpt(span: NonNullable<Diagnostic['span']>, sources: Sources): string[] {
  const text = sources.get(span.file);
  if (text === undefined) return [];
  const lines = text.split('\n');
  const raw = lines[span.line - 1];
  if (raw === undefined) return [];
  const line = visible(raw.replace(/\r$/, '').replace(/\t/g, ' '));
  const shown = line.length > 200 ? line.slice(0, 200) + '…' : line;
  const gutter = String(span.line);
  const pad = ' '.repeat(gutter.length);
  const col = Math.min(span.column - 1, shown.length);
  const width = Math.max(1, Math.min(span.length, shown.length - col));
  const mark = '^' + '~'.repeat(width - 1);
  return [`${pad} |`, `${gutter} | ${shown}`, `${pad} | ${' '.repeat(col)}${mark}`];
}

/** Control characters shown as their Unicode "control pictures" (one column each, so carets still line up). */
function visible(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0))));
}
