// Metrics against values computed by hand.
import { describe, expect, it } from 'vitest';
import { accuracy, argmaxRows, classificationReport, confusionMatrix, formatConfusionMatrix, formatMetrics } from '../../src/runtime/index.js';

// 3 classes, 8 examples.
const yTrue = [0, 0, 0, 1, 1, 2, 2, 2];
const yPred = [0, 0, 1, 1, 2, 2, 2, 0];

describe('metrics', () => {
  it('counts the confusion matrix as [true][pred]', () => {
    expect(confusionMatrix(yTrue, yPred, 3)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 2],
    ]);
    expect(() => confusionMatrix([3], [0], 3)).toThrow(RangeError);
  });

  it('computes accuracy and macro precision/recall/F1', () => {
    // precision: c0 2/3, c1 1/2, c2 2/3 → 11/18; recall: c0 2/3, c1 1/2, c2 2/3 → 11/18
    // F1: c0 2/3, c1 1/2, c2 2/3 → 11/18
    const r = classificationReport(yTrue, yPred, 3);
    expect(accuracy(yTrue, yPred)).toBe(5 / 8);
    expect(r.accuracy).toBe(5 / 8);
    expect(r.macroPrecision).toBeCloseTo(11 / 18, 12);
    expect(r.macroRecall).toBeCloseTo(11 / 18, 12);
    expect(r.macroF1).toBeCloseTo(11 / 18, 12);
  });

  it('handles precision ≠ recall and classes never predicted (0/0 counts as 0)', () => {
    // true 0,0,1,1 pred 0,0,0,0: c0 P=2/4 R=1 F1=2/3; c1 P=0 (never predicted) R=0 F1=0
    const r = classificationReport([0, 0, 1, 1], [0, 0, 0, 0], 3);
    expect(r.macroPrecision).toBeCloseTo(0.25, 12);
    expect(r.macroRecall).toBeCloseTo(0.5, 12);
    expect(r.macroF1).toBeCloseTo(1 / 3, 12);
  });

  it('takes argmax per row', () => {
    expect([...argmaxRows([0.1, 0.7, 0.2, 3, -1, 2], 3)]).toEqual([1, 0]);
  });

  it('formats a confusion matrix and metrics', () => {
    expect(formatConfusionMatrix([[12, 1], [0, 7]])).toBe(['true\\pred   0  1', '        0  12  1', '        1   0  7'].join('\n'));
    expect(formatMetrics({ accuracy: 0.97123, loss: 0.1 })).toBe('accuracy 0.9712  loss 0.1000');
  });
});
