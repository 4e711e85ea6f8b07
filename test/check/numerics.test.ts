// The checker's compositions compute what the names promise: each loss and
// layer, run through the IR interpreter, equals tfjs's own function on the
// same random values (cpu backend).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckedModel } from '../../src/check/model.js';
import { runGraph } from '../../src/ir/interpret.js';
import type { ValueId } from '../../src/ir/types.js';
import { checkOk } from './helpers.js';

const BATCH = 5;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Random feeds for every input and parameter (labels in [0, classes)). */
function feeds(m: CheckedModel, seed: number): Map<ValueId, tf.Tensor> {
  const out = new Map<ValueId, tf.Tensor>();
  let s = seed;
  for (const i of m.forward.inputs) {
    const shape = i.type.shape.map((d) => (d === 'batch' ? BATCH : (d as number)));
    if (i.type.dtype === 'i32') out.set(i.id, tf.randomUniform(shape, 0, m.classes!, 'int32', s++));
    else out.set(i.id, m.classes === 2 && i.role === 'target' ? tf.round(tf.randomUniform(shape, 0, 1, 'float32', s++)) : tf.randomNormal(shape, 0, 1, 'float32', s++));
  }
  for (const p of m.forward.params) out.set(p.id, tf.randomNormal(p.type.shape as number[], 0, 0.5, 'float32', s++));
  return out;
}

function run(m: CheckedModel, f: Map<ValueId, tf.Tensor>, id: ValueId): Float32Array {
  const [t] = runGraph(m.forward.graph, f, [id], { training: false, verify: true });
  const v = t!.dataSync() as Float32Array;
  t!.dispose();
  return v;
}

const byName = (m: CheckedModel, f: Map<ValueId, tf.Tensor>, name: string) => {
  const io = m.forward.inputs.find((i) => i.name === name) ?? m.forward.params.find((p) => p.name === name);
  return f.get(io!.id)!;
};

function close(a: Float32Array | number[], b: Float32Array | number[]): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[i]!)));
}

describe('compositions match tfjs', () => {
  it('dense + relu, and cross_entropy with label smoothing', () => {
    const m = checkOk(`model n
input x: f32[6]
target y: class(4)
net {
  h = dense(x, 3, activation: relu)
  logits = dense(h, 4)
}
loss = cross_entropy(logits, y, label_smoothing: 0.1)
`);
    const f = feeds(m, 1);
    const x = byName(m, f, 'x');
    const h = tf.relu(tf.add(tf.matMul(x, byName(m, f, 'h.weight')), byName(m, f, 'h.bias')));
    close(run(m, f, m.forward.outputs['h']!), h.dataSync() as Float32Array);
    const logits = tf.add(tf.matMul(h, byName(m, f, 'logits.weight')), byName(m, f, 'logits.bias'));
    const onehot = tf.oneHot(byName(m, f, 'y') as tf.Tensor1D, 4);
    const expected = tf.losses.softmaxCrossEntropy(onehot, logits, undefined, 0.1);
    close(run(m, f, m.forward.loss), [expected.dataSync()[0]!]);
  });

  it('binary_cross_entropy on a [batch, 1] head', () => {
    const m = checkOk(`model n
input x: f32[6]
target y: binary
net {
  logits = dense(x, 1)
}
loss = binary_cross_entropy(logits, y)
`);
    const f = feeds(m, 2);
    const logits = tf.add(tf.matMul(byName(m, f, 'x'), byName(m, f, 'logits.weight')), byName(m, f, 'logits.bias')).reshape([BATCH]);
    const expected = tf.losses.sigmoidCrossEntropy(byName(m, f, 'y'), logits);
    close(run(m, f, m.forward.loss), [expected.dataSync()[0]!]);
  });

  it('mse plus a weighted l2 term, and dropout off outside training', () => {
    const m = checkOk(`model n
input x: f32[6]
target y: f32[2]
net {
  d = dropout(x, rate: 0.5)
  pred = dense(d, 2, activation: tanh)
}
loss = mse(pred, y) + 1e-2 * l2(pred.weight)
`);
    const f = feeds(m, 3);
    const pred = tf.tanh(tf.add(tf.matMul(byName(m, f, 'x'), byName(m, f, 'pred.weight')), byName(m, f, 'pred.bias')));
    const w = byName(m, f, 'pred.weight');
    const expected = tf.add(tf.losses.meanSquaredError(byName(m, f, 'y'), pred), tf.mul(1e-2, tf.sum(tf.square(w))));
    close(run(m, f, m.forward.loss), [expected.dataSync()[0]!]);
  });
});
