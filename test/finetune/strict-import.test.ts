// Strict import and class selection, as `nnc check` reports them: each
// `cases/X.nn` (using cases/base.nn) is compiled with the pretrained source
// described by `cases/X.source.json` (the names and shapes a checkpoint header
// would list, or `{ "error" }` for an unreadable file) and its rendered
// diagnostics are compared with `cases/X.errors.txt` (empty: valid).
// UPDATE_GOLDEN=1 rewrites the expectations.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { compileSource } from '../../src/pipeline.js';
import type { PretrainedHeader } from '../../src/check/init-from.js';
import { describeMatch, globMatches, matchPretrained, sourceNameFor, type PretrainedPlan } from '../../src/runtime/pretrained-match.js';

const dir = join(import.meta.dirname, 'cases');
const update = process.env.UPDATE_GOLDEN === '1';
const cases = readdirSync(dir).filter((f) => f.endsWith('.nn') && f !== 'base.nn').sort();

function compileCase(name: string): { rendered: string; ok: boolean; requested: string[] } {
  const texts = new Map<string, string>();
  const read = (file: string) => {
    const text = readFileSync(join(dir, file), 'utf8');
    texts.set(file, text);
    return { file, text };
  };
  const sourceFile = join(dir, name.replace(/\.nn$/, '.source.json'));
  const requested: string[] = [];
  const readPretrained = (path: string): PretrainedHeader => {
    requested.push(path);
    if (!existsSync(sourceFile)) return null;
    const json = JSON.parse(readFileSync(sourceFile, 'utf8')) as PretrainedHeader;
    return json !== null && 'error' in json ? json : { entries: json as unknown as { name: string; shape: number[] }[], file: path };
  };
  const sink = new DiagnosticSink();
  const compiled = compileSource(read(name), sink, { readSource: (path) => (existsSync(join(dir, path)) ? read(path) : null), readPretrained });
  const rendered = sink.items.length === 0 ? '' : renderDiagnostics(sink.items, texts) + '\n';
  return { rendered, ok: compiled !== null, requested };
}

describe('strict import and class selection (cases/*.nn)', () => {
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(8));
  for (const name of cases) {
    it(name, () => {
      const { rendered, ok } = compileCase(name);
      const expected = join(dir, name.replace(/\.nn$/, '.errors.txt'));
      if (update || !existsSync(expected)) writeFileSync(expected, rendered);
      expect(rendered).toBe(readFileSync(expected, 'utf8'));
      expect(ok).toBe(rendered === '');
    });
  }

  it('asks for the source at the `init from` path, as written', () => {
    expect(compileCase('renamed-with-map.nn').requested).toEqual(['exported/model.json']);
    expect(compileCase('head-target-mismatch.nn').requested).toEqual([]);
  });
});

describe('the match itself (shared by the checker and the trainer)', () => {
  const plan: PretrainedPlan = {
    names: { 'h.weight': 'enc.weight', 'h.bias': 'enc.bias' },
    shapes: { 'h.weight': [4, 2], 'h.bias': [2] },
    replaced: ['logits'],
    allow: [],
  };

  it('loads by mapped name, discards the replaced head, ignores optimizer slots', () => {
    const m = matchPretrained(plan, [
      { name: 'enc.weight', shape: [4, 2] },
      { name: 'enc.bias', shape: [2] },
      { name: 'logits.weight', shape: [2, 10] },
      { name: 'm:enc.weight', shape: [4, 2] },
    ]);
    expect(m).toEqual({ unmatched: [], missing: [], mismatched: [], loads: { 'enc.weight': ['h.weight'], 'enc.bias': ['h.bias'] } });
  });

  it('reports every problem at once, naming both sides', () => {
    const entries = [
      { name: 'enc.weight', shape: [4, 3] },
      { name: 'aux.weight', shape: [7] },
    ];
    const m = matchPretrained(plan, entries);
    expect(m.unmatched.map((e) => e.name)).toEqual(['aux.weight']);
    expect(m.missing.map((e) => e.param)).toEqual(['h.bias']);
    expect(m.mismatched).toEqual([{ param: 'h.weight', source: 'enc.weight', model: [4, 2], sourceShape: [4, 3] }]);
    const text = describeMatch(m, plan, entries).map((p) => p.message).join('\n');
    expect(text).toContain('aux.weight [7]');
    expect(text).toContain('h.bias <- enc.bias [2]');
    expect(text).toContain('h.weight is [4, 2] in the model but enc.weight is [4, 3] in the source');
  });

  it('allow unmatched opts out on either side, never for shapes', () => {
    const m = matchPretrained({ ...plan, allow: ['aux', 'h.bias', 'h.weight'] }, [
      { name: 'enc.weight', shape: [4, 3] },
      { name: 'aux.weight', shape: [7] },
    ]);
    expect(m.unmatched).toEqual([]);
    expect(m.missing).toEqual([]);
    expect(m.mismatched).toHaveLength(1);
  });

  it('maps names and matches globs like freeze patterns', () => {
    expect(sourceNameFor('encoder.h.weight', [{ to: 'encoder.*', from: 'base.*' }])).toBe('base.h.weight');
    expect(sourceNameFor('h.weight', [{ to: 'h', from: 'dense_1' }])).toBe('dense_1.weight');
    expect(sourceNameFor('logits.bias', [{ to: 'h.*', from: 'x.*' }])).toBe('logits.bias');
    expect(globMatches('h', 'h.weight')).toBe(true);
    expect(globMatches('h', 'hd.weight')).toBe(false);
    expect(globMatches('*.bias', 'a.b.bias')).toBe(true);
    expect(globMatches('all', 'anything')).toBe(true);
  });
});
