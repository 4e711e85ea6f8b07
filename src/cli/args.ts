// A small, strict argument parser: unknown flags and missing values are usage
// errors (exit 2), reported in one line, never a stack trace.

export type FlagKind = 'boolean' | 'string';

export interface FlagSpec {
  kind: FlagKind;
  short?: string;
  description: string;
  /** Shown in help, e.g. `DIR`. */
  value?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | boolean>;
  /** Everything after `--`, or unknown flags when `passThrough` is set. */
  rest: string[];
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], specs: FlagSpecs, opts: { passThrough?: boolean } = {}): ParsedArgs {
  const out: ParsedArgs = { positional: [], flags: {}, rest: [] };
  const byShort = new Map(Object.entries(specs).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.rest.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = eq >= 0 ? arg.slice(0, eq) : arg;
    const name = rawName.startsWith('--') ? rawName.slice(2) : byShort.get(rawName.slice(1));
    const spec = name !== undefined ? specs[name] : undefined;
    if (name === undefined || spec === undefined) {
      if (opts.passThrough) {
        out.rest.push(arg);
        // A pass-through flag's value travels with it.
        const next = argv[i + 1];
        if (eq < 0 && next !== undefined && !next.startsWith('-')) out.rest.push(argv[++i]!);
        continue;
      }
      throw new UsageError(`unknown option '${rawName}'${suggestFlag(rawName, specs)}`);
    }
    if (spec.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
      out.flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`option '--${name}' needs a value${spec.value ? ` (${spec.value})` : ''}`);
    out.flags[name] = value;
  }
  return out;
}

function suggestFlag(raw: string, specs: FlagSpecs): string {
  const bare = raw.replace(/^-+/, '');
  const close = Object.keys(specs).find((k) => k.startsWith(bare) || bare.startsWith(k));
  return close ? `; did you mean '--${close}'?` : '';
}

export function formatFlags(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `${s.short ? `-${s.short}, ` : '    '}--${name}${s.value ? ` ${s.value}` : ''}`;
    return [left, s.description] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`).join('\n');
}
