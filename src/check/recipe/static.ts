// Static values of the training recipe (optimizer, schedule, data, train,
// phases): numbers fold (`1/255`, `-3`), durations keep their unit, calls are
// kept for the reader of the statement to interpret.
import type { Call, Expr, Span } from '../../syntax/ast.js';
import type { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import type { Duration } from '../model.js';
import { exprText } from '../exprText.js';

export type Static =
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'symbol'; name: string; span: Span }
  | { kind: 'duration'; value: Duration; span: Span }
  | { kind: 'list'; items: Static[]; span: Span }
  | { kind: 'object'; entries: { key: string; keySpan: Span; value: Static }[]; span: Span }
  | { kind: 'call'; call: Call; span: Span };

export function describeStatic(v: Static): string {
  switch (v.kind) {
    case 'number':
      return `the number ${v.value}`;
    case 'string':
      return `the string "${v.value}"`;
    case 'symbol':
      return `\`${v.name}\``;
    case 'duration':
      return `the duration ${v.value.value} ${v.value.unit}`;
    case 'list':
      return 'a list';
    case 'object':
      return 'an object';
    case 'call':
      return `a call to ${v.call.callee.name}(…)`;
  }
}

export function staticValue(e: Expr, sink: DiagnosticSink): Static | null {
  switch (e.kind) {
    case 'number':
      return { kind: 'number', value: e.value, span: e.span };
    case 'string':
      return { kind: 'string', value: e.value, span: e.span };
    case 'ref':
      return { kind: 'symbol', name: e.name, span: e.span };
    case 'call':
      return { kind: 'call', call: e, span: e.span };
    case 'unary': {
      const v = staticValue(e.operand, sink);
      if (v === null) return null;
      if (v.kind !== 'number') return notNumber(e, sink);
      return { kind: 'number', value: -v.value, span: e.span };
    }
    case 'binary': {
      const l = staticValue(e.left, sink);
      const r = staticValue(e.right, sink);
      if (l === null || r === null) return null;
      if (l.kind !== 'number' || r.kind !== 'number' || e.op === '@') return notNumber(e, sink);
      const value = e.op === '+' ? l.value + r.value : e.op === '-' ? l.value - r.value : e.op === '*' ? l.value * r.value : l.value / r.value;
      if (!Number.isFinite(value)) {
        sink.report('NNC3017', `\`${exprText(e)}\` is not a finite number`, e.span);
        return null;
      }
      return { kind: 'number', value, span: e.span };
    }
    case 'duration': {
      const v = staticValue(e.value, sink);
      if (v === null) return null;
      if (v.kind !== 'number') return notNumber(e, sink);
      return { kind: 'duration', value: { value: v.value, unit: e.unit }, span: e.span };
    }
    case 'list': {
      const items: Static[] = [];
      let ok = true;
      for (const i of e.items) {
        const v = staticValue(i, sink);
        if (v) items.push(v);
        else ok = false;
      }
      return ok ? { kind: 'list', items, span: e.span } : null;
    }
    case 'object': {
      const entries: { key: string; keySpan: Span; value: Static }[] = [];
      let ok = true;
      for (const en of e.entries) {
        const v = staticValue(en.value, sink);
        if (v) entries.push({ key: en.key.name, keySpan: en.key.span, value: v });
        else ok = false;
      }
      return ok ? { kind: 'object', entries, span: e.span } : null;
    }
  }
}

function notNumber(e: Expr, sink: DiagnosticSink): null {
  sink.report('NNC3010', `\`${exprText(e)}\` must be a number here`, e.span, { hint: 'arithmetic in the recipe works on numbers only, e.g. 1/255' });
  return null;
}
