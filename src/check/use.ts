// `use "base.nn"`: the statements a spec inherits from the spec it uses —
// inputs and targets, defs, the net (with the base's own replacements), loss,
// optimizer, schedule, data and train — unless it says them itself (by name
// for inputs, targets, defs and settings). Freeze rules, scales, phases and
// `init from` are the using spec's own business and are not inherited.
import type { Spec, Statement } from '../syntax/ast.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';

export type ResolveUse = (path: string, fromFile: string) => Spec | null;

const INHERITED = new Set<Statement['kind']>(['input', 'target', 'def', 'net', 'setting', 'data', 'train', 'replace']);

/** Key under which a statement overrides an inherited one (null: not overridable). */
function key(s: Statement): string | null {
  switch (s.kind) {
    case 'input':
    case 'target':
      return `io:${s.name.name}`;
    case 'def':
      return `def:${s.name.name}`;
    case 'setting':
      return `setting:${s.key.name}`;
    case 'replace':
      return `replace:${s.binding.name.name}`;
    case 'net':
    case 'data':
    case 'train':
      return s.kind;
    default:
      return null;
  }
}

/** The spec's statements with every `use` expanded (recursively; cycles are errors). */
export function withUses(spec: Spec, sink: DiagnosticSink, resolve: ResolveUse | undefined, chain: readonly string[] = []): Statement[] {
  const own = spec.statements.filter((s) => s.kind !== 'use');
  const overridden = new Set(own.map(key).filter((k): k is string => k !== null));
  const inherited: Statement[] = [];
  for (const s of spec.statements) {
    if (s.kind !== 'use') continue;
    const path = s.path.value;
    if (!resolve) {
      sink.report('NNC6001', `cannot read "${path}": no resolver for \`use\` was given`, s.path.span);
      continue;
    }
    const errorsBefore = sink.errorCount;
    const base = resolve(path, spec.file);
    if (base === null) {
      if (sink.errorCount === errorsBefore) sink.report('NNC6001', `cannot use "${path}": file not found`, s.path.span, { hint: 'the path is relative to the file that says `use`' });
      continue;
    }
    if (chain.includes(base.file) || base.file === spec.file) {
      sink.report('NNC3017', `\`use "${path}"\` makes a cycle: ${[...chain, spec.file, base.file].join(' → ')}`, s.path.span);
      continue;
    }
    for (const b of withUses(base, sink, resolve, [...chain, spec.file])) {
      if (!INHERITED.has(b.kind)) continue;
      const k = key(b);
      if (k !== null && overridden.has(k)) continue;
      inherited.push(b);
    }
  }
  return [...inherited, ...own];
}
