// Fine-tuning: `init from "<checkpoint>"` loads parameters by name from a
// previous run's `best` checkpoint before training starts. Parameters made by
// `replace` keep their fresh initialisation; names and shapes are checked.
import type { ProgramBuilder } from '../program.js';
import type { InitFromConfig } from '../../check/model.js';
import type { EmitContext } from '../context.js';
import { constant, func, section } from '../build.js';
import { literal } from '../literal.js';

export function emitInitFrom(out: ProgramBuilder, ctx: EmitContext): void {
  const init = ctx.model.initFrom;
  if (init === null) return;
  section(out, 'Initialisation from a checkpoint', [`${ctx.quote(init.span) ?? 'init from'}`]);
  const names: Record<string, string> = {};
  for (const p of ctx.tg.params) {
    if (!init.fresh.includes(p.name)) names[p.name] = sourceName(p.name, init);
  }
  const value = { path: init.path, names, allowMissing: init.allowUnmatched.map((n) => sourceName(n, init)) };
  constant(
    out,
    'INIT_FROM',
    literal(value),
    'Where the starting parameters come from: model name → name in the checkpoint (parameters not listed start fresh).',
    '{ path: string; names: Record<string, string>; allowMissing: string[] }',
  );
  func(out, {
    name: 'loadInitialParams',
    isAsync: true,
    doc: "Replaces the listed parameters with the checkpoint's (its `best` slot); a missing or mis-shaped name is an error.",
    params: [['params', 'Params']],
    returns: 'Promise<void>',
    body: [
      'const expect: Record<string, number[]> = {};',
      'for (const field of Object.keys(PARAM_NAMES) as (keyof Params)[]) {',
      '  const source = INIT_FROM.names[PARAM_NAMES[field]];',
      '  if (source !== undefined) expect[source] = PARAM_SHAPES[field];',
      '}',
      "const ckpt = await rt.loadCheckpoint(INIT_FROM.path, { slot: 'best', expect, allowMissing: INIT_FROM.allowMissing });",
      'const loaded = new Set<string>();',
      'for (const field of Object.keys(PARAM_NAMES) as (keyof Params)[]) {',
      '  const source = INIT_FROM.names[PARAM_NAMES[field]];',
      '  const t = source === undefined ? undefined : ckpt.tensors[source];',
      '  if (source === undefined || t === undefined) continue;',
      '  params[field].dispose();',
      '  params[field] = t;',
      '  loaded.add(source);',
      '}',
      '// The checkpoint\'s other tensors (old head, optimizer state) are not needed.',
      'for (const [name, t] of Object.entries(ckpt.tensors)) if (!loaded.has(name)) t.dispose();',
    ],
  });
}

/** The checkpoint name a parameter is loaded from: the first `to <- from` map entry that matches, else its own name. */
function sourceName(name: string, init: InitFromConfig): string {
  for (const m of init.map) {
    if (m.to === name) return m.from;
    if (m.to.includes('*')) {
      const re = new RegExp(`^${m.to.split('*').map(escapeRegExp).join('(.*)')}$`);
      const hit = re.exec(name);
      if (hit) {
        let i = 1;
        return m.from.replace(/\*/g, () => hit[i++] ?? '');
      }
    }
  }
  return name;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
