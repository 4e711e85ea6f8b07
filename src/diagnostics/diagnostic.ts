// Diagnostics are data: a stable code from the catalogue, a message, a span,
// an optional hint. Stages push them to a sink; only the CLI renders them.
import type { Span } from '../syntax/ast.js';
import { CATALOGUE, type DiagnosticCode } from './catalogue.js';

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span: Span | null;
  hint?: string;
  /** Further located remarks, e.g. "first bound here". */
  related?: { message: string; span: Span }[];
}

/** Where stages report problems. Pure stages take a sink instead of throwing. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  report(code: DiagnosticCode, message: string, span: Span | null, extra: { hint?: string; related?: Diagnostic['related'] } = {}): void {
    const d: Diagnostic = { code, severity: CATALOGUE[code].severity, message, span };
    if (extra.hint !== undefined) d.hint = extra.hint;
    if (extra.related !== undefined && extra.related.length > 0) d.related = extra.related;
    this.items.push(d);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  get errorCount(): number {
    return this.items.filter((d) => d.severity === 'error').length;
  }
}
