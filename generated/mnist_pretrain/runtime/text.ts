// Text data for generated trainers: the tokenizer, the vocabulary (built from
// the training split only), the `json(…)`, `tsv(…)` and `csv(…, text: …)`
// loaders, and the encoding of texts into fixed-length token ids.
//
// A text source loads into an ordinary `Dataset` whose `x` holds, per example,
// the index of its text in `texts`; splits, shuffles and --limit then work on
// text sets exactly as on numeric ones. `encodeTextData` replaces the indices
// by `length` token ids once the splits are known, so the vocabulary never
// sees a validation or test sentence.
import { readFileSync } from 'node:fs';
import { DataError } from './errors.js';
import { resolveDataPath, type Dataset, type PreparedData } from './data.js';
import { loadCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';

/** Token id of padding (mask 0); never a word. */
export const PAD_ID = 0;
/** Token id of every word outside the vocabulary. */
export const OOV_ID = 1;
/** Vocabulary entries 0 and 1 (their names in a saved vocabulary). */
export const RESERVED_TOKENS = ['<pad>', '<oov>'] as const;

/** `text(vocab: N, length: L)`: at most N ids (the two reserved ones included), L tokens per example. */
export interface TextSpec {
  vocab: number;
  length: number;
}

/**
 * Splits a text into tokens: lower-cased (locale-independent), runs of
 * letters and digits (any script) with inner apostrophes kept (`don't`),
 * every other punctuation character a token of its own (`!`, `?`, `.`),
 * whitespace dropped. So "Great!!" is [great, !, !] and "U.S." is [u, ., s, .].
 */
export function tokenize(text: string): string[] {
  const lower = text.normalize('NFC').toLowerCase();
  return lower.match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu) ?? [];
}

/**
 * The vocabulary of `texts`: `<pad>`, `<oov>`, then the most frequent tokens
 * (ties in first-seen order, so the same texts in the same order always give
 * the same ids), `size` entries at most.
 */
export function buildVocabulary(texts: Iterable<string>, size: number): string[] {
  if (!Number.isInteger(size) || size < 3) throw new RangeError(`vocabulary size must be an integer ≥ 3, got ${size}`);
  const counts = new Map<string, number>();
  for (const t of texts) for (const tok of tokenize(t)) counts.set(tok, (counts.get(tok) ?? 0) + 1);
  // Map iteration is insertion (first-seen) order and Array.sort is stable: ties keep that order.
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([tok]) => tok);
  return [...RESERVED_TOKENS, ...ranked.slice(0, size - RESERVED_TOKENS.length)];
}

/** Token → id for a vocabulary as `buildVocabulary` returns it. */
export function vocabularyIndex(vocabulary: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  vocabulary.forEach((tok, id) => {
    if (id >= RESERVED_TOKENS.length) index.set(tok, id);
  });
  return index;
}

/**
 * The first `length` token ids of `text` (OOV_ID for unknown words), padded
 * with PAD_ID at the end. Longer texts are truncated: their tail is dropped.
 */
export function encodeText(text: string, index: ReadonlyMap<string, number>, length: number, out = new Int32Array(length)): Int32Array {
  out.fill(PAD_ID);
  const tokens = tokenize(text);
  const n = Math.min(length, tokens.length);
  for (let i = 0; i < n; i++) out[i] = index.get(tokens[i]!) ?? OOV_ID;
  return out;
}

/** Padding mask of encoded ids: 1 for a token, 0 for padding. */
export function paddingMask(ids: ArrayLike<number>): Float32Array {
  return Float32Array.from(ids, (id) => (id === PAD_ID ? 0 : 1));
}

/**
 * Encodes every set of `data` in place (x: ids as float32 [n, length]) with
 * `vocabulary` if given (e.g. read from a checkpoint), else one built from the
 * training set's texts. Returns the vocabulary used.
 */
export function encodeTextData(data: PreparedData, spec: TextSpec, vocabulary?: readonly string[]): string[] {
  const textsOf = (ds: Dataset, what: string): string[] => {
    if (ds.texts === undefined) throw new DataError(`the ${what} data has no text column, but the model's input is text(vocab: ${spec.vocab}, length: ${spec.length})`);
    return Array.from(ds.x, (i) => ds.texts![i]!);
  };
  const trainTexts = textsOf(data.train, 'training');
  const vocab = vocabulary !== undefined ? [...vocabulary] : buildVocabulary(trainTexts, spec.vocab);
  if (vocab.length > spec.vocab) throw new DataError(`the vocabulary has ${vocab.length} entries, more than the model's vocab: ${spec.vocab}`);
  const index = vocabularyIndex(vocab);
  const encode = (ds: Dataset, texts: string[]): void => {
    const x = new Float32Array(ds.n * spec.length);
    const row = new Int32Array(spec.length);
    texts.forEach((t, i) => x.set(encodeText(t, index, spec.length, row), i * spec.length));
    ds.x = x;
    ds.featureShape = [spec.length];
    delete ds.texts;
  };
  const sets: [Dataset, string[]][] = [[data.train, trainTexts]];
  if (data.validation !== null) sets.push([data.validation, textsOf(data.validation, 'validation')]);
  if (data.test !== null) sets.push([data.test, textsOf(data.test, 'test')]);
  for (const [ds, texts] of sets) encode(ds, texts);
  return vocab;
}

/**
 * The vocabulary saved in the `slot` checkpoint of `dir` (meta.vocabulary),
 * so evaluation and resumed training use the ids the parameters were trained with.
 */
export async function checkpointVocabulary(dir: string, slot: 'last' | 'best' = 'last'): Promise<string[]> {
  const ckpt = await loadCheckpoint(dir, { slot });
  for (const t of Object.values(ckpt.tensors)) t.dispose();
  return vocabularyFromMeta(ckpt.meta, `${dir} (${slot})`);
}

/** meta.vocabulary of a checkpoint; a CheckpointError naming `where` when it is missing or malformed. */
export function vocabularyFromMeta(meta: Record<string, unknown>, where: string): string[] {
  const v = meta['vocabulary'];
  if (!Array.isArray(v) || !v.every((w) => typeof w === 'string')) {
    throw new CheckpointError(`${where}: the checkpoint has no vocabulary (meta.vocabulary), so its token ids are unknown`);
  }
  return v as string[];
}

// ---------------------------------------------------------------- loaders

/** A text source of the spec (mirrors the compiler's DataSource variants with a text column). */
export type TextSource =
  | { kind: 'json'; path: string; text: string; label: string }
  | { kind: 'tsv' | 'csv'; path: string; text: string; label: string; header: boolean };

/** Whether a data source has a text column (json, tsv, or csv with `text:`). */
export function isTextSource(source: object): source is TextSource {
  return 'text' in source && typeof (source as { text: unknown }).text === 'string';
}

export interface TextLoadOptions {
  dataDir?: string;
  /** Labels must be integers in [0, classes). */
  classes?: number;
  /** Where skipped rows are reported (default: stderr). */
  warn?: (line: string) => void;
}

interface RawRecord {
  text: unknown;
  label: unknown;
  /** "line 12" or "record 999". */
  where: string;
}

/** How many skipped rows are listed one by one before "… and N more". */
const LISTED = 5;

/**
 * Loads a text source into a Dataset of text indices (see the top of this
 * file). Bad rows — a missing or out-of-range label, an empty text or one
 * without a single token — are skipped, counted and reported with the file
 * and line (or record index); a file with no usable row is a DataError.
 */
export function loadTextSource(source: TextSource, options: TextLoadOptions = {}): Dataset {
  const texts: string[] = [];
  const labels: number[] = [];
  for (const path of expandBraces(source.path)) loadTextFile(path, source, options, texts, labels);
  return { x: Float32Array.from(texts, (_, i) => i), y: Int32Array.from(labels), n: texts.length, featureShape: [1], texts };
}

/**
 * `dir/{amazon,imdb}.json` → [`dir/amazon.json`, `dir/imdb.json`]: one text
 * source may join several files (each resolved on its own). One brace group.
 */
export function expandBraces(path: string): string[] {
  const m = /^(.*?)\{([^{}]*)\}(.*)$/.exec(path);
  if (m === null) return [path];
  return m[2]!.split(',').map((alt) => `${m[1]}${alt.trim()}${m[3]}`);
}

function loadTextFile(path: string, source: TextSource, options: TextLoadOptions, texts: string[], labels: number[]): void {
  const file = resolveDataPath(path, options.dataDir);
  const raw = readTextFile(file);
  const records = source.kind === 'json' ? jsonRecords(file, raw, source) : delimitedRecords(file, raw, source, source.kind === 'tsv' ? '\t' : ',');
  const before = texts.length;
  const skipped: string[] = [];
  for (const r of records) {
    const problem = rowProblem(r, options.classes, source);
    if (problem !== null) {
      skipped.push(`${r.where}: ${problem}`);
      continue;
    }
    texts.push(String(r.text));
    labels.push(Number(r.label));
  }
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (skipped.length > 0) {
    const listed = skipped.slice(0, LISTED).map((s) => `  ${file}: ${s}`);
    if (skipped.length > LISTED) listed.push(`  … and ${skipped.length - LISTED} more`);
    warn(`data: ${file}: skipped ${skipped.length} of ${records.length} rows\n${listed.join('\n')}`);
  }
  if (texts.length === before) {
    throw new DataError(`${file}: no usable rows (${records.length} read, ${skipped.length} skipped)${skipped.length > 0 ? `; first problem: ${skipped[0]}` : ''}`);
  }
}

function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

function rowProblem(r: RawRecord, classes: number | undefined, source: TextSource): string | null {
  if (r.label === undefined || r.label === null || r.label === '') return `missing label (field '${source.label}')`;
  const v = typeof r.label === 'number' ? r.label : typeof r.label === 'string' ? Number(r.label.trim()) : Number.NaN;
  if (!Number.isInteger(v) || v < 0 || (classes !== undefined && v >= classes)) {
    const range = classes !== undefined ? `0..${classes - 1}` : 'a non-negative integer';
    return `label ${JSON.stringify(r.label)} is not one of the classes (${range})`;
  }
  if (typeof r.text !== 'string' || r.text.trim() === '') return `empty text (field '${source.text}')`;
  if (tokenize(r.text).length === 0) return 'the text has no tokens';
  return null;
}

function jsonRecords(file: string, raw: string, source: TextSource): RawRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new DataError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new DataError(`${file}: expected a JSON array of records, got ${parsed === null ? 'null' : typeof parsed}`);
  return parsed.map((rec: unknown, i) => {
    const obj = rec !== null && typeof rec === 'object' ? (rec as Record<string, unknown>) : {};
    return { text: obj[source.text], label: obj[source.label], where: `record ${i}` };
  });
}

function delimitedRecords(file: string, raw: string, source: Exclude<TextSource, { kind: 'json' }>, sep: string): RawRecord[] {
  const lines = raw.split(/\r?\n/);
  let textCol = -1;
  let labelCol = -1;
  let first = 0;
  if (source.header) {
    while (first < lines.length && lines[first]!.trim() === '') first++;
    if (first >= lines.length) throw new DataError(`${file}: the file is empty (expected a header line)`);
    const columns = splitLine(lines[first]!, sep);
    textCol = columns.indexOf(source.text);
    labelCol = columns.indexOf(source.label);
    for (const [name, col] of [[source.text, textCol], [source.label, labelCol]] as const) {
      if (col < 0) throw new DataError(`${file}:${first + 1}: no column named '${name}' (columns: ${columns.join(', ')})`);
    }
    first++;
  } else {
    textCol = Number(source.text);
    labelCol = Number(source.label);
    if (!Number.isInteger(textCol) || !Number.isInteger(labelCol)) {
      throw new DataError(`${file}: without a header, give the text and label columns by 0-based index (text: "0", label: "1")`);
    }
  }
  const out: RawRecord[] = [];
  for (let i = first; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const cells = splitLine(lines[i]!, sep);
    out.push({ text: cells[textCol], label: cells[labelCol], where: `line ${i + 1}` });
  }
  return out;
}

/**
 * One row's fields. Tab-separated rows split on tabs only. CSV fields may be
 * double-quoted, with commas inside and `""` for a quote (RFC 4180 within a line).
 */
function splitLine(line: string, sep: string): string[] {
  if (sep === '\t') return line.split('\t').map((f) => f.trim());
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (ch === sep) {
      fields.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  fields.push(cur.trim());
  return fields;
}
