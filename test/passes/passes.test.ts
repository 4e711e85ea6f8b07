import { describe, expect, it } from 'vitest';
import { differentiate } from '../../src/autodiff/differentiate.js';
import { DiagnosticSink } from '../../src/diagnostics/diagnostic.js';
import { printGraph, printTrainingGraph } from '../../src/ir/print.js';
import type { TrainingGraph } from '../../src/ir/types.js';
import { verifyForwardGraph } from '../../src/ir/verify.js';
import { eliminateCommonSubexpressions, eliminateDeadCode, foldConstants, foldMean, optimize, simplify } from '../../src/passes/index.js';
import { Fixture, fwd, mlp } from '../autodiff/fixtures.js';

const training = (f: Fixture, loss: number, outputs: Record<string, number> = {}): TrainingGraph => ({ ...f.finish(loss, outputs), grads: {} });
/** The node lines only, without comments (origins are tested elsewhere). */
const nodesText = (tg: TrainingGraph) =>
  printGraph(tg.graph)
    .trimEnd()
    .split('\n')
    .map((l) => l.replace(/ {3}#.*$/, ''))
    .join('\n');
const lines = (...ls: string[]) => ls.join('\n');

function checked(tg: TrainingGraph): TrainingGraph {
  expect(verifyForwardGraph(tg)).toEqual([]);
  return tg;
}

describe('dead-code elimination', () => {
  it('drops what no root needs, keeps inputs and params, renumbers every table', () => {
    const f = new Fixture();
    const x = f.input('x', ['batch', 3]);
    const unusedParam = f.param('spare', [3]);
    const w = f.param('w', [3]);
    f.g.add('exp', [x], {}, fwd('dead'));
    const y = f.g.add('mul', [x, w], {}, fwd('y'));
    f.g.add('const', [], { value: 2 }, fwd('dead'));
    const loss = f.g.add('sum', [y], {}, fwd('loss'));
    const before = training(f, loss, { y });
    const after = checked(eliminateDeadCode(before));
    expect(nodesText(after)).toBe(
      lines(
        '%0 = input() {name: "x"} : f32[batch, 3]',
        '%1 = param() {name: "spare"} : f32[3]',
        '%2 = param() {name: "w"} : f32[3]',
        '%3 = mul(%0, %2) : f32[batch, 3]',
        '%4 = sum(%3) : f32[]',
      ),
    );
    expect([after.loss, after.outputs['y'], after.params.map((p) => p.id)]).toEqual([4, 3, [1, 2]]);
    expect(unusedParam).toBe(1);
  });

  it('returns the same graph when nothing is dead', () => {
    const tg = differentiate(mlp(), new DiagnosticSink());
    expect(eliminateDeadCode(tg)).toBe(tg);
  });
});

describe('common-subexpression elimination', () => {
  it('merges equal nodes (commutative operands in either order) but never dropout masks', () => {
    const f = new Fixture();
    const x = f.input('x', ['batch', 3]);
    const w = f.param('w', [3, 3]);
    const a = f.g.add('matmul', [x, w], {}, fwd('a'));
    const b = f.g.add('matmul', [x, w], {}, fwd('b'));
    const c = f.g.add('matmul', [x, w], { transposeB: true }, fwd('c'));
    const s1 = f.g.add('add', [a, c], {}, fwd('s1'));
    const s2 = f.g.add('add', [c, b], {}, fwd('s2'));
    const d1 = f.g.add('sub', [a, c], {}, fwd('d1'));
    const d2 = f.g.add('sub', [c, b], {}, fwd('d2'));
    const m1 = f.g.add('dropout_mask', [s1], { rate: 0.5 }, fwd('m1'));
    const m2 = f.g.add('dropout_mask', [s2], { rate: 0.5 }, fwd('m2'));
    const all = [d1, d2, m1, m2].reduce((acc, v) => f.g.add('add', [acc, v], {}, fwd('all')));
    const loss = f.g.add('sum', [all], {}, fwd('loss'));
    const after = checked(eliminateDeadCode(eliminateCommonSubexpressions(training(f, loss))));
    expect(nodesText(after)).toBe(
      lines(
        '%0 = input() {name: "x"} : f32[batch, 3]',
        '%1 = param() {name: "w"} : f32[3, 3]',
        '%2 = matmul(%0, %1) : f32[batch, 3]',
        '%3 = matmul(%0, %1) {transposeB: true} : f32[batch, 3]',
        '%4 = add(%2, %3) : f32[batch, 3]',
        '%5 = sub(%2, %3) : f32[batch, 3]',
        '%6 = sub(%3, %2) : f32[batch, 3]',
        '%7 = dropout_mask(%4) {rate: 0.5} : f32[batch, 3]',
        '%8 = dropout_mask(%4) {rate: 0.5} : f32[batch, 3]',
        '%9 = add(%5, %6) : f32[batch, 3]',
        '%10 = add(%9, %7) : f32[batch, 3]',
        '%11 = add(%10, %8) : f32[batch, 3]',
        '%12 = sum(%11) : f32[]',
      ),
    );
  });

  it('keeps a backward node’s origin pointing at the merged forward node', () => {
    const f = new Fixture();
    const x = f.input('x', ['batch', 3]);
    const w = f.param('w', [3]);
    const a = f.g.add('mul', [x, w], {}, fwd('a', 3));
    const b = f.g.add('mul', [w, x], {}, fwd('b', 4));
    const loss = f.g.add('sum', [f.g.add('add', [a, b], {}, fwd('s', 5))], {}, fwd('loss', 6));
    const tg = differentiate(f.finish(loss), new DiagnosticSink());
    const after = checked(optimize(tg));
    // b merged into a: the backward nodes of both now say "backward of %2".
    const origins = new Set(after.graph.nodes.filter((n) => n.origin.phase === 'backward').map((n) => n.origin.of));
    expect(origins.has(2)).toBe(true);
    expect(after.graph.nodes.filter((n) => n.op === 'mul' && n.origin.phase === 'forward')).toHaveLength(1);
  });
});

describe('algebraic simplification', () => {
  it('removes identities and folds transposes into matmul flags', () => {
    const f = new Fixture();
    const x = f.input('x', ['batch', 3]);
    const w = f.param('w', [3, 3]);
    const one = f.g.add('const', [], { value: 1 }, fwd(null));
    const zero = f.g.add('const', [], { value: 0 }, fwd(null));
    const op = (kind: Parameters<typeof f.g.add>[0], inputs: number[], attrs = {}) => f.g.add(kind, inputs, attrs, fwd(null));
    let v = op('mul', [x, one]); // x*1
    v = op('add', [zero, v]); // 0+x
    v = op('neg', [op('neg', [v])]); // neg(neg x)
    v = op('div', [v, one]); // x/1
    v = op('sub', [v, zero]); // x-0
    v = op('matmul', [v, op('transpose', [w], { perm: [1, 0] })]); // x @ wᵀ
    v = op('matmul', [op('transpose', [v]), x], { transposeA: false }); // vᵀ @ x (default perm)
    v = op('reshape', [op('reshape', [v], { shape: [9] })], { shape: [3, 3] }); // reshape(reshape) back to its shape
    v = op('sum', [v], { axes: [] }); // over no axes
    v = op('transpose', [op('transpose', [v], { perm: [1, 0] })], { perm: [1, 0] });
    v = op('sub', [zero, v]); // 0 - v
    const loss = op('mean', [v]);
    const after = checked(eliminateDeadCode(simplify(training(f, loss))));
    expect(nodesText(after)).toBe(
      lines(
        '%0 = input() {name: "x"} : f32[batch, 3]',
        '%1 = param() {name: "w"} : f32[3, 3]',
        '%2 = matmul(%0, %1) {transposeA: false, transposeB: true} : f32[batch, 3]',
        '%3 = matmul(%2, %0) {transposeA: true, transposeB: false} : f32[3, 3]',
        '%4 = neg(%3) : f32[3, 3]',
        '%5 = mean(%4) : f32[]',
      ),
    );
  });

  it('turns a transposed single-use product into one matmul, and merges constant scales once', () => {
    const f = new Fixture();
    const x = f.input('x', ['batch', 3]);
    const w = f.param('w', [3, 4]);
    const v = f.param('v', [3, 4]);
    const op = (kind: Parameters<typeof f.g.add>[0], inputs: number[], attrs = {}) => f.g.add(kind, inputs, attrs, fwd(null));
    const c = (value: number) => op('const', [], { value });
    const shared = op('matmul', [x, w]); // read twice: its transpose stays a transpose
    const single = op('matmul', [x, v], { transposeA: false, transposeB: false });
    const t1 = op('transpose', [single]); // (x v)ᵀ = vᵀ xᵀ
    const t2 = op('transpose', [shared]);
    const scaled = op('mul', [c(0.5), op('mul', [op('mul', [t1, c(4)]), c(0.25)])]); // t1 * 0.5
    const inner = op('mul', [shared, c(3)]);
    const twice = op('mul', [inner, c(2)]); // inner is read again below: not merged
    const loss = op('add', [op('sum', [op('add', [scaled, t2])]), op('sum', [op('add', [twice, inner])])]);
    const after = checked(optimize(training(f, loss)));
    expect(nodesText(after)).toBe(
      lines(
        '%0 = input() {name: "x"} : f32[batch, 3]',
        '%1 = param() {name: "w"} : f32[3, 4]',
        '%2 = param() {name: "v"} : f32[3, 4]',
        '%3 = matmul(%0, %1) : f32[batch, 4]',
        '%4 = matmul(%2, %0) {transposeA: true, transposeB: true} : f32[4, batch]',
        '%5 = transpose(%3) : f32[4, batch]',
        '%6 = const() {value: 0.5} : f32[]',
        '%7 = mul(%6, %4) : f32[4, batch]',
        '%8 = const() {value: 3} : f32[]',
        '%9 = mul(%3, %8) : f32[batch, 4]',
        '%10 = const() {value: 2} : f32[]',
        '%11 = mul(%9, %10) : f32[batch, 4]',
        '%12 = add(%7, %5) : f32[4, batch]',
        '%13 = sum(%12) : f32[]',
        '%14 = add(%11, %9) : f32[batch, 4]',
        '%15 = sum(%14) : f32[]',
        '%16 = add(%13, %15) : f32[]',
      ),
    );
  });

  it('drops an explicit broadcast into an elementwise op that broadcasts by itself', () => {
    const f = new Fixture();
    const x = f.input('x', ['batch', 3]);
    const s = f.param('s', []);
    const r = f.param('r', [1, 3]);
    const op = (kind: Parameters<typeof f.g.add>[0], inputs: number[], attrs = {}) => f.g.add(kind, inputs, attrs, fwd(null));
    const a = op('mul', [op('broadcast_like', [s, x]), x]);
    const b = op('add', [a, op('broadcast_like', [r, x])]);
    // s broadcast to [2, 3] plus a [3] vector: without the broadcast the sum would be [3]. Kept.
    const kept = op('add', [op('broadcast', [s], { shape: [2, 3] }), op('reshape', [r], { shape: [3] })]);
    const loss = op('add', [op('sum', [b]), op('sum', [kept])]);
    const after = checked(optimize(training(f, loss)));
    expect(nodesText(after)).toBe(
      lines(
        '%0 = input() {name: "x"} : f32[batch, 3]',
        '%1 = param() {name: "s"} : f32[]',
        '%2 = param() {name: "r"} : f32[1, 3]',
        '%3 = mul(%1, %0) : f32[batch, 3]',
        '%4 = add(%3, %2) : f32[batch, 3]',
        '%5 = broadcast(%1) {shape: [2, 3]} : f32[2, 3]',
        '%6 = reshape(%2) {shape: [3]} : f32[3]',
        '%7 = add(%5, %6) : f32[2, 3]',
        '%8 = sum(%4) : f32[]',
        '%9 = sum(%7) : f32[]',
        '%10 = add(%8, %9) : f32[]',
      ),
    );
  });

  it('leaves an identity alone when it would change the type', () => {
    // s (f32[]) + 0 (f32[]) is fine; but sum over kept size-1 axes of [batch, 3] is not an identity.
    const f = new Fixture();
    const x = f.input('x', ['batch', 3]);
    const kept = f.g.add('sum', [x], { axes: [1], keepDims: true }, fwd(null));
    const loss = f.g.add('sum', [kept], {}, fwd(null));
    const tg = training(f, loss);
    expect(nodesText(simplify(tg))).toBe(nodesText(tg));
  });
});

describe('constant folding', () => {
  it('folds scalar-constant subexpressions, not non-finite ones', () => {
    const f = new Fixture();
    const x = f.input('x', ['batch', 3]);
    const c = (value: number) => f.g.add('const', [], { value }, fwd(null));
    const op = (kind: Parameters<typeof f.g.add>[0], inputs: number[], attrs = {}) => f.g.add(kind, inputs, attrs, fwd(null));
    const k = op('mul', [c(1e-4), op('add', [c(1), c(1)])]); // 2e-4
    const e = op('exp', [c(0)]); // 1
    const bad = op('log', [c(0)]); // -Inf: left for run time
    const p = op('pow', [c(3)], { exponent: 2 }); // 9
    const scaled = op('mul', [op('mul', [op('mul', [x, k]), e]), op('add', [p, bad])]);
    const loss = op('sum', [scaled]);
    const folded = checked(eliminateDeadCode(foldConstants(training(f, loss))));
    expect(nodesText(folded)).toBe(
      lines(
        '%0 = input() {name: "x"} : f32[batch, 3]',
        '%1 = const() {value: 0.0002} : f32[]',
        '%2 = const() {value: 1} : f32[]',
        '%3 = const() {value: 0} : f32[]',
        '%4 = log(%3) : f32[]',
        '%5 = const() {value: 9} : f32[]',
        '%6 = mul(%0, %1) : f32[batch, 3]',
        '%7 = mul(%6, %2) : f32[batch, 3]',
        '%8 = add(%5, %4) : f32[]',
        '%9 = mul(%7, %8) : f32[batch, 3]',
        '%10 = sum(%9) : f32[]',
      ),
    );
    // The full pipeline then removes the `* 1` that folding exposed.
    expect(nodesText(checked(optimize(training(f, loss))))).not.toContain('{value: 1}');
  });
});

describe('optimize', () => {
  it('reaches a fixed point: optimising twice changes nothing', () => {
    const tg = differentiate(mlp({ dropout: 0.2 }), new DiagnosticSink());
    const once = checked(optimize(tg));
    expect(printTrainingGraph(optimize(once))).toBe(printTrainingGraph(once));
    expect(once.graph.nodes.length).toBeLessThan(tg.graph.nodes.length);
  });

  it('at the fixed point every pass returns its input graph itself (how optimize sees an unchanged round)', () => {
    const once = optimize(differentiate(mlp({ dropout: 0.2 }), new DiagnosticSink()));
    for (const pass of [simplify, foldConstants, foldMean, eliminateCommonSubexpressions, eliminateDeadCode]) expect(pass(once)).toBe(once);
  });

  it('shares the nodes a pass keeps unchanged, and copies the ones it renumbers', () => {
    const f = new Fixture();
    const x = f.input('x', ['batch', 3]);
    const w = f.param('w', [3]);
    const dead = f.g.add('exp', [x], {}, fwd('dead'));
    const y = f.g.add('mul', [x, w], {}, fwd('y'));
    const loss = f.g.add('sum', [y], {}, fwd('loss'));
    const before = training(f, loss);
    const after = eliminateDeadCode(before);
    const [bx, bw, , by] = before.graph.nodes;
    expect(dead).toBe(2);
    expect(after.graph.nodes[0]).toBe(bx);
    expect(after.graph.nodes[1]).toBe(bw);
    expect(after.graph.nodes[2]).not.toBe(by);
    expect(after.graph.nodes.map((n) => [n.id, n.op, n.inputs])).toEqual([[0, 'input', []], [1, 'param', []], [2, 'mul', [0, 1]], [3, 'sum', [2]]]);
  });

  it('can run a chosen subset of passes', () => {
    const tg = differentiate(mlp(), new DiagnosticSink());
    expect(printTrainingGraph(optimize(tg, { passes: [] }))).toBe(printTrainingGraph(tg));
  });
});
