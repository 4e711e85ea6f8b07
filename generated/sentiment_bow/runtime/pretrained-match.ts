// Strict matching of a pretrained source (an nnc checkpoint or a tfjs-layers
// model) against the parameters a model wants to load. Pure and free of
// imports: the compiler uses it to report located errors at `init from`
// (when the source exists at compile time) and the trainer uses it again at
// load time (the source may have changed since), so both say the same thing.
//
// Rules (docs/language.md, "Fine-tuning"):
// - every model parameter meant to load (not made by `replace`) must find its
//   source name (after `map`) in the source, with the same shape;
// - every parameter of the source must be loaded by some model parameter,
//   except those under a replaced binding (`replace logits = …` discards the
//   source's `logits.*`): a leftover is an error, not a silent skip;
// - `allow unmatched [patterns]` opts out explicitly: a model parameter or a
//   source parameter matched by one of the patterns may stay unmatched.
//   Shapes are never opted out of: a layer of another shape is `replace`d.
// Optimizer slots saved in nnc checkpoints (`m:h.weight`) are not parameters.

/** A named tensor's name and shape, as a source's header lists it. */
export interface PretrainedEntry {
  name: string;
  shape: number[];
}

/** What the model wants from a pretrained source. */
export interface PretrainedPlan {
  /** Model parameter name → the source name it loads from (replaced parameters are absent). */
  names: Record<string, string>;
  /** Model parameter name → shape, for every parameter in `names`. */
  shapes: Record<string, readonly number[]>;
  /** Replaced bindings (`logits`): the source's `logits.*` is discarded, not unmatched. */
  replaced: readonly string[];
  /** `allow unmatched [...]` patterns. */
  allow: readonly string[];
}

export interface PretrainedMatch {
  /** Source parameters that no model parameter loads. */
  unmatched: PretrainedEntry[];
  /** Model parameters whose source name the source lacks. */
  missing: { param: string; source: string; shape: readonly number[] }[];
  mismatched: { param: string; source: string; model: readonly number[]; sourceShape: readonly number[] }[];
  /** Source name → model parameters that load it (the ones to read). */
  loads: Record<string, string[]>;
}

/**
 * The glob of freeze/map/allow patterns: `*` any run (dots included), `?` one
 * character; `h` also matches every `h.…`; `all` matches everything.
 */
export function globMatches(pattern: string, name: string): boolean {
  if (pattern === 'all') return true;
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}(\\..*)?$`).test(name);
}

/** The source name a parameter loads from: the first `to <- from` map entry that matches, else its own name. */
export function sourceNameFor(name: string, map: readonly { to: string; from: string }[]): string {
  for (const m of map) {
    if (m.to === name) return m.from;
    if (!m.to.includes('*')) {
      // `encoder <- base` maps a layer: `encoder.weight` loads `base.weight`.
      if (name.startsWith(`${m.to}.`)) return `${m.from}${name.slice(m.to.length)}`;
      continue;
    }
    const re = new RegExp(`^${m.to.split('*').map(escapeRegExp).join('(.*)')}$`);
    const hit = re.exec(name);
    if (hit) {
      let i = 1;
      return m.from.replace(/\*/g, () => hit[i++] ?? '');
    }
  }
  return name;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a checkpoint tensor is optimizer state (`m:h.weight`), not a parameter. */
export function isOptimizerSlot(name: string): boolean {
  return name.includes(':');
}

export function matchPretrained(plan: PretrainedPlan, entries: readonly PretrainedEntry[]): PretrainedMatch {
  const allowed = (n: string) => plan.allow.some((p) => globMatches(p, n));
  const have = new Map<string, PretrainedEntry>();
  for (const e of entries) if (!isOptimizerSlot(e.name)) have.set(e.name, e);
  const out: PretrainedMatch = { unmatched: [], missing: [], mismatched: [], loads: {} };
  for (const [param, source] of Object.entries(plan.names)) {
    const shape = plan.shapes[param] ?? [];
    const e = have.get(source);
    if (e === undefined) {
      if (!allowed(param) && !allowed(source)) out.missing.push({ param, source, shape });
      continue;
    }
    if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) {
      out.mismatched.push({ param, source, model: shape, sourceShape: e.shape });
      continue;
    }
    (out.loads[source] ??= []).push(param);
  }
  const wanted = new Set(Object.values(plan.names));
  for (const e of have.values()) {
    if (wanted.has(e.name)) continue;
    if (plan.replaced.some((b) => e.name === b || e.name.startsWith(`${b}.`))) continue;
    if (!allowed(e.name)) out.unmatched.push(e);
  }
  return out;
}

export const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * The problems of a match as message lines, one per kind (empty: it matches).
 * Each names both sides: what the source has and what the model wants.
 */
export function describeMatch(m: PretrainedMatch, plan: PretrainedPlan, sourceEntries: readonly PretrainedEntry[]): { kind: 'unmatched' | 'missing' | 'shape'; message: string }[] {
  const out: { kind: 'unmatched' | 'missing' | 'shape'; message: string }[] = [];
  const list = (items: string[]) => items.join(', ');
  const params = sourceEntries.filter((e) => !isOptimizerSlot(e.name));
  if (m.unmatched.length > 0) {
    const left = m.missing.map((x) => x.param);
    out.push({
      kind: 'unmatched',
      message:
        `${m.unmatched.length} pretrained parameter(s) match nothing in the model: ${list(m.unmatched.map((e) => `${e.name} ${shapeText(e.shape)}`))}; ` +
        `the model's parameters to load are ${list(Object.entries(plan.names).map(([p, s]) => (p === s ? p : `${p} <- ${s}`))) || 'none'}` +
        (left.length > 0 ? ` (not found: ${list(left)})` : ''),
    });
  }
  if (m.missing.length > 0) {
    out.push({
      kind: 'missing',
      message:
        `${m.missing.length} model parameter(s) are not in the pretrained source: ${list(m.missing.map((x) => (x.param === x.source ? `${x.param} ${shapeText(x.shape)}` : `${x.param} <- ${x.source} ${shapeText(x.shape)}`)))}; ` +
        `the source has ${list(params.map((e) => `${e.name} ${shapeText(e.shape)}`)) || 'no parameters'}`,
    });
  }
  if (m.mismatched.length > 0) {
    out.push({
      kind: 'shape',
      message: `${m.mismatched.length} parameter shape(s) differ: ${m.mismatched
        .map((x) => `${x.param} is ${shapeText(x.model)} in the model but ${x.param === x.source ? '' : `${x.source} is `}${shapeText(x.sourceShape)} in the source`)
        .join('; ')}`,
    });
  }
  return out;
}

/** The hint for each kind of problem. */
export const MATCH_HINTS: Record<'unmatched' | 'missing' | 'shape', string> = {
  unmatched: 'load them under other names with `map { new.* <- old.* }`, or drop them explicitly with `allow unmatched [name, …]`',
  missing: 'map them to the source\'s names with `map { new.* <- old.* }`, start them fresh with `replace`, or allow it with `allow unmatched [name, …]`',
  shape: '`replace` the layer to start it fresh with the new shape',
};
