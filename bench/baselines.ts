// The two baselines the generated trainer is measured against, built from a
// workload's layer list with the generated trainer's initial values:
//   variableGrads: a hand-written loop — forward, tf.variableGrads (the tape),
//                  then the optimizer update written out with tf ops (same math);
//   layers:        a tfjs-layers Sequential model trained with trainOnBatch.
import * as tf from '@tensorflow/tfjs';
import { ADAM, type LayerDesc, type Workload } from './workloads.js';

export interface StepImpl {
  /** Trains on batch `i` (of the prepared ones) and returns its loss (read back to the host). */
  step(i: number): number | Promise<number>;
  dispose(): void;
}

/** One batch in every form the three implementations take. */
export interface PreparedBatch {
  x: tf.Tensor;
  /** Class indices, int32 [batch] (the generated trainer's target feed). */
  labels: tf.Tensor;
  /** One-hot rows, f32 [batch, 10] (what the baselines' losses take). */
  oneHot: tf.Tensor;
}

export interface Initial {
  values: Float32Array;
  shape: number[];
}

/** The forward pass of `layers` over parameters `p` (weight, bias per dense/conv layer, in order). */
function forward(layers: readonly LayerDesc[], p: readonly tf.Tensor[], x: tf.Tensor, training: boolean): tf.Tensor {
  let h = x;
  let k = 0;
  for (const l of layers) {
    if (l.kind === 'dense' || l.kind === 'conv') {
      const w = p[k++]!;
      const b = p[k++]!;
      const z = l.kind === 'dense' ? tf.matMul(h as tf.Tensor2D, w as tf.Tensor2D) : tf.conv2d(h as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
      h = tf.add(z, b);
      if (l.relu) h = tf.relu(h);
    } else if (l.kind === 'pool') h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
    else if (l.kind === 'flatten') h = tf.reshape(h, [h.shape[0]!, -1]);
    else if (training) h = tf.dropout(h, l.rate);
  }
  return h;
}

/** Kernels (rank ≥ 2 parameters) take the L2 penalty; biases do not. */
const isKernel = (shape: readonly number[]) => shape.length >= 2;

export function variableGradsLoop(w: Workload, init: readonly Initial[], batches: readonly PreparedBatch[]): StepImpl {
  const vars = init.map((p, i) => tf.variable(tf.tensor(p.values, p.shape), true, `bench_p${i}_${Math.random()}`));
  const m = init.map((p) => tf.variable(tf.zeros(p.shape), false));
  const v = init.map((p) => tf.variable(tf.zeros(p.shape), false));
  let t = 0;
  const lossOf = (b: PreparedBatch) => () => {
    const logits = forward(w.layers, vars, b.x, true);
    let loss = tf.losses.softmaxCrossEntropy(b.oneHot, logits);
    if (w.l2 > 0) loss = tf.add(loss, tf.mul(w.l2, tf.addN(vars.filter((x) => isKernel(x.shape)).map((x) => tf.sum(tf.square(x))))));
    return loss as tf.Scalar;
  };
  return {
    step(i) {
      return tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossOf(batches[i % batches.length]!), vars);
        t += 1;
        vars.forEach((x, j) => {
          const g = grads[x.name]!;
          if (w.optimizer === 'sgd') {
            x.assign(tf.sub(x, tf.mul(g, w.lr)));
            return;
          }
          // Textbook Adam: m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², w ← w − lr m̂ / (√v̂ + ε).
          const mj = tf.add(tf.mul(m[j]!, ADAM.beta1), tf.mul(g, 1 - ADAM.beta1));
          const vj = tf.add(tf.mul(v[j]!, ADAM.beta2), tf.mul(tf.square(g), 1 - ADAM.beta2));
          m[j]!.assign(mj);
          v[j]!.assign(vj);
          const mHat = tf.div(mj, 1 - ADAM.beta1 ** t);
          const vHat = tf.div(vj, 1 - ADAM.beta2 ** t);
          x.assign(tf.sub(x, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), ADAM.epsilon)), w.lr)));
        });
        return value.dataSync()[0]!;
      });
    },
    dispose() {
      tf.dispose([...vars, ...m, ...v]);
    },
  };
}

export function layersModel(w: Workload, init: readonly Initial[], batches: readonly PreparedBatch[]): StepImpl {
  const model = tf.sequential();
  const reg = w.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: w.l2 }) } : {};
  w.layers.forEach((l, i) => {
    const first = i === 0 ? { inputShape: w.inputShape } : {};
    const last = i === w.layers.length - 1;
    if (l.kind === 'dense') model.add(tf.layers.dense({ units: l.units, activation: l.relu ? 'relu' : last ? 'softmax' : 'linear', ...reg, ...first }));
    else if (l.kind === 'conv') model.add(tf.layers.conv2d({ filters: l.filters, kernelSize: 3, padding: 'same', activation: 'relu', ...reg, ...first }));
    else if (l.kind === 'pool') model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'valid', ...first }));
    else if (l.kind === 'flatten') model.add(tf.layers.flatten(first));
    else model.add(tf.layers.dropout({ rate: l.rate, ...first }));
  });
  const optimizer = w.optimizer === 'sgd' ? tf.train.sgd(w.lr) : tf.train.adam(w.lr, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const weights = init.map((p) => tf.tensor(p.values, p.shape));
  model.setWeights(weights);
  tf.dispose(weights);
  return {
    async step(i) {
      const b = batches[i % batches.length]!;
      const loss = await model.trainOnBatch(b.x, b.oneHot);
      return Array.isArray(loss) ? loss[0]! : loss;
    },
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}
