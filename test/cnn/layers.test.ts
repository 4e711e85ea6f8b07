// The convolutional layers through the real checker: shapes, parameters and
// their initialisers, and every shape mistake as a located diagnostic naming
// the layer, the input's type and what was expected.
import { describe, expect, it } from 'vitest';
import { formatType } from '../../src/ir/shapes.js';
import { check, checkOk, paramCount } from '../check/helpers.js';

const spec = (net: string, input = 'f32[28, 28, 1]', out = 'logits') => `model m
input image: ${input}
target digit: class(10)
net {
${net}
}
loss = cross_entropy(${out}, digit)
`;

describe('conv2d and pools: shapes and parameters', () => {
  const m = checkOk(spec(`  c1 = conv2d(image, 8, kernel: 3, activation: relu)
  p1 = max_pool(c1, 2)
  c2 = conv2d(p1, 16, kernel: 3, stride: 2, padding: same)
  a  = avg_pool(c2, 3, stride: 1, padding: same)
  d  = conv2d(a, 4, kernel: 3, dilation: 2, use_bias: false)
  g  = global_avg_pool(d)
  logits = dense(g, 10)`));
  const typeOf = (name: string) => formatType(m.forward.graph.nodes[m.forward.outputs[name]!]!.type);

  it('infers NHWC output shapes (valid, same, strides, dilation) and the global pool', () => {
    expect(typeOf('c1')).toBe('f32[batch, 26, 26, 8]');
    expect(typeOf('p1')).toBe('f32[batch, 13, 13, 8]');
    expect(typeOf('c2')).toBe('f32[batch, 7, 7, 16]');
    expect(typeOf('a')).toBe('f32[batch, 7, 7, 16]');
    expect(typeOf('d')).toBe('f32[batch, 3, 3, 4]');
    expect(typeOf('g')).toBe('f32[batch, 4]');
  });

  it('names parameters after the binding, kernels [kh, kw, in, out] he_normal with Keras fans, bias zeros', () => {
    const byName = new Map(m.forward.params.map((p) => [p.name, p]));
    expect([...byName.keys()]).toEqual(['c1.weight', 'c1.bias', 'c2.weight', 'c2.bias', 'd.weight', 'logits.weight', 'logits.bias']);
    expect(byName.get('c1.weight')!.type.shape).toEqual([3, 3, 1, 8]);
    expect(byName.get('c1.weight')!.init).toEqual({ kind: 'he_normal', fanIn: 9, fanOut: 72 });
    expect(byName.get('c2.weight')!.type.shape).toEqual([3, 3, 8, 16]);
    expect(byName.get('c1.bias')!.init.kind).toBe('zeros');
  });

  it('expands to the primitives: conv2d (+ add bias, relu), max_pool, avg_pool, mean over H and W', () => {
    const ops = m.forward.graph.nodes.map((n) => n.op);
    expect(ops.filter((o) => o === 'conv2d')).toHaveLength(3);
    expect(ops).toContain('max_pool');
    expect(ops).toContain('avg_pool');
    const gap = m.forward.graph.nodes[m.forward.outputs['g']!]!;
    expect(gap.op).toBe('mean');
    expect(gap.attrs).toEqual({ axes: [1, 2], keepDims: false });
  });

  it('the worked example stays under 100K parameters', () => {
    const cnn = checkOk(spec(`  c1 = conv2d(image, 32, kernel: 3, activation: relu)
  p1 = max_pool(c1, 2)
  c2 = conv2d(p1, 64, kernel: 3, activation: relu)
  p2 = max_pool(c2, 2)
  x  = flatten(p2)
  logits = dense(x, 10)`));
    expect(paramCount(cnn)).toBe(34826);
  });

  it('accepts a rank-3 image given a channel axis with reshape', () => {
    const r = checkOk(spec(`  img = reshape(image, [28, 28, 1])
  c = conv2d(img, 4, kernel: 5)
  logits = dense(flatten(c), 10)`, 'f32[28, 28]'));
    expect(formatType(r.forward.graph.nodes[r.forward.outputs['c']!]!.type)).toBe('f32[batch, 24, 24, 4]');
  });
});

describe('conv2d and pools: located shape errors', () => {
  it('a rank-3 image: names the layer and the input, suggests an explicit channel axis', () => {
    const r = check(spec(`  c = conv2d(image, 4, kernel: 3)
  logits = dense(flatten(c), 10)`, 'f32[28, 28]'));
    expect(r.codes).toEqual(['NNC3021']);
    expect(r.text).toContain('spec.nn:5:14: error NNC3021: conv2d expects a rank-4 input f32[batch, height, width, channels], got f32[batch, 28, 28] from `image`');
    expect(r.text).toContain('hint: give the image an explicit channel axis: `image_c = reshape(image, [28, 28, 1])` (or declare the input as f32[28, 28, 1])');
  });

  it('a kernel larger than the input with valid padding', () => {
    const r = check(spec(`  p = max_pool(image, 4)
  q = max_pool(p, 4)
  c = conv2d(q, 4, kernel: 3)
  logits = dense(flatten(c), 10)`));
    expect(r.codes).toEqual(['NNC3020']);
    expect(r.text).toContain('error NNC3020: conv2d: the 3×3 kernel is larger than the 1×1 input with padding: valid, got f32[batch, 1, 1, 1] from `q`');
    expect(r.text).toContain('hint: the input must be at least 3×3; use padding: same');
  });

  it('a pool window larger than the input', () => {
    const r = check(spec(`  p = avg_pool(image, 30)
  logits = dense(flatten(p), 10)`));
    expect(r.codes).toEqual(['NNC3020']);
    expect(r.text).toContain('avg_pool: the 30×30 window is larger than the 28×28 input with padding: valid');
  });

  it('a feature vector into a pool, a dilated strided conv, a bad padding word', () => {
    const flat = check(spec(`  x = flatten(image)
  p = max_pool(x, 2)
  logits = dense(flatten(p), 10)`));
    expect(flat.codes).toEqual(['NNC3021']);
    expect(flat.text).toContain('max_pool expects a rank-4 input f32[batch, height, width, channels], got f32[batch, 784] from `x`');
    expect(flat.text).toContain('hint: max_pool works on images; a batch of feature vectors goes to dense(…)');
    const dil = check(spec(`  c = conv2d(image, 4, kernel: 3, stride: 2, dilation: 2)
  logits = dense(flatten(c), 10)`));
    expect(dil.codes).toEqual(['NNC3017']);
    expect(dil.text).toContain('a dilated convolution needs stride 1');
    const pad = check(spec(`  c = conv2d(image, 4, kernel: 3, padding: sme)
  logits = dense(flatten(c), 10)`));
    expect(pad.sink.hasErrors).toBe(true);
    expect(pad.text).toMatch(/same/);
  });

  it("takes the filter's input channels from the image (no channel mismatch is possible)", () => {
    const r = checkOk(spec(`  c = conv2d(image, 4)
  logits = dense(flatten(c), 10)`, 'f32[8, 8, 3]'));
    expect(r.forward.params.find((p) => p.name === 'c.weight')!.type.shape).toEqual([3, 3, 3, 4]);
  });
});
