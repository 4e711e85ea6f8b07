// Targeted parser behaviour: spans, recovery, soft keywords, literals, odd input.
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import type { Binding, Call, Expr, NetBlock, Setting, Spec, TrainBlock } from '../../src/syntax/ast.js';
import { parseSpec } from '../../src/syntax/parse.js';

function parse(text: string): { spec: Spec; sink: DiagnosticSink } {
  const sink = new DiagnosticSink();
  return { spec: parseSpec(text, 't.nn', sink), sink };
}

function setting(text: string): Expr {
  const { spec, sink } = parse(text);
  expect(sink.items).toEqual([]);
  return (spec.statements.find((s) => s.kind === 'setting') as Setting).value;
}

describe('parseSpec', () => {
  it('gives every node the span of its source text', () => {
    const text = 'model m\nnet {\n  h = dense(x,  8, activation: relu)\n}\n';
    const { spec } = parse(text);
    const h = (spec.statements[1] as NetBlock).body[0] as Binding;
    const call = h.value as Call;
    const slice = (s: { offset: number; length: number }) => text.slice(s.offset, s.offset + s.length);
    expect(slice(h.span)).toBe('h = dense(x,  8, activation: relu)');
    expect([h.span.line, h.span.column]).toEqual([3, 3]);
    expect(slice(call.args[2]!.span)).toBe('activation: relu');
    expect(slice(call.args[2]!.name!.span)).toBe('activation');
    expect([call.args[1]!.value.span.line, call.args[1]!.value.span.column]).toEqual([3, 17]);
  });

  it('folds a minus on a literal and keeps arithmetic precedence', () => {
    const e = setting('loss = -1 - -x * 2');
    expect(e).toMatchObject({ kind: 'binary', op: '-', left: { kind: 'number', value: -1, text: '-1' }, right: { kind: 'binary', op: '*', left: { kind: 'unary' } } });
  });

  it('reads durations, but not a unit word that starts the next entry', () => {
    expect(setting('schedule = cosine(warmup: 2 epochs)')).toMatchObject({ args: [{ value: { kind: 'duration', unit: 'epoch', value: { value: 2 } } }] });
    const { spec, sink } = parse('train { lr: 1e-4 epochs: 3 step: 1 }');
    expect(sink.items).toEqual([]);
    expect((spec.statements[0] as TrainBlock).body.entries.map((e) => e.key.name)).toEqual(['lr', 'epochs', 'step']);
  });

  it('lets keywords be names where a name is expected', () => {
    const { spec, sink } = parse('data { train = csv("a") test = split(train, 0.1) }\nnet { model = dense(input, 2) }');
    expect(sink.items).toEqual([]);
    expect(spec.statements.map((s) => s.kind)).toEqual(['data', 'net']);
  });

  it('reports every syntax error of a file and keeps the statements it could read', () => {
    const { spec, sink } = parse('model m\nnet { h = dense(x, }\n} }\ninput x: f32[4]\nloss = mean(h\noptimizer = sgd(0.1)\n');
    expect(sink.items.length).toBeGreaterThanOrEqual(3);
    expect(sink.items.every((d) => d.code.startsWith('NNC1'))).toBe(true);
    expect(spec.statements.map((s) => s.kind)).toContain('input');
    const lines = sink.items.map((d) => d.span!.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('names the bracket left open, with a note where it was opened', () => {
    const { sink } = parse('model m\nnet {\n  h = dense(x, 8)\n');
    expect(sink.items).toHaveLength(1);
    expect(sink.items[0]!.message).toBe('expected `}` to close `net {` opened at line 2, found end of file');
    expect(sink.items[0]!.related?.[0]?.span.line).toBe(2);
  });

  it('handles CRLF, a lone CR, a BOM and tabs with consistent positions', () => {
    const text = '\ufeffmodel m\r\nnet {\tx = dense(\r"a", 1) }\r\nfoo bar\r\n';
    const { sink } = parse(text);
    expect(sink.items).toHaveLength(1);
    const s = sink.items[0]!.span!;
    expect(text.slice(s.offset, s.offset + s.length)).toBe('foo');
    expect([s.line, s.column]).toEqual([3, 1]);
  });

  it('treats NUL bytes or mostly-control text as binary, but a stray control character as a lexer error', () => {
    expect(parse('model m\u0000').sink.items.map((d) => d.code)).toEqual(['NNC1006']);
    expect(parse('\u0001\u0002\u0003\u0004\u0005\u0006').sink.items.map((d) => d.code)).toEqual(['NNC1006']);
    expect(parse('model m\u0007\nnet { }').sink.items.map((d) => d.code)).toEqual(['NNC1001']);
  });

  it('keeps parsing after an unterminated string', () => {
    const { spec, sink } = parse('use "base.nn\nmodel m\n');
    expect(sink.items.map((d) => d.code)).toEqual(['NNC1003']);
    expect(spec.statements.map((s) => s.kind)).toEqual(['use', 'model']);
    expect(spec.statements[0]).toMatchObject({ path: { value: 'base.nn' } });
  });

  it('unescapes strings', () => {
    expect(setting('loss = f("a\\"b\\\\c\\n")')).toMatchObject({ args: [{ value: { value: 'a"b\\c\n' } }] });
  });
});
