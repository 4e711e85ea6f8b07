import { describe, expect, it } from 'vitest';
import { fitToType } from '../../src/autodiff/unbroadcast.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { formatNode } from '../../src/ir/print.js';
import type { Dim, Origin } from '../../src/ir/types.js';
import type { VjpBuilder } from '../../src/ops/op.js';

const ORIGIN: Origin = { phase: 'forward', span: null, of: null, label: null };

/** Fits a contribution of shape `from` to a value of shape `to`; returns the nodes it added. */
function fit(from: Dim[], to: Dim[]): string[] {
  const g = new GraphBuilder();
  const c = g.add('input', [], { name: 'c', dtype: 'f32', shape: from }, ORIGIN);
  const like = g.add('input', [], { name: 'x', dtype: 'f32', shape: to }, ORIGIN);
  const b: VjpBuilder = {
    add: (op, inputs, attrs) => g.add(op, inputs, attrs ?? {}, ORIGIN),
    constant: (value) => g.add('const', [], { value }, ORIGIN),
    type: (id) => g.type(id),
  };
  const id = fitToType(b, c, { dtype: 'f32', shape: to }, like);
  expect(g.type(id).shape).toEqual(to);
  return g.nodes.slice(2).map(formatNode);
}

describe('fitting an adjoint contribution to its value', () => {
  it('leaves a contribution of the right shape alone', () => {
    expect(fit(['batch', 3], ['batch', 3])).toEqual([]);
  });

  it('sums over leading broadcast axes, dropping them', () => {
    expect(fit(['batch', 3], [3])).toEqual(['%2 = sum(%0) {axes: [0], keepDims: false} : f32[3]']);
    expect(fit(['batch', 2, 3], [])).toEqual(['%2 = sum(%0) {axes: [0, 1, 2], keepDims: false} : f32[]']);
  });

  it('sums over stretched size-1 axes, keeping them', () => {
    expect(fit(['batch', 3], [1, 3])).toEqual(['%2 = sum(%0) {axes: [0], keepDims: true} : f32[1, 3]']);
    expect(fit(['batch', 3], ['batch', 1])).toEqual(['%2 = sum(%0) {axes: [1], keepDims: true} : f32[batch, 1]']);
  });

  it('sums and reshapes when both kinds of axes were stretched', () => {
    expect(fit([2, 'batch', 3], ['batch', 1])).toEqual([
      '%2 = sum(%0) {axes: [0, 2], keepDims: false} : f32[batch]',
      '%3 = reshape(%2) {shape: ["batch", 1]} : f32[batch, 1]',
    ]);
  });

  it('stretches a smaller contribution, along a symbolic axis with the value itself', () => {
    expect(fit([], [2, 3])).toEqual(['%2 = broadcast(%0) {shape: [2, 3]} : f32[2, 3]']);
    expect(fit([3], ['batch', 3])).toEqual(['%2 = broadcast_like(%0, %1) : f32[batch, 3]']);
  });

  it('refuses shapes that are not related by broadcasting (a compiler bug)', () => {
    expect(() => fit([2, 3], [3, 2])).toThrow(/internal: an adjoint of type f32\[2, 3\] does not fit a value of type f32\[3, 2\]/);
  });
});
