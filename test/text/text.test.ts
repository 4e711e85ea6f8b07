// The text runtime: tokenizer, vocabulary (training texts only, most frequent
// first, deterministic ties), encoding with padding/truncation, the json/tsv/csv
// loaders with their bad-row reports, and the binary metrics.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/runtime/errors.js';
import { prepareData } from '../../src/runtime/data.js';
import { binaryReport, rocAuc } from '../../src/runtime/metrics.js';
import { Rng } from '../../src/runtime/rng.js';
import {
  OOV_ID, PAD_ID, buildVocabulary, encodeText, encodeTextData, expandBraces, loadTextSource, paddingMask, tokenize, vocabularyIndex,
} from '../../src/runtime/text.js';

const dir = mkdtempSync(join(tmpdir(), 'nnc-text-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('tokenize', () => {
  it('lower-cases, keeps inner apostrophes, makes each punctuation mark a token', () => {
    expect(tokenize("Great phone!! Don't buy the U.S. model, 10/10")).toEqual(['great', 'phone', '!', '!', "don't", 'buy', 'the', 'u', '.', 's', '.', 'model', ',', '10', '/', '10']);
    expect(tokenize('  Ça   marche  ')).toEqual(['ça', 'marche']);
    expect(tokenize(' \t ')).toEqual([]);
  });
});

describe('vocabulary', () => {
  it('reserves <pad>=0 and <oov>=1, then most frequent first, ties in first-seen order, capped at size', () => {
    const v = buildVocabulary(['b a a', 'c b a', 'd'], 5);
    expect(v).toEqual(['<pad>', '<oov>', 'a', 'b', 'c']);
    expect(buildVocabulary(['b a a', 'c b a', 'd'], 5)).toEqual(v);
    expect(() => buildVocabulary([], 2)).toThrow(RangeError);
  });

  it('encodes to fixed length: unknown words → OOV, padding at the end, truncation keeps the start', () => {
    const index = vocabularyIndex(['<pad>', '<oov>', 'good', 'bad']);
    expect([...encodeText('Good, good!', index, 6)]).toEqual([2, OOV_ID, 2, OOV_ID, PAD_ID, PAD_ID]);
    expect([...encodeText('bad good bad good', index, 2)]).toEqual([3, 2]);
    expect([...paddingMask([2, 1, 0, 0])]).toEqual([1, 1, 0, 0]);
  });
});

describe('text sources', () => {
  it('json: skips and reports bad records (missing label, unknown class, empty text) with file and record', () => {
    const p = file('a.json', JSON.stringify([
      { text: 'fine', class: 1 }, { text: 'bad one', class: 0 }, { text: 'x', class: 3 }, { text: '  ', class: 1 }, { text: '', class: null },
    ]));
    const warnings: string[] = [];
    const ds = loadTextSource({ kind: 'json', path: p, text: 'text', label: 'class' }, { classes: 2, warn: (l) => warnings.push(l) });
    expect(ds.n).toBe(2);
    expect([...ds.y]).toEqual([1, 0]);
    expect(ds.texts).toEqual(['fine', 'bad one']);
    expect(warnings.join('\n')).toContain('skipped 3 of 5 rows');
    expect(warnings.join('\n')).toMatch(/a\.json: record 2: label 3 is not one of the classes \(0\.\.1\)/);
    expect(warnings.join('\n')).toMatch(/record 3: empty text/);
    expect(warnings.join('\n')).toMatch(/record 4: missing label/);
  });

  it('tsv and csv (quoted commas) with named columns; bad lines named by line number', () => {
    const t = file('a.tsv', 'label\ttext\n1\tloved it\n\n0\thated it\nx\todd\n');
    const warnings: string[] = [];
    const ds = loadTextSource({ kind: 'tsv', path: t, text: 'text', label: 'label', header: true }, { classes: 2, warn: (l) => warnings.push(l) });
    expect(ds.texts).toEqual(['loved it', 'hated it']);
    expect(warnings.join('\n')).toMatch(/a\.tsv: line 5: label "x"/);
    const c = file('a.csv', 'review,stars\n"good, really good",1\n"so ""bad""",0\n');
    const ds2 = loadTextSource({ kind: 'csv', path: c, text: 'review', label: 'stars', header: true }, { classes: 2, warn: () => {} });
    expect(ds2.texts).toEqual(['good, really good', 'so "bad"']);
    expect(() => loadTextSource({ kind: 'csv', path: c, text: 'body', label: 'stars', header: true })).toThrow(/no column named 'body'/);
  });

  it('fails clearly when nothing usable remains', () => {
    const p = file('empty.json', JSON.stringify([{ text: '', class: null }]));
    expect(() => loadTextSource({ kind: 'json', path: p, text: 'text', label: 'class' }, { classes: 2, warn: () => {} })).toThrow(DataError);
    expect(() => loadTextSource({ kind: 'json', path: p, text: 'text', label: 'class' }, { classes: 2, warn: () => {} })).toThrow(/no usable rows/);
  });

  it('braces join several files into one source', () => {
    expect(expandBraces('d/{a, b}.json')).toEqual(['d/a.json', 'd/b.json']);
    file('p1.json', JSON.stringify([{ text: 'one', class: 1 }]));
    file('p2.json', JSON.stringify([{ text: 'two', class: 0 }]));
    const ds = loadTextSource({ kind: 'json', path: join(dir, '{p1,p2}.json'), text: 'text', label: 'class' }, { classes: 2 });
    expect(ds.texts).toEqual(['one', 'two']);
  });

  it('the vocabulary comes from the training split only; splits and encoding are seeded', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ text: i < 30 ? `common word${i}` : `heldout${i}`, class: i % 2 }));
    const p = file('split.json', JSON.stringify(rows));
    const config = { train: { kind: 'json' as const, path: p, text: 'text', label: 'class' }, validation: null, test: { from: 'train', fraction: 0.25, stratified: true } };
    const data = prepareData(config, { classes: 2, rng: new Rng(3) });
    const testTexts = Array.from(data.test!.x, (i) => data.test!.texts![i]!);
    const trainTexts = Array.from(data.train.x, (i) => data.train.texts![i]!);
    const vocab = encodeTextData(data, { vocab: 100, length: 4 });
    for (const t of testTexts) if (!trainTexts.includes(t)) for (const tok of t.split(' ')) if (!trainTexts.some((s) => s.split(' ').includes(tok))) expect(vocab).not.toContain(tok);
    expect(vocab[2]).toBe('common');
    expect(data.train.featureShape).toEqual([4]);
    expect(data.test!.x.length).toBe(data.test!.n * 4);
    const again = prepareData(config, { classes: 2, rng: new Rng(3) });
    expect(encodeTextData(again, { vocab: 100, length: 4 })).toEqual(vocab);
    expect(again.test!.x).toEqual(data.test!.x);
  });
});

describe('binary metrics', () => {
  it('precision, recall, F1 of the positive class and ROC AUC (ties count half)', () => {
    const y = [1, 1, 0, 0, 1];
    const scores = [2, -1, 0.5, -3, 4];
    const r = binaryReport(y, scores);
    expect(r.confusion).toEqual([[1, 1], [1, 2]]);
    expect(r.precision).toBeCloseTo(2 / 3);
    expect(r.recall).toBeCloseTo(2 / 3);
    expect(r.f1).toBeCloseTo(2 / 3);
    expect(r.accuracy).toBeCloseTo(3 / 5);
    // positives 2, -1, 4 vs negatives 0.5, -3: pairs won 2+1+2 = 5 of 6.
    expect(r.rocAuc).toBeCloseTo(5 / 6);
    expect(rocAuc([1, 0], [1, 1])).toBe(0.5);
    expect(rocAuc([1, 1], [1, 2])).toBeNaN();
  });
});
