// Shape rules: inferred types with the symbolic batch axis, and the refusal
// messages users see (both shapes named).
import { describe, expect, it } from 'vitest';
import { OPS } from '../../src/ops/registry.js';
import { OP_KINDS, type OpKind } from '../../src/ops/kinds.js';
import { isShapeError } from '../../src/ops/op.js';
import { broadcastAxes, broadcastShapes, formatType, normalizeAxis, staticSize } from '../../src/ir/shapes.js';
import type { Attrs, Dim, TensorType } from '../../src/ir/types.js';

const f32 = (...shape: Dim[]): TensorType => ({ dtype: 'f32', shape });
const i32 = (...shape: Dim[]): TensorType => ({ dtype: 'i32', shape });

function infer(op: OpKind, inputs: TensorType[], attrs: Attrs = {}): string {
  const r = OPS[op].shape(inputs, attrs);
  return isShapeError(r) ? `error: ${r.error}` : formatType(r);
}

describe('registry', () => {
  it('defines every kind exactly once, under its own name', () => {
    expect(Object.keys(OPS).sort()).toEqual([...OP_KINDS].sort());
    for (const k of OP_KINDS) expect(OPS[k].kind).toBe(k);
  });
});

describe('shape helpers', () => {
  it('formats types as users read them', () => {
    expect(formatType(f32('batch', 784))).toBe('f32[batch, 784]');
    expect(formatType(f32())).toBe('f32[]');
  });
  it('broadcasts symbolic shapes like numpy', () => {
    expect(broadcastShapes(['batch', 1], [1, 10])).toEqual(['batch', 10]);
    expect(broadcastShapes([], ['batch'])).toEqual(['batch']);
    expect(broadcastShapes(['batch', 3], [3])).toEqual(['batch', 3]);
    expect(broadcastShapes(['batch'], [5])).toBeNull(); // the batch size is unknown: never assumed to be 5
    expect(broadcastShapes([2, 3], [4, 3])).toBeNull();
  });
  it('finds the stretched axes and static sizes', () => {
    expect(broadcastAxes([3], ['batch', 3])).toEqual([0]);
    expect(broadcastAxes([1, 3], ['batch', 3])).toEqual([0]);
    expect(broadcastAxes(['batch', 1], ['batch', 4])).toEqual([1]);
    expect(normalizeAxis(-1, 3)).toBe(2);
    expect(normalizeAxis(3, 3)).toBeNull();
    expect(staticSize([28, 28])).toBe(784);
    expect(staticSize(['batch', 28])).toBeNull();
  });
});

describe('inferred types', () => {
  const cases: [OpKind, TensorType[], Attrs, string][] = [
    ['input', [], { dtype: 'f32', shape: ['batch', 28, 28] }, 'f32[batch, 28, 28]'],
    ['param', [], { dtype: 'f32', shape: [784, 128] }, 'f32[784, 128]'],
    ['const', [], { value: 0.5 }, 'f32[]'],
    ['add', [f32('batch', 10), f32(10)], {}, 'f32[batch, 10]'],
    ['mul', [f32('batch', 1), f32(1, 4)], {}, 'f32[batch, 4]'],
    ['div', [f32('batch', 3), f32()], {}, 'f32[batch, 3]'],
    ['relu', [f32('batch', 3)], {}, 'f32[batch, 3]'],
    ['relu_grad', [f32('batch', 3), f32('batch', 3)], {}, 'f32[batch, 3]'],
    ['matmul', [f32('batch', 784), f32(784, 128)], {}, 'f32[batch, 128]'],
    ['matmul', [f32('batch', 784), f32(10, 784)], { transposeB: true }, 'f32[batch, 10]'],
    ['matmul', [f32('batch', 784), f32('batch', 10)], { transposeA: true }, 'f32[784, 10]'],
    ['reshape', [f32('batch', 28, 28)], { shape: ['batch', 784] }, 'f32[batch, 784]'],
    ['transpose', [f32('batch', 2, 3)], { perm: [0, 2, 1] }, 'f32[batch, 3, 2]'],
    ['broadcast', [f32('batch', 1)], { shape: ['batch', 4] }, 'f32[batch, 4]'],
    ['broadcast_like', [f32(1, 4), f32('batch', 4)], {}, 'f32[batch, 4]'],
    ['sum', [f32('batch', 10)], { axes: [1] }, 'f32[batch]'],
    ['sum', [f32('batch', 10)], { axes: [-1], keepDims: true }, 'f32[batch, 1]'],
    ['mean', [f32('batch')], {}, 'f32[]'],
    ['inv_count', [f32('batch', 3)], { axes: [0] }, 'f32[]'],
    ['softmax', [f32('batch', 10)], {}, 'f32[batch, 10]'],
    ['dropout_mask', [f32('batch', 256)], { rate: 0.2 }, 'f32[batch, 256]'],
    ['softmax_cross_entropy', [f32('batch', 10), i32('batch')], {}, 'f32[batch]'],
    ['softmax_cross_entropy_grad', [f32('batch', 10), i32('batch'), f32('batch')], {}, 'f32[batch, 10]'],
    ['sigmoid_cross_entropy', [f32('batch', 1), f32('batch', 1)], {}, 'f32[batch, 1]'],
    ['mse', [f32('batch', 3), f32('batch', 3)], {}, 'f32[batch]'],
    ['l2', [f32(784, 128)], {}, 'f32[]'],
    ['one_hot', [i32('batch')], { depth: 10 }, 'f32[batch, 10]'],
    ['pow', [f32('batch')], { exponent: 3 }, 'f32[batch]'],
    ['cast', [i32('batch')], { dtype: 'f32' }, 'f32[batch]'],
    ['slice', [f32('batch', 256)], { begin: [0, 64], size: ['batch', 64] }, 'f32[batch, 64]'],
    ['pad', [f32('batch', 3)], { paddings: [0, 0, 1, 2] }, 'f32[batch, 6]'],
    ['concat', [f32('batch', 2), f32('batch', 3)], {}, 'f32[batch, 5]'],
    ['max', [f32('batch', 10)], { axes: [1] }, 'f32[batch]'],
    ['conv2d', [f32('batch', 28, 28, 1), f32(3, 3, 1, 32)], { padding: 'same' }, 'f32[batch, 28, 28, 32]'],
    ['conv2d', [f32('batch', 28, 28, 1), f32(5, 5, 1, 8)], { strides: 2 }, 'f32[batch, 12, 12, 8]'],
    ['conv2d', [f32('batch', 7, 5, 2), f32(3, 2, 2, 4)], { strides: [2, 3], padding: 'same' }, 'f32[batch, 4, 2, 4]'],
    ['conv2d', [f32('batch', 9, 9, 1), f32(3, 3, 1, 4)], { dilations: 2 }, 'f32[batch, 5, 5, 4]'],
    ['conv2d_backprop_input', [f32('batch', 14, 14, 8), f32(3, 3, 1, 8)], { strides: 2, padding: 'same', shape: ['batch', 28, 28, 1] }, 'f32[batch, 28, 28, 1]'],
    ['conv2d_backprop_filter', [f32('batch', 28, 28, 1), f32('batch', 14, 14, 8)], { strides: 2, padding: 'same', shape: [3, 3, 1, 8] }, 'f32[3, 3, 1, 8]'],
    ['max_pool', [f32('batch', 28, 28, 32)], { size: 2, strides: 2 }, 'f32[batch, 14, 14, 32]'],
    ['avg_pool', [f32('batch', 5, 5, 3)], { size: 2, strides: 2, padding: 'same' }, 'f32[batch, 3, 3, 3]'],
    ['max_pool_grad', [f32('batch', 14, 14, 32), f32('batch', 28, 28, 32), f32('batch', 14, 14, 32)], { size: 2, strides: 2 }, 'f32[batch, 28, 28, 32]'],
    ['argmax', [f32('batch', 10)], {}, 'i32[batch]'],
    ['gather', [f32(1000, 16), i32('batch', 20)], {}, 'f32[batch, 20, 16]'],
    ['unsorted_segment_sum', [f32('batch', 20, 16), i32('batch', 20)], { segments: 1000 }, 'f32[1000, 16]'],
  ];
  for (const [op, inputs, attrs, want] of cases) {
    it(`${op}(${inputs.map(formatType).join(', ')}) ${JSON.stringify(attrs)} → ${want}`, () => {
      expect(infer(op, inputs, attrs)).toBe(want);
    });
  }
});

describe('refusals name both shapes', () => {
  const cases: [OpKind, TensorType[], Attrs, string][] = [
    ['matmul', [f32('batch', 784), f32(128, 10)], {}, 'matmul: inner dimensions differ: f32[batch, 784] @ f32[128, 10]'],
    ['matmul', [f32('batch', 784), f32(784, 10)], { transposeB: true }, 'matmul: inner dimensions differ: f32[batch, 784] @ f32[784, 10]ᵀ'],
    ['matmul', [f32('batch', 28, 28), f32(28, 10)], {}, 'matmul: expects rank-2 operands, got f32[batch, 28, 28] @ f32[28, 10]'],
    ['add', [f32('batch', 10), f32(5)], {}, 'add: shapes do not broadcast: f32[batch, 10] + f32[5]'],
    ['sub', [f32('batch'), f32(4)], {}, 'sub: shapes do not broadcast: f32[batch] - f32[4]'],
    ['mul', [f32('batch'), i32('batch')], {}, 'mul: dtypes differ: f32[batch] * i32[batch]'],
    ['div', [i32(2), i32(2)], {}, 'div: expects f32 tensors, got i32[2] / i32[2]'],
    ['relu', [i32('batch')], {}, 'relu: expects a float tensor, got i32[batch]'],
    ['reshape', [f32('batch', 28, 28)], { shape: ['batch', 700] }, 'reshape: element counts differ: f32[batch, 28, 28] → f32[batch, 700]'],
    ['reshape', [f32('batch', 4)], { shape: [4, 'n'] }, 'reshape: symbolic dimensions must be kept: f32[batch, 4] → f32[4, n]'],
    ['transpose', [f32('batch', 2)], { perm: [0, 0] }, 'transpose: perm [0, 0] is not a permutation of the axes of f32[batch, 2]'],
    ['broadcast', [f32(1, 4)], { shape: ['batch', 4] }, "broadcast: cannot stretch f32[1, 4] to symbolic 'batch' in f32[batch, 4]"],
    ['broadcast', [f32(3)], { shape: [2, 4] }, 'broadcast: f32[3] does not broadcast to f32[2, 4]'],
    ['sum', [f32('batch', 3)], { axes: [2] }, 'sum: axis 2 is out of range for f32[batch, 3]'],
    ['softmax', [f32('batch', 3)], { axis: 2 }, 'softmax: axis 2 is out of range for f32[batch, 3]'],
    ['softmax_cross_entropy', [f32('batch', 10), f32('batch', 10)], {}, 'softmax_cross_entropy: expects class labels i32[batch], got f32[batch, 10]'],
    ['softmax_cross_entropy', [f32('batch'), i32('batch')], {}, 'softmax_cross_entropy: expects logits f32[batch, classes], got f32[batch]'],
    ['softmax_cross_entropy', [f32(4, 10), i32(5)], {}, 'softmax_cross_entropy: batch sizes differ: logits f32[4, 10], labels i32[5]'],
    ['sigmoid_cross_entropy', [f32('batch', 1), f32('batch')], {}, 'sigmoid_cross_entropy: logits and labels must be f32 of one shape, got f32[batch, 1] and f32[batch]'],
    ['mse', [f32('batch', 3), f32('batch', 4)], {}, 'mse: prediction and target must be f32 of one shape, got f32[batch, 3] and f32[batch, 4]'],
    ['dropout_mask', [f32('batch', 3)], { rate: 1 }, 'dropout: rate must be in [0, 1), got 1'],
    ['one_hot', [f32('batch')], { depth: 3 }, 'one_hot: expects integer labels, got f32[batch]'],
    ['pow', [f32(2)], {}, "pow: attribute 'exponent' must be a number"],
    ['const', [], {}, "const: attribute 'value' must be a number"],
    ['gather', [f32(1000, 16), f32('batch', 20)], {}, 'gather: expects integer ids, got f32[batch, 20]'],
    ['argmax', [f32('batch')], { axis: 1 }, 'argmax: axis 1 is out of range for f32[batch]'],
    ['cast', [f32(2)], { dtype: 'f64' }, "cast: dtype must be 'f32' or 'i32', got f64"],
    ['slice', [f32('batch', 256)], { begin: [0, 200], size: ['batch', 64] }, "slice: [[0, 200] +['batch', 64]] does not fit in f32[batch, 256]"],
    ['pad', [f32('batch', 3)], { paddings: [1, 0, 0, 0] }, "pad: cannot pad the symbolic axis 'batch' of f32[batch, 3]"],
    ['concat', [f32('batch', 2), f32(4, 3)], {}, 'concat: parts differ off axis 1: f32[batch, 2], f32[4, 3]'],
    ['conv2d', [f32('batch', 28, 28, 3), f32(3, 3, 1, 32)], {}, 'conv2d: channels differ: f32[batch, 28, 28, 3] with filter f32[3, 3, 1, 32] (input has 3, filter expects 1)'],
    ['conv2d', [f32('batch', 2, 2, 1), f32(3, 3, 1, 4)], {}, "conv2d: the 3×3 window is larger than the 2×2 input f32[batch, 2, 2, 1] with 'valid' padding"],
    ['conv2d', [f32('batch', 784), f32(3, 3, 1, 4)], {}, 'conv2d: expects an f32[batch, height, width, channels] input, got f32[batch, 784]'],
    ['conv2d', [f32('batch', 8, 8, 1), f32(3, 3, 1, 4)], { padding: 'full' }, "conv2d: padding must be 'same' or 'valid', got 'full'"],
    ['conv2d', [f32('batch', 8, 8, 1), f32(3, 3, 1, 4)], { dilations: 2, strides: 2 }, 'conv2d: a dilated window needs stride 1 (as in tfjs), got strides [2, 2] with dilations [2, 2]'],
    ['conv2d', [f32('batch', 4, 4, 1), f32(3, 3, 1, 4)], { dilations: 2 }, "conv2d: the 5×5 window is larger than the 4×4 input f32[batch, 4, 4, 1] with 'valid' padding"],
    ['max_pool', [f32('batch', 8, 8, 1)], {}, "max_pool: 'size' must be a positive integer or a pair, got null"],
    ['max_pool', [f32('batch', 8, 8, 1)], { size: 2, strides: 0 }, "max_pool: 'strides' must be a positive integer or a pair, got 0"],
  ];
  for (const [op, inputs, attrs, want] of cases) {
    it(want, () => expect(infer(op, inputs, attrs)).toBe(`error: ${want}`));
  }
});
