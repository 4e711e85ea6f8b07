// Shapes through an MLP, and every shape error rendered as the user sees it.
import { describe, expect, it } from 'vitest';
import { formatType } from '../../src/ir/shapes.js';
import { check, checkOk, mlp } from './helpers.js';

describe('shapes through an MLP', () => {
  const m = checkOk(`model m
input image: f32[28, 28]
target digit: class(10)
net {
  x = flatten(image)
  h = dense(x, 256, activation: relu)
  hd = dropout(h, rate: 0.2)
  logits = dense(hd, 10)
}
loss = cross_entropy(logits, digit) + 1e-4 * l2(h.weight, logits.weight)
`);
  const g = m.forward.graph;
  const typeOf = (name: string) => formatType(g.nodes[m.forward.outputs[name]!]!.type);

  it('gives every binding its type, with the symbolic batch axis', () => {
    expect(typeOf('x')).toBe('f32[batch, 784]');
    expect(typeOf('h')).toBe('f32[batch, 256]');
    expect(typeOf('hd')).toBe('f32[batch, 256]');
    expect(typeOf('logits')).toBe('f32[batch, 10]');
    expect(m.forward.outputs['prediction']).toBe(m.forward.outputs['logits']);
  });

  it('types inputs and class targets', () => {
    expect(m.forward.inputs.map((i) => `${i.role} ${i.name}: ${formatType(i.type)}`)).toEqual(['input image: f32[batch, 28, 28]', 'target digit: i32[batch]']);
    expect(m.classes).toBe(10);
  });

  it('expands layers into primitives and ends in a scalar loss', () => {
    const ops = g.nodes.map((n) => n.op);
    expect(ops.filter((o) => o === 'matmul')).toHaveLength(2);
    expect(ops).toContain('dropout_mask');
    expect(ops).toContain('softmax_cross_entropy');
    expect(ops.filter((o) => o === 'l2')).toHaveLength(2);
    expect(formatType(g.nodes[m.forward.loss]!.type)).toBe('f32[]');
    // The l2 terms read the parameter nodes themselves.
    const weights = m.forward.params.filter((p) => p.name.endsWith('.weight')).map((p) => p.id);
    expect(g.nodes.filter((n) => n.op === 'l2').map((n) => n.inputs[0])).toEqual(weights);
  });

  it('records the binding and source line on every node', () => {
    const h = g.nodes[m.forward.outputs['h']!]!;
    expect(h.origin.label).toBe('h');
    expect(h.origin.span?.line).toBe(6);
  });

  it('types binary and regression targets', () => {
    const b = checkOk(mlp({ inputs: 'input x: f32[8]\ntarget y: binary', net: '  logits = dense(x, 1)', loss: 'binary_cross_entropy(logits, y)' }));
    expect(formatType(b.forward.inputs[1]!.type)).toBe('f32[batch]');
    expect(b.classes).toBe(2);
    const r = checkOk(mlp({ inputs: 'input x: f32[8]\ntarget y: f32[2]', net: '  pred = dense(x, 2)', loss: 'mse(pred, y)' }));
    expect(formatType(r.forward.inputs[1]!.type)).toBe('f32[batch, 2]');
    expect(r.classes).toBeNull();
    expect(r.train.metrics).toEqual(['loss']);
  });
});

describe('shape errors', () => {
  it('dense on an image names both the shape and the fix', () => {
    const r = check(`model m
input image: f32[28, 28]
target digit: class(10)
net {
  h = dense(image, 256, activation: relu)
  logits = dense(h, 10)
}
loss = cross_entropy(logits, digit)
`);
    expect(r.reachedChecker).toBe(true);
    expect(r.text).toBe(`spec.nn:5:13: error NNC3021: dense expects a rank-2 input, got f32[batch, 28, 28] from \`image\` (line 2)
  |
5 |   h = dense(image, 256, activation: relu)
  |             ^~~~~
  hint: insert flatten(…): \`image_flat = flatten(image)\`, then dense(image_flat, 256)`);
  });

  it('logits that do not match the class count point at the target', () => {
    const r = check(mlp({ net: '  logits = dense(x, 4)' }));
    expect(r.codes).toEqual(['NNC3020']);
    expect(r.text).toContain('spec.nn:7:22: error NNC3020: cross_entropy: logits have 4 classes but `y` is class(3): got f32[batch, 4] from `logits` (line 5)');
    expect(r.text).toContain('note: `y` declared here');
    expect(r.text).toContain('hint: make the last layer produce 3 units, e.g. dense(…, 3)');
  });

  it('a broadcast failure inside a def names both sides and the call site', () => {
    const r = check(`model m
input x: f32[8]
target y: class(3)
def res(x, units) {
  param w: [dim(x, -1), units]
  return x + relu(x @ w)
}
net {
  r = res(x, 5)
  logits = dense(r, 3)
}
loss = cross_entropy(logits, y)
`);
    expect(r.codes).toEqual(['NNC3020']);
    expect(r.text).toBe(`spec.nn:6:10: error NNC3020: \`x + relu(x @ w)\` in \`r\`: shapes do not broadcast: f32[batch, 8] + f32[batch, 5] (left: \`x\` (line 2); right: \`relu(x @ w)\` (line 6))
  |
6 |   return x + relu(x @ w)
  |          ^~~~~~~~~~~~~~~
spec.nn:9:7: note: in \`res(x, 5)\`, called here
  |
9 |   r = res(x, 5)
  |       ^~~~~~~~~
  hint: elementwise operands need equal shapes, or shapes that broadcast (a missing or size-1 axis stretches)`);
  });

  it('matmul with mismatched inner dimensions', () => {
    const r = check(mlp({ net: '  q = x @ x\n  logits = dense(q, 3)' }));
    expect(r.codes).toEqual(['NNC3020']);
    expect(r.text).toContain('spec.nn:5:7: error NNC3020: `x @ x` in `q`: inner dimensions differ: f32[batch, 8] @ f32[batch, 8] (left: `x` (line 2); right: `x` (line 2))');
    expect(r.text).toContain('hint: in a @ b, the last dimension of a must equal the first dimension of b');
  });

  it('a loss that is not a scalar', () => {
    const r = check(mlp({ loss: 'logits' }));
    expect(r.codes).toEqual(['NNC3023']);
    expect(r.text).toContain('spec.nn:8:8: error NNC3023: the loss must be a scalar f32, got f32[batch, 3]');
    expect(r.text).toContain('hint: reduce it with a loss function');
  });

  it('a loss function against the wrong kind of target', () => {
    const r = check(mlp({ net: '  logits = dense(x, 3)', loss: 'mse(logits, y)' }));
    expect(r.codes).toEqual(['NNC3010']);
    expect(r.text).toContain('error NNC3010: mse needs a f32[…] target, but `y` is class(3)');
    expect(r.text).toContain('hint: use cross_entropy(…) for this target');
  });

  it('the net may not read a target', () => {
    const r = check(mlp({ net: '  logits = dense(x, 3)\n  leak = y + 1' }));
    expect(r.text).toContain('spec.nn:6:10: error NNC3010: `y` is a target: the net cannot read it');
  });

  it('dim of the batch axis is not a compile-time number', () => {
    const r = check(`model m
input x: f32[8]
target y: class(3)
def d(x) {
  param w: [dim(x, 0), 3]
  return x @ w
}
net {
  logits = d(x)
}
loss = cross_entropy(logits, y)
`);
    expect(r.codes).toEqual(['NNC3024']);
    expect(r.text).toContain("error NNC3024: dim: axis 0 of f32[batch, 8] is `batch`, whose size is known only at run time");
  });

  it('layers of later issues are "not supported yet", not a crash', () => {
    const r = check(mlp({ net: '  c = gru(x, 8)\n  logits = dense(x, 3)' }));
    expect(r.codes).toEqual(['NNC3003']);
    expect(r.text).toContain('error NNC3003: `gru` is not supported yet (issue 6: sentiment / text models)');
    const e = check(mlp({ net: '  e = embedding(x, 8)\n  logits = dense(x, 3)' }));
    expect(e.text).toContain('embedding expects token ids from a text input');
  });

  it('text inputs are token ids: i32[batch, length], not features', () => {
    const r = check(mlp({ inputs: 'input x: text(vocab: 100, length: 8)\ntarget y: class(3)' }));
    expect(r.text).toContain('dense expects a float input, got i32[batch, 8]');
    expect(r.model).toBeNull();
  });

  it('warns about a binding nothing uses', () => {
    const r = check(mlp({ net: '  h = dense(x, 4)\n  spare = relu(h)\n  logits = dense(h, 3)' }));
    expect(r.model).not.toBeNull();
    expect(r.text).toContain("spec.nn:6:3: warning NNC3030: `spare` is computed but neither the loss nor the prediction uses it");
  });

  it('errors do not cascade from a failed binding', () => {
    const r = check(mlp({ net: '  h = dense(x, 4)\n  bad = h @ h\n  more = relu(bad)\n  logits = dense(more, 3)' }));
    expect(r.codes).toEqual(['NNC3020']);
  });
});

describe('more shape and dtype errors', () => {
  it('dense on integer features', () => {
    const r = check(mlp({ inputs: 'input x: i32[8]\ntarget y: class(3)' }));
    expect(r.text).toContain('spec.nn:5:13: error NNC3022: dense expects a float input, got i32[batch, 8] from `x` (line 2)');
    expect(r.text).toContain('hint: class labels are not features; use embedding(…) for token ids');
  });

  it('reshape to a size that does not fit', () => {
    const r = check(mlp({ net: '  q = reshape(x, [3, 3])\n  logits = dense(flatten(q), 3)' }));
    expect(r.text).toContain('error NNC3020: reshape: cannot reshape f32[batch, 8] from `x` to [batch, 3, 3]');
    expect(r.text).toContain('hint: the non-batch sizes must multiply to 8');
    const ok = checkOk(mlp({ net: '  q = reshape(x, [2, -1])\n  logits = dense(flatten(q), 3)' }));
    expect(formatType(ok.forward.graph.nodes[ok.forward.outputs['q']!]!.type)).toBe('f32[batch, 2, 4]');
  });

  it('softmax along an axis the value does not have', () => {
    const r = check(mlp({ net: '  s = softmax(x, axis: 2)\n  logits = dense(s, 3)' }));
    expect(r.text).toContain('error NNC3024: softmax: axis 2 is out of range for f32[batch, 8] from `x` (line 2)');
  });
});

describe('dtype errors from the ops', () => {
  it('arithmetic between labels and features is a dtype mismatch', () => {
    const r = check(mlp({ inputs: 'input x: f32[8]\ninput c: i32[8]\ntarget y: class(3)', net: '  s = x + c\n  logits = dense(s, 3)' }));
    expect(r.codes).toEqual(['NNC3022']);
    expect(r.text).toContain('spec.nn:6:7: error NNC3022: `x + c` in `s`: dtypes differ: f32[batch, 8] + i32[batch, 8] (left: `x` (line 2); right: `c` (line 3))');
    expect(r.text).toContain('hint: i32 values are class labels or token ids; arithmetic and layers take f32 values');
  });
});
