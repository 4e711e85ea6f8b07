// `data { train = csv(…)  test = split(train, 0.2, stratified) }` →
// DataConfig. Bindings are `train` (required), `validation` and `test`; a
// split takes a seeded fraction of an earlier source's rows out (the trainer
// removes them from that source). Paths stay as written: the trainer resolves
// them against --data-dir. No data block: null (the spec checks and compiles,
// but the trainer has nothing to load).
import type { DataBlock, Span } from '../../syntax/ast.js';
import type { DiagnosticSink } from '../../diagnostics/diagnostic.js';
import type { DataConfig, DataSource, SplitConfig, TextDataSource } from '../model.js';
import { matchArgs, type Given } from '../args.js';
import { didYouMean } from '../format.js';
import { DATA_SOURCES, DATA_SPLITS } from '../signatures.js';
import { slotsOf } from '../sigs.js';
import { StaticArgs } from './args.js';
import { describeStatic, staticValue, type Static } from './static.js';
import { readClassSelection } from '../class-selection.js';

type Entry = DataSource | SplitConfig;

const SCALE = { above: 0, hint: 'features are multiplied by scale, e.g. scale: 1/255 for bytes' };

export function readData(block: DataBlock | null, sink: DiagnosticSink): DataConfig | null | 'error' {
  if (block === null) return null;
  const entries = new Map<string, { entry: Entry; span: Span }>();
  /** Bindings whose own errors were reported: splits of them stay quiet. */
  const failed = new Set<string>();
  let ok = true;
  for (const b of block.body) {
    const name = b.name.name;
    if (!(DATA_SPLITS as readonly string[]).includes(name)) {
      sink.report('NNC3014', `a data block binds ${DATA_SPLITS.join(', ')}; \`${name}\` is none of them`, b.name.span, {
        hint: didYouMean(name, DATA_SPLITS) ?? 'split an existing source instead: `test = split(train, 0.2, stratified)`',
      });
      ok = false;
      continue;
    }
    if (entries.has(name)) {
      sink.report('NNC3002', `\`${name}\` is bound twice in the data block`, b.name.span, { related: [{ message: 'first bound here', span: entries.get(name)!.span }] });
      ok = false;
      continue;
    }
    const entry = readEntry(b.value, name, entries, failed, sink);
    if (entry === null) {
      ok = false;
      failed.add(name);
    }
    else entries.set(name, { entry, span: b.span });
  }
  const train = entries.get('train');
  if (ok && !train) {
    sink.report('NNC3009', 'the data block has no `train = …`', block.span, { hint: 'e.g. train = csv("data/digits.csv.gz", label: "label")' });
    return 'error';
  }
  if (!ok || !train) return 'error';
  return { train: train.entry, validation: entries.get('validation')?.entry ?? null, test: entries.get('test')?.entry ?? null };
}

function readEntry(
  e: DataBlock['body'][number]['value'],
  binding: string,
  earlier: ReadonlyMap<string, { entry: Entry }>,
  failed: ReadonlySet<string>,
  sink: DiagnosticSink,
): Entry | null {
  if (e.kind !== 'call') {
    const v = staticValue(e, sink);
    if (v) sink.report('NNC3014', `\`${binding}\` must be a data source, got ${describeStatic(v)}`, e.span, { hint: 'csv(…), idx(…) or split(…)' });
    return null;
  }
  const kind = e.callee.name;
  const sig = DATA_SOURCES.get(kind);
  if (!sig) {
    sink.report('NNC3014', `unknown data source \`${kind}\``, e.callee.span, { hint: didYouMean(kind, [...DATA_SOURCES.keys()]) ?? `sources: ${[...DATA_SOURCES.keys()].join(', ')}` });
    return null;
  }
  const m = matchArgs<Static>(kind, e, slotsOf(sig), (x) => staticValue(x, sink), sink);
  if (!m) return null;
  const args = new StaticArgs(kind, e.span, m.given as Map<string, Given<Static>>, sink);
  switch (kind) {
    case 'csv': {
      if (args.has('text')) return readTextSource(args, 'csv', e.span);
      const path = args.string('path', null);
      const label = args.string('label', 'label');
      const scale = args.number('scale', 1, SCALE);
      const header = args.bool('header', true);
      const classes = readClassSelection(args, sink);
      if (path === null || label === null || scale === null || header === null || classes === null) return null;
      return { kind: 'csv', path, label, scale, header, ...(classes ? { classes } : {}), span: e.span };
    }
    case 'idx': {
      const images = args.string('images', null);
      const labels = args.string('labels', null);
      const scale = args.number('scale', 1, SCALE);
      const classes = readClassSelection(args, sink);
      if (images === null || labels === null || scale === null || classes === null) return null;
      return { kind: 'idx', images, labels, scale, ...(classes ? { classes } : {}), span: e.span };
    }
    case 'tsv':
    case 'json':
      return readTextSource(args, kind, e.span);
    case 'split':
      return readSplit(args, binding, earlier, failed, e.span, sink);
    default:
      sink.report('NNC3014', `\`${kind}(…)\` is not supported by the checker yet`, e.callee.span);
      return null;
  }
}

/** `json(path, text: "text", label: "class")`, `tsv(…)`, `csv(…, text: "review")`: texts with labels. */
function readTextSource(args: StaticArgs, kind: 'csv' | 'tsv' | 'json', span: Span): TextDataSource | null {
  const path = args.string('path', null);
  const text = args.string('text', 'text');
  const label = args.string('label', 'label');
  const header = kind === 'json' ? true : args.bool('header', true);
  if (path === null || text === null || label === null || header === null) return null;
  return kind === 'json' ? { kind, path, text, label, span } : { kind, path, text, label, header, span };
}

function readSplit(
  args: StaticArgs,
  binding: string,
  earlier: ReadonlyMap<string, { entry: Entry }>,
  failed: ReadonlySet<string>,
  span: Span,
  sink: DiagnosticSink,
): SplitConfig | null {
  const src = args.raw('source');
  const fraction = args.number('fraction', null, { above: 0, below: 1, hint: 'the fraction of rows held out, e.g. 0.2' });
  const stratifiedRaw = args.raw('stratified');
  let stratified: boolean | null = false;
  if (stratifiedRaw !== undefined) {
    if (stratifiedRaw.kind === 'symbol' && ['stratified', 'true'].includes(stratifiedRaw.name)) stratified = true;
    else if (stratifiedRaw.kind === 'symbol' && ['random', 'false'].includes(stratifiedRaw.name)) stratified = false;
    else {
      sink.report('NNC3010', `split: the third argument is \`stratified\` (keep class proportions), got ${describeStatic(stratifiedRaw)}`, stratifiedRaw.span);
      stratified = null;
    }
  }
  if (!src || fraction === null || stratified === null) return null;
  if (src.kind !== 'symbol') {
    sink.report('NNC3010', `split: the source must name another data binding, got ${describeStatic(src)}`, src.span, { hint: 'e.g. split(train, 0.1)' });
    return null;
  }
  const from = earlier.get(src.name);
  if (failed.has(src.name)) return null;
  if (!from) {
    sink.report('NNC3001', `split: no earlier data source \`${src.name}\``, src.span, {
      hint: didYouMean(src.name, earlier.keys()) ?? `bind it first; sources so far: ${[...earlier.keys()].join(', ') || 'none'}`,
    });
    return null;
  }
  if ('from' in from.entry || src.name === binding) {
    sink.report('NNC3014', `split: \`${src.name}\` is itself a split; split a file source`, src.span);
    return null;
  }
  return { from: src.name, fraction, stratified, span };
}
