// The published schema describes exactly the AST: every parsed spec is valid,
// survives AST → JSON → validate unchanged, and malformed ASTs are rejected
// with located diagnostics.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { specFromJson } from '../../src/schema/from-json.js';
import { validateSpec } from '../../src/schema/validate.js';
import { parseSpec } from '../../src/syntax/parse.js';
import { frontEnd } from '../../src/syntax/index.js';

const root = join(import.meta.dirname, '..', '..');
const files = [
  ...readdirSync(join(root, 'specs')).filter((f) => f.endsWith('.nn')).map((f) => join(root, 'specs', f)),
  ...readdirSync(join(root, 'test/syntax/cases')).filter((f) => f.endsWith('.nn')).map((f) => join(root, 'test/syntax/cases', f)),
];

describe('AST → JSON → schema → AST', () => {
  for (const file of files) {
    it(file.slice(root.length + 1), () => {
      const sink = new DiagnosticSink();
      const ast = parseSpec(readFileSync(file, 'utf8'), file, sink);
      expect(sink.items).toEqual([]);
      const again = validateSpec(JSON.parse(JSON.stringify(ast)), sink);
      expect(sink.items).toEqual([]);
      expect(again).toEqual(ast);
    });
  }

  it('a JSON spec goes through the whole front end like its .nn source', () => {
    const text = readFileSync(join(root, 'specs/mnist-mlp.nn'), 'utf8');
    const sink = new DiagnosticSink();
    const fromText = frontEnd(text, 'mnist-mlp.nn', sink);
    const fromJson = frontEnd(JSON.stringify({ $schema: '../schema/nn-spec.schema.json', ...fromText }), 'mnist-mlp.json', sink);
    expect(sink.items).toEqual([]);
    expect(fromJson).toEqual(fromText);
  });
});

describe('schema rejections', () => {
  const base = () => parseSpec('model m\ninput x: f32[4]\nnet { h = dense(x, 3) }\nloss = mean(h)\n', 'm.nn', new DiagnosticSink()) as unknown as { statements: Record<string, unknown>[] };

  it('reports an unknown key at the span of its node', () => {
    const spec = base();
    (spec.statements[2] as Record<string, unknown>).extra = 1;
    const sink = new DiagnosticSink();
    expect(validateSpec(spec, sink)).toBeNull();
    expect(sink.items.map((d) => [d.code, d.span?.line])).toEqual([['NNC2002', 3]]);
  });

  it('reports a wrong type and an unknown node kind', () => {
    const spec = base();
    const model = spec.statements[0] as { name: { name: unknown } };
    model.name.name = 42;
    (spec.statements[3] as { value: { kind: string } }).value.kind = 'lambda';
    const sink = new DiagnosticSink();
    expect(validateSpec(spec, sink)).toBeNull();
    expect(sink.items.map((d) => d.code).sort()).toEqual(['NNC2001', 'NNC2003']);
    expect(sink.items.every((d) => d.span !== null)).toBe(true);
  });

  it('rejects non-objects and invalid JSON without throwing', () => {
    const sink = new DiagnosticSink();
    expect(validateSpec(null, sink)).toBeNull();
    expect(validateSpec([1, 2], sink)).toBeNull();
    expect(specFromJson('{ "kind": ', 'x.json', sink)).toBeNull();
    expect(sink.items.at(-1)?.code).toBe('NNC2005');
  });

  it('the schema file is strict: additionalProperties false on every object', () => {
    const schema = JSON.parse(readFileSync(join(root, 'schema/nn-spec.schema.json'), 'utf8')) as { $defs: Record<string, { discriminator?: unknown; additionalProperties?: boolean }> };
    for (const [name, def] of Object.entries(schema.$defs)) {
      if (!def.discriminator) expect(def.additionalProperties, name).toBe(false);
    }
  });
});
