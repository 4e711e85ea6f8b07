// The seeded RNG: determinism, resumable state, distributions, shuffles, stratified splits.
import { describe, expect, it } from 'vitest';
import { Rng, splitDataset, type Dataset } from '../../src/runtime/index.js';

const draw = (r: Rng, k: number) => Array.from({ length: k }, () => r.nextUint32());

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    expect(draw(new Rng(7), 50)).toEqual(draw(new Rng(7), 50));
    expect(draw(new Rng(7), 50)).not.toEqual(draw(new Rng(8), 50));
  });

  it('continues the exact stream from a saved state (JSON round trip)', () => {
    const a = new Rng(123);
    draw(a, 17);
    a.normal();
    const saved = JSON.parse(JSON.stringify(a.state()));
    const b = Rng.fromState(saved);
    expect(draw(b, 100)).toEqual(draw(a, 100));
    expect(() => Rng.fromState({ algorithm: 'mt' as 'xoshiro128**', s: [1, 2, 3, 4] })).toThrow(/unsupported RNG state/);
  });

  it('draws uniforms in range with the right mean, normals with the right moments', () => {
    const r = new Rng(1);
    const u = Array.from({ length: 20000 }, () => r.uniform(-2, 3));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(u.reduce((a, b) => a + b) / u.length).toBeCloseTo(0.5, 1);
    const z = Array.from({ length: 20000 }, () => r.normal(1, 2));
    const mean = z.reduce((a, b) => a + b) / z.length;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length);
    expect(mean).toBeCloseTo(1, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it('draws every integer in [0, n) about equally often', () => {
    const r = new Rng(5);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 7000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
    expect(() => r.int(0)).toThrow(RangeError);
  });

  it('shuffles into a permutation, reproducibly', () => {
    const p = new Rng(9).permutation(100);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...p]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(new Rng(9).permutation(100)).toEqual(p);
  });
});

describe('splitDataset', () => {
  // 100 examples: 60 of class 0, 30 of class 1, 10 of class 2; x holds the example's index.
  const labels = [...new Array(60).fill(0), ...new Array(30).fill(1), ...new Array(10).fill(2)];
  const ds: Dataset = { x: Float32Array.from(labels.map((_, i) => i)), y: Int32Array.from(labels), n: 100, featureShape: [1] };
  const count = (d: Dataset, c: number) => [...d.y].filter((y) => y === c).length;

  it('keeps class proportions when stratified and partitions the examples', () => {
    const { rest, split } = splitDataset(ds, 0.2, { stratified: true, rng: new Rng(3) });
    expect([count(split, 0), count(split, 1), count(split, 2)]).toEqual([12, 6, 2]);
    expect(rest.n + split.n).toBe(100);
    const all = [...rest.x, ...split.x].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // each example keeps its own label
    for (let i = 0; i < split.n; i++) expect(split.y[i]).toBe(labels[split.x[i]!]);
  });

  it('uses largest remainders so the total is round(fraction × n)', () => {
    // quotas 0.15 × (60, 30, 10) = 9, 4.5, 1.5 → 9 + 4 + 1 = 14, plus one more for the tied remainders (lowest class first).
    const { split } = splitDataset(ds, 0.15, { stratified: true, rng: new Rng(3) });
    expect(split.n).toBe(15);
    expect([count(split, 0), count(split, 1), count(split, 2)]).toEqual([9, 5, 1]);
  });

  it('is deterministic per seed and random across seeds', () => {
    const a = splitDataset(ds, 0.3, { stratified: false, rng: new Rng(11) });
    const b = splitDataset(ds, 0.3, { stratified: false, rng: new Rng(11) });
    const c = splitDataset(ds, 0.3, { stratified: false, rng: new Rng(12) });
    expect(a.split.n).toBe(30);
    expect(a).toEqual(b);
    expect([...c.split.x]).not.toEqual([...a.split.x]);
    expect(() => splitDataset(ds, 1, { stratified: false, rng: new Rng(1) })).toThrow(RangeError);
  });
});
