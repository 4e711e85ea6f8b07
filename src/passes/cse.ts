// Common-subexpression elimination: a node with the same op, inputs and
// attributes as an earlier one is replaced by it. Leaves (inputs, params) are
// distinct values by definition, and stochastic nodes (dropout masks) draw
// fresh randomness each, so neither is ever merged.
import type { AttrValue, Attrs, Node, TrainingGraph } from '../ir/types.js';
import type { OpKind } from '../ops/kinds.js';
import { formatAttrValue } from '../ir/print.js';
import { rebuild } from './rebuild.js';

const NEVER_MERGED: ReadonlySet<OpKind> = new Set<OpKind>(['input', 'param', 'dropout_mask']);
/** Operand order does not matter for these (broadcasting is symmetric too). */
const COMMUTATIVE: ReadonlySet<OpKind> = new Set<OpKind>(['add', 'mul']);

/** Flags whose absence means false: `{transposeB: false}` and `{}` are the same matmul. */
const FALSE_BY_DEFAULT = ['transposeA', 'transposeB', 'keepDims'];

function key(n: Node): string {
  const inputs = COMMUTATIVE.has(n.op) ? n.inputs.slice().sort((a, b) => a - b) : n.inputs;
  return `${n.op}(${inputs.join(',')})${attrsKey(n.attrs)}`;
}

/** The attributes, keys sorted, without false flags that mean the same as absent ones. */
function attrsKey(attrs: Attrs): string {
  let text = '';
  for (const k of Object.keys(attrs).sort()) {
    const v = attrs[k] as AttrValue;
    if (v === false && FALSE_BY_DEFAULT.includes(k)) continue;
    text += ` ${k}: ${formatAttrValue(v)}`;
  }
  return text;
}

export function eliminateCommonSubexpressions(g: TrainingGraph): TrainingGraph {
  const seen = new Map<string, number>();
  return rebuild(g, (n, out) => {
    if (NEVER_MERGED.has(n.op)) return undefined;
    const k = key(n);
    const earlier = seen.get(k);
    if (earlier !== undefined) return earlier;
    const id = out.copy(n);
    seen.set(k, id);
    return id;
  });
}
