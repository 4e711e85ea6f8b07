// Classification metrics computed on host arrays (labels and predicted classes).
// Macro averages are over classes that occur in the labels or the predictions;
// an undefined ratio (0/0) counts as 0, as scikit-learn's zero_division=0.

export type Labels = ArrayLike<number>;

export interface ClassificationReport {
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  /** confusion[t][p] = number of examples of true class t predicted as p. */
  confusion: number[][];
}

/** confusion[t][p] counts; throws RangeError for a label outside [0, classes). */
export function confusionMatrix(yTrue: Labels, yPred: Labels, classes: number): number[][] {
  if (yTrue.length !== yPred.length) throw new RangeError(`confusionMatrix: ${yTrue.length} labels vs ${yPred.length} predictions`);
  const m: number[][] = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) throw new RangeError(`confusionMatrix: class out of range at ${i} (${t}, ${p})`);
    m[t]![p]!++;
  }
  return m;
}

/** Fraction of equal entries (0 for empty input). */
export function accuracy(yTrue: Labels, yPred: Labels): number {
  if (yTrue.length === 0) return 0;
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** Accuracy, macro precision/recall/F1 and the confusion matrix in one pass. */
export function classificationReport(yTrue: Labels, yPred: Labels, classes: number): ClassificationReport {
  const confusion = confusionMatrix(yTrue, yPred, classes);
  let p = 0;
  let r = 0;
  let f = 0;
  let present = 0;
  let correct = 0;
  for (let c = 0; c < classes; c++) {
    const tp = confusion[c]![c]!;
    correct += tp;
    let actual = 0;
    let predicted = 0;
    for (let k = 0; k < classes; k++) {
      actual += confusion[c]![k]!;
      predicted += confusion[k]![c]!;
    }
    if (actual === 0 && predicted === 0) continue;
    present++;
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = actual === 0 ? 0 : tp / actual;
    p += precision;
    r += recall;
    f += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  const d = Math.max(1, present);
  return {
    accuracy: yTrue.length === 0 ? 0 : correct / yTrue.length,
    macroPrecision: p / d,
    macroRecall: r / d,
    macroF1: f / d,
    confusion,
  };
}

/** Index of the largest value in each row of a row-major [rows, cols] array. */
export function argmaxRows(values: ArrayLike<number>, cols: number): Int32Array {
  const rows = Math.floor(values.length / cols);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestV = -Infinity;
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c]!;
      if (v > bestV) {
        bestV = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}

/** The confusion matrix as an aligned text table, rows = true class, columns = predicted. */
export function formatConfusionMatrix(confusion: number[][], labels?: readonly string[]): string {
  const n = confusion.length;
  const corner = 'true\\pred';
  const names = Array.from({ length: n }, (_, i) => labels?.[i] ?? String(i));
  const cellW = Math.max(...names.map((s) => s.length), ...confusion.flat().map((v) => String(v).length));
  const headW = Math.max(corner.length, ...names.map((s) => s.length));
  const row = (head: string, cells: string[]) => `${head.padStart(headW)}  ${cells.map((c) => c.padStart(cellW)).join(' ')}`;
  return [row(corner, names), ...confusion.map((r, t) => row(names[t]!, r.map(String)))].join('\n');
}

/** `accuracy 0.9712  macro_f1 0.9705` style line; values with 4 decimals. */
export function formatMetrics(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${Number.isFinite(v) ? v.toFixed(4) : String(v)}`)
    .join('  ');
}

/** Threshold metrics of a binary classifier, for the positive class (label 1). */
export interface BinaryReport {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** Area under the ROC curve of the scores (threshold-free); NaN with a single class present. */
  rocAuc: number;
  /** confusion[true][predicted]. */
  confusion: number[][];
}

/**
 * Scores a binary classifier from its scores (logits, or anything monotone in
 * them): predicted positive where score > threshold (0 for logits). ROC AUC is
 * the Mann–Whitney statistic: the probability that a random positive scores
 * above a random negative, ties counting half.
 */
export function binaryReport(yTrue: Labels, scores: ArrayLike<number>, threshold = 0): BinaryReport {
  if (yTrue.length !== scores.length) throw new RangeError(`binaryReport: ${yTrue.length} labels vs ${scores.length} scores`);
  const predicted = Int32Array.from(scores as ArrayLike<number>, (s) => (s > threshold ? 1 : 0));
  const confusion = confusionMatrix(yTrue, predicted, 2);
  const tp = confusion[1]![1]!;
  const fp = confusion[0]![1]!;
  const fn = confusion[1]![0]!;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return {
    accuracy: accuracy(yTrue, predicted),
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    rocAuc: rocAuc(yTrue, scores),
    confusion,
  };
}

/** ROC AUC by average ranks (ties share their mean rank). */
export function rocAuc(yTrue: Labels, scores: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (yTrue[order[k]!] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
