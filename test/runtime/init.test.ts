// Parameter initialisers: exact constants, right scales, seeded.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTensor, initValues, Rng, type InitSpec } from '../../src/runtime/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const std = (v: Float32Array) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
};
const spec = (kind: InitSpec['kind'], fanIn = 200, fanOut = 100, value?: number): InitSpec =>
  value === undefined ? { kind, fanIn, fanOut } : { kind, fanIn, fanOut, value };

describe('initialisers', () => {
  it('fills zeros, ones and constants exactly', () => {
    const r = new Rng(1);
    expect([...initValues(3, spec('zeros'), r)]).toEqual([0, 0, 0]);
    expect([...initValues(3, spec('ones'), r)]).toEqual([1, 1, 1]);
    expect([...initValues(2, spec('constant', 1, 1, 0.25), r)]).toEqual([0.25, 0.25]);
  });

  it('bounds the uniform families by their limits', () => {
    const r = new Rng(2);
    const limits: [InitSpec, number][] = [
      [spec('glorot_uniform'), Math.sqrt(6 / 300)],
      [spec('he_uniform'), Math.sqrt(6 / 200)],
      [spec('uniform', 1, 1, 0.1), 0.1],
    ];
    for (const [s, limit] of limits) {
      const v = initValues(20000, s, r);
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(limit);
      expect(Math.max(...v.map(Math.abs))).toBeGreaterThan(limit * 0.99);
      expect(std(v)).toBeCloseTo(limit / Math.sqrt(3), 2);
    }
  });

  it('gives the normal families their standard deviations', () => {
    const r = new Rng(3);
    expect(std(initValues(20000, spec('glorot_normal'), r))).toBeCloseTo(Math.sqrt(2 / 300), 2);
    expect(std(initValues(20000, spec('he_normal'), r))).toBeCloseTo(Math.sqrt(2 / 200), 2);
    expect(std(initValues(20000, spec('lecun_normal'), r))).toBeCloseTo(Math.sqrt(1 / 200), 2);
    expect(std(initValues(20000, spec('normal', 1, 1, 0.3), r))).toBeCloseTo(0.3, 1);
  });

  it('makes float32 tensors of the shape, the same for the same seed', () => {
    const a = initTensor([4, 3], spec('he_normal', 4, 3), new Rng(7));
    const b = initTensor([4, 3], spec('he_normal', 4, 3), new Rng(7));
    expect(a.shape).toEqual([4, 3]);
    expect(a.dtype).toBe('float32');
    expect(a.arraySync()).toEqual(b.arraySync());
    tf.dispose([a, b]);
  });
});
