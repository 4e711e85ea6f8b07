// Builds docs/diagnostics.md from the catalogue and the rendered error cases
// under test/errors/cases/, so the page lists every code and shows real output.
import { CATALOGUE, type DiagnosticCode } from './catalogue.js';

const BANDS: Record<string, string> = {
  '1': 'Syntax (NNC1xxx)',
  '2': 'Schema (NNC2xxx)',
  '3': 'Names, types and shapes (NNC3xxx)',
  '4': 'Differentiation (NNC4xxx)',
  '5': 'Emission (NNC5xxx)',
  '6': 'Data and runtime (NNC6xxx)',
};

/** `cases`: rendered `.errors.txt` texts by case name. */
export function diagnosticsDoc(cases: ReadonlyMap<string, string>): string {
  const examples = new Map<string, { name: string; text: string }>();
  for (const [name, text] of [...cases].sort(([a], [b]) => a.localeCompare(b))) {
    for (const block of text.split(/\n\n+/)) {
      const m = /^\S+: (?:error|warning|note) (NNC\d{4}):/.exec(block);
      if (m && !examples.has(m[1]!)) examples.set(m[1]!, { name, text: block.trimEnd() });
    }
  }
  const out: string[] = [
    '# nnc diagnostics',
    '',
    '<!-- generated from src/diagnostics/catalogue.ts and test/errors/cases by `npm run docs`; do not edit -->',
    '',
    'Every problem nnc reports is a diagnostic with a stable code. Codes are never',
    'renumbered; new ones are added. On a terminal a diagnostic reads',
    '',
    '```',
    'file:line:col: error NNC3001: message',
    '   |',
    'NN | the source line',
    '   |      ^~~~~ under the fault',
    '  hint: what to do about it',
    '```',
    '',
    'and `nnc check --json` prints the same data as JSON: `{code, severity,',
    'message, span: {file, offset, line, column, length}, hint?, related?}`.',
    'All diagnostics of a file are reported, not only the first. Any error makes',
    '`nnc check`, `compile`, `train` and `graph` exit with status 1.',
    '',
  ];
  let band = '';
  for (const code of Object.keys(CATALOGUE) as DiagnosticCode[]) {
    const entry = CATALOGUE[code];
    if (code[3] !== band) {
      band = code[3]!;
      out.push(`## ${BANDS[band] ?? `NNC${band}xxx`}`, '');
    }
    out.push(`### ${code}: ${entry.title}`, '', `Severity: ${entry.severity}.`, '');
    const ex = examples.get(code);
    if (ex) out.push(`Example (\`test/errors/cases/${ex.name}\`):`, '', '```', ex.text, '```', '');
  }
  return out.join('\n');
}
