// `input review: text(vocab: N, length: L)` → an input node i32[batch, L] of
// token ids (0 = padding, 1 = out of vocabulary; see src/runtime/text.ts). The
// node's attrs carry `vocab` and `length`: `embedding` reads the table size
// from them, the pooling layers find the padding mask through them, and the
// emitter knows to tokenise. The mask is not a second input: it is computed in
// the graph as sign(ids) (ids are never negative), so it cannot disagree with them.
import type { InputDecl, Span } from '../syntax/ast.js';
import type { Node, ValueId } from '../ir/types.js';
import type { Expander } from './expander.js';
import { formatNumber } from './format.js';
import type { TensorValue } from './values.js';

export function declareText(ex: Expander, decl: InputDecl): TensorValue | null {
  const t = decl.type;
  const name = decl.name.name;
  const example = `${decl.kind} ${name}: text(vocab: 10000, length: 40)`;
  if (decl.kind === 'target') {
    ex.sink.report('NNC3010', 'a target cannot be text', t.span, { hint: 'targets are class(N), binary or f32[…]' });
    return null;
  }
  if (t.dims !== null) {
    ex.sink.report('NNC3010', '`text` takes named arguments, not dimensions in brackets', t.span, { hint: `write \`${example}\`` });
    return null;
  }
  const given = new Map<string, { value: number | null; span: Span }>();
  let ok = true;
  for (const a of t.args ?? []) {
    const key = a.name?.name;
    if (key !== 'vocab' && key !== 'length') {
      ex.sink.report('NNC3010', key === undefined ? '`text` takes named arguments `vocab:` and `length:`' : `\`text\` has no argument \`${key}\``, a.span, { hint: `write \`${example}\`` });
      ok = false;
      continue;
    }
    given.set(key, { value: a.value.kind === 'number' ? a.value.value : null, span: a.value.span });
  }
  const read = (key: 'vocab' | 'length', min: number, what: string): number | null => {
    const g = given.get(key);
    if (g === undefined) {
      ex.sink.report('NNC3009', `\`text\` needs \`${key}:\` (${what})`, t.span, { hint: `write \`${example}\`` });
      return null;
    }
    if (g.value === null || !Number.isInteger(g.value) || g.value < min) {
      ex.sink.report('NNC3017', `\`${key}\` must be an integer ≥ ${min}, got ${g.value === null ? 'an expression' : formatNumber(g.value)}`, g.span, { hint: what });
      return null;
    }
    return g.value;
  };
  const vocab = read('vocab', 3, 'the vocabulary size, padding and out-of-vocabulary ids included');
  const length = read('length', 1, 'tokens per example: longer texts are truncated, shorter ones padded');
  if (!ok || vocab === null || length === null) return null;
  const id = ex.b.add('input', [], { name, dtype: 'i32', shape: ['batch', length], vocab, length }, ex.origin(decl.span, name));
  const type = ex.type(id);
  ex.inputs.push({ name, id, type, role: 'input' });
  return { kind: 'tensor', id, name, span: decl.span };
}

/** The `text(…)` input node that `id` is, or null. */
export function textInputNode(ex: Expander, id: ValueId): Node | null {
  const n = ex.b.nodes[id]!;
  return n.op === 'input' && typeof n.attrs['vocab'] === 'number' ? n : null;
}

/**
 * The nearest text input `id` is computed from (breadth-first over the
 * inputs of its nodes), or null: a sequence's padding comes from its tokens.
 */
export function textSourceOf(ex: Expander, id: ValueId): Node | null {
  const seen = new Set<ValueId>([id]);
  const queue = [id];
  while (queue.length > 0) {
    const cur = queue.shift()!;
    const text = textInputNode(ex, cur);
    if (text) return text;
    for (const i of ex.b.nodes[cur]!.inputs) {
      if (!seen.has(i)) {
        seen.add(i);
        queue.push(i);
      }
    }
  }
  return null;
}
