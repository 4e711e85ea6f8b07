// Algebraic simplification: identities that remove a node (x*1, x+0, x-0,
// x/1, neg(neg x), reshape to the same shape, sum over no axes, …) or fuse two
// into one (transposes into matmul flags, reshape of reshape, transpose of
// transpose). A rule fires only when the result has exactly the node's type,
// so an identity that broadcasts (f32[] * f32[3] with 1) is left alone. The
// nodes a rule bypasses become dead; DCE removes them.
import { sameShape, sameType } from '../ir/shapes.js';
import type { Node, TrainingGraph, ValueId } from '../ir/types.js';
import { boolAttr } from '../ops/common.js';
import { type Decision, type GraphWriter, rebuild } from './rebuild.js';

/** The value of a scalar constant node, or null. */
export function constValue(out: GraphWriter, id: ValueId): number | null {
  const n = out.node(id);
  return n.op === 'const' && typeof n.attrs['value'] === 'number' ? n.attrs['value'] : null;
}

function perm(n: Node): number[] {
  const p = n.attrs['perm'];
  const rank = n.type.shape.length;
  return Array.isArray(p) ? (p as number[]) : [...Array(rank).keys()].reverse();
}

const isIdentityPerm = (p: readonly number[]) => p.every((a, i) => a === i);

/** A rank-2 transpose that swaps the two axes: what a matmul flag can absorb. */
function isMatrixTranspose(n: Node): boolean {
  return n.op === 'transpose' && n.type.shape.length === 2 && perm(n)[0] === 1;
}

/** How often each value of the graph being rebuilt is read (by nodes and by the tables). */
interface UseCounts {
  /** Uses of a node of the new graph, or Infinity for nodes a rule created. */
  of(newId: ValueId): number;
}

const ELEMENTWISE_BINARY = new Set(['add', 'sub', 'mul', 'div']);

/**
 * An explicit broadcast feeding an elementwise binary op is redundant when the
 * other operand already has the result's shape: the op broadcasts by itself.
 */
function dropExplicitBroadcast(n: Node, out: GraphWriter): Decision {
  if (!ELEMENTWISE_BINARY.has(n.op)) return undefined;
  for (const k of [0, 1]) {
    const b = out.node(n.inputs[k]!);
    const other = out.node(n.inputs[1 - k]!);
    if ((b.op !== 'broadcast' && b.op !== 'broadcast_like') || !sameType(other.type, n.type)) continue;
    const inputs = n.inputs.slice();
    inputs[k] = b.inputs[0]!;
    return out.add(n.op, inputs, n.attrs, n.origin);
  }
  return undefined;
}

/**
 * The node being simplified with its rebuilt graph: what the rules ask about
 * its inputs. (Methods, not per-node closures: this runs for every node of
 * every round.)
 */
class Site {
  constructor(
    readonly n: Node,
    readonly out: GraphWriter,
    readonly uses: UseCounts,
  ) {}

  input(k: number): Node {
    return this.out.node(this.n.inputs[k]!);
  }

  /** Input k, when n is its only reader (so rewriting it leaves no duplicate work). */
  solely(k: number): Node | null {
    return this.uses.of(this.n.inputs[k]!) === 1 ? this.input(k) : null;
  }

  /** Replace n by its k-th input when that has n's exact type. */
  passThrough(k: number): Decision {
    return sameType(this.input(k).type, this.n.type) ? this.n.inputs[k] : undefined;
  }

  isConst(k: number, v: number): boolean {
    return constValue(this.out, this.n.inputs[k]!) === v;
  }
}

function simplifyNode(n: Node, out: GraphWriter, uses: UseCounts): Decision {
  const direct = dropExplicitBroadcast(n, out);
  if (direct !== undefined) return direct;
  const site = new Site(n, out, uses);

  switch (n.op) {
    case 'add':
      if (site.isConst(1, 0)) return site.passThrough(0);
      if (site.isConst(0, 0)) return site.passThrough(1);
      return undefined;
    case 'sub':
      if (site.isConst(1, 0)) return site.passThrough(0);
      if (site.isConst(0, 0) && sameType(site.input(1).type, n.type)) return out.add('neg', [n.inputs[1]!], {}, n.origin);
      return undefined;
    case 'mul': {
      if (site.isConst(1, 1)) return site.passThrough(0);
      if (site.isConst(0, 1)) return site.passThrough(1);
      // (x * c1) * c2 → x * (c1 c2): scale factors (1/N, a loss weight) applied once.
      for (const k of [0, 1]) {
        const c2 = constValue(out, n.inputs[1 - k]!);
        const inner = site.solely(k);
        if (c2 === null || !inner || inner.op !== 'mul') continue;
        for (const j of [0, 1]) {
          const c1 = constValue(out, inner.inputs[j]!);
          const x = inner.inputs[1 - j]!;
          if (c1 === null || !sameType(out.node(x).type, n.type)) continue;
          if (c1 * c2 === 1) return x;
          return out.add('mul', [x, out.add('const', [], { value: c1 * c2 }, n.origin)], {}, n.origin);
        }
      }
      return undefined;
    }
    case 'div':
      return site.isConst(1, 1) ? site.passThrough(0) : undefined;
    case 'neg':
      return site.input(0).op === 'neg' ? site.input(0).inputs[0] : undefined;
    case 'pow':
      return n.attrs['exponent'] === 1 ? site.passThrough(0) : undefined;
    case 'reshape': {
      if (sameShape(site.input(0).type.shape, n.type.shape)) return n.inputs[0];
      if (site.input(0).op === 'reshape') {
        const x = site.input(0).inputs[0]!;
        return sameShape(out.node(x).type.shape, n.type.shape) ? x : out.add('reshape', [x], n.attrs, n.origin);
      }
      return undefined;
    }
    case 'cast':
      return site.passThrough(0);
    case 'broadcast':
      return sameShape(site.input(0).type.shape, n.type.shape) ? n.inputs[0] : undefined;
    case 'transpose': {
      const p = perm(n);
      if (isIdentityPerm(p)) return n.inputs[0];
      // (op(A) op(B))ᵀ = op(B)ᵀ op(A)ᵀ: one matmul with swapped operands and flags.
      const product = site.solely(0);
      if (product && product.op === 'matmul' && isMatrixTranspose(n)) {
        const ta = boolAttr(product.attrs, 'transposeA');
        const tb = boolAttr(product.attrs, 'transposeB');
        const [a, b] = product.inputs as [ValueId, ValueId];
        return out.add('matmul', [b, a], { ...product.attrs, transposeA: !tb, transposeB: !ta }, n.origin);
      }
      if (site.input(0).op !== 'transpose') return undefined;
      const inner = perm(site.input(0));
      const composed = p.map((a) => inner[a]!);
      const x = site.input(0).inputs[0]!;
      return isIdentityPerm(composed) ? x : out.add('transpose', [x], { perm: composed }, n.origin);
    }
    case 'sum':
    case 'mean': {
      // Reducing over no axes, or only over size-1 axes that are kept, changes nothing.
      const axes = n.attrs['axes'];
      const noAxes = Array.isArray(axes) && axes.length === 0;
      if (noAxes || (boolAttr(n.attrs, 'keepDims') && sameShape(site.input(0).type.shape, n.type.shape))) return site.passThrough(0);
      if (site.input(0).type.shape.length === 0) return site.passThrough(0);
      return undefined;
    }
    case 'matmul': {
      const [a, b] = [site.input(0), site.input(1)];
      if (!isMatrixTranspose(a) && !isMatrixTranspose(b)) return undefined;
      let ta = boolAttr(n.attrs, 'transposeA');
      let tb = boolAttr(n.attrs, 'transposeB');
      let [x, w] = n.inputs as [ValueId, ValueId];
      if (isMatrixTranspose(a)) [x, ta] = [a.inputs[0]!, !ta];
      if (isMatrixTranspose(b)) [w, tb] = [b.inputs[0]!, !tb];
      return out.add('matmul', [x, w], { ...n.attrs, transposeA: ta, transposeB: tb }, n.origin);
    }
    default:
      return undefined;
  }
}

export function simplify(g: TrainingGraph): TrainingGraph {
  const oldUses = g.graph.nodes.map(() => 0);
  for (const n of g.graph.nodes) for (const i of n.inputs) oldUses[i]!++;
  for (const id of [g.loss, ...Object.values(g.grads), ...Object.values(g.outputs), ...Object.values(g.updates ?? {})]) oldUses[id]!++;
  // Reads of each new node so far, kept exact as rules replace and create nodes
  // (nodes a rule creates count as used many times: no rule rewrites them again).
  const count = new Map<ValueId, number>();
  const bump = (id: ValueId, by: number) => {
    const c = count.get(id);
    if (c !== undefined) count.set(id, c + by);
  };
  const uses: UseCounts = { of: (id) => count.get(id) ?? Infinity };
  return rebuild(g, (n, out) => {
    const before = out.nodes.length;
    const d = simplifyNode(n, out, uses);
    if (d === undefined || d === 'drop') {
      const id = out.copy(n);
      count.set(id, oldUses[n.id]!);
      return id;
    }
    for (const i of n.inputs) bump(i, -1);
    for (const created of out.nodes.slice(before)) for (const i of created.inputs) bump(i, 1);
    bump(d, oldUses[n.id]!);
    return d;
  });
}