// Training recipe → config: documented defaults, and located errors for
// invalid values.
import { describe, expect, it } from 'vitest';
import { check, checkOk, checkUnnamed, mlp } from './helpers.js';

describe('recipe defaults', () => {
  it('fills in every default when the recipe is absent', () => {
    const m = checkOk(mlp());
    expect(m.optimizer).toEqual({ kind: 'sgd', lr: 0.01, hyper: {}, clipNorm: null });
    expect(m.schedule).toEqual({ kind: 'constant', hyper: {}, durations: {}, milestones: [], warmup: null });
    expect(m.train).toEqual({ epochs: 10, batch: 32, seed: 0, metrics: ['accuracy'], patience: null });
    expect(m.data).toBeNull();
    expect(m.phases).toEqual([]);
    expect(m.initFrom).toBeNull();
  });

  it('fills optimizer hyperparameters with the tfjs/Keras defaults', () => {
    const opt = (o: string) => checkOk(mlp({ extra: `optimizer = ${o}` })).optimizer;
    expect(opt('adam')).toEqual({ kind: 'adam', lr: 0.001, hyper: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weight_decay: 0 }, clipNorm: null });
    expect(opt('adamw(lr: 3e-4)').hyper['weight_decay']).toBe(0.01);
    expect(opt('momentum').hyper['momentum']).toBe(0.9);
    expect(opt('rmsprop').hyper['rho']).toBe(0.9);
    expect(opt('adagrad').hyper['initial_accumulator']).toBe(0.1);
    expect(opt('sgd(lr: 0.1, clip_norm: 5)')).toEqual({ kind: 'sgd', lr: 0.1, hyper: { weight_decay: 0 }, clipNorm: 5 });
  });

  it('reads schedules with durations and warmup', () => {
    const s = (x: string) => checkOk(mlp({ extra: `schedule = ${x}` })).schedule;
    expect(s('cosine(warmup: 1 epoch)')).toEqual({ kind: 'cosine', hyper: { min_lr: 0 }, durations: {}, milestones: [], warmup: { value: 1, unit: 'epoch' } });
    expect(s('step(every: 100 steps, gamma: 0.5)')).toMatchObject({ hyper: { gamma: 0.5 }, durations: { every: { value: 100, unit: 'step' } } });
    expect(s('multistep(milestones: [3 epoch, 6 epoch])').milestones).toEqual([
      { value: 3, unit: 'epoch' },
      { value: 6, unit: 'epoch' },
    ]);
    expect(s('exponential').durations['every']).toEqual({ value: 1, unit: 'epoch' });
  });

  it('reads data sources and splits', () => {
    const m = checkOk(
      mlp({
        extra: `data {
  train = csv("data/digits.csv.gz", label: "label", scale: 1/16)
  test = split(train, 0.2, stratified)
}`,
      }),
    );
    expect(m.data?.train).toMatchObject({ kind: 'csv', path: 'data/digits.csv.gz', label: 'label', scale: 1 / 16, header: true });
    expect(m.data?.test).toMatchObject({ from: 'train', fraction: 0.2, stratified: true });
    expect(m.data?.validation).toBeNull();
  });

  it('reads train settings, batch: all and clip_norm', () => {
    const m = checkOk(mlp({ extra: 'train { epochs: 3, batch: all, seed: 7, metrics: [accuracy, macro_f1], patience: 2, clip_norm: 1 }' }));
    expect(m.train).toEqual({ epochs: 3, batch: 'all', seed: 7, metrics: ['accuracy', 'macro_f1'], patience: 2 });
    expect(m.optimizer.clipNorm).toBe(1);
  });
});

describe('recipe errors', () => {
  const errors = (extra: string) => {
    const r = check(mlp({ extra }));
    expect(r.reachedChecker).toBe(true);
    expect(r.model).toBeNull();
    return r.text;
  };

  it('a negative learning rate', () => {
    expect(errors('optimizer = adam(lr: -1e-3)')).toBe(`spec.nn:9:22: error NNC3017: adam: \`lr\` must be a positive number, got -0.001
  |
9 | optimizer = adam(lr: -1e-3)
  |                      ^~~~~
  hint: the learning rate is a positive number, e.g. lr: 1e-3`);
  });

  it('hyperparameters out of range', () => {
    expect(errors('optimizer = adam(beta2: 1)')).toContain('adam: `beta2` must be a number in [0, 1), got 1');
    expect(errors('optimizer = momentum(momentum: -0.5)')).toContain('momentum: `momentum` must be a number in [0, 1), got -0.5');
    expect(errors('schedule = step(every: 1 epoch, gamma: 2)')).toContain('step: `gamma` must be a number in (0, 1], got 2');
    expect(errors('schedule = cosine(warmup: 1.5 steps)')).toContain('cosine: `warmup` must be a positive whole number of steps, got 1.5 step');
  });

  it('a split fraction outside (0, 1)', () => {
    const text = errors('data {\n  train = csv("d.csv")\n  test = split(train, 1.5)\n}');
    expect(text).toContain('spec.nn:11:23: error NNC3017: split: `fraction` must be a number in (0, 1), got 1.5');
    expect(text).toContain('hint: the fraction of rows held out, e.g. 0.2');
  });

  it('a data block without train, and a non-positive scale', () => {
    expect(errors('data {\n  test = csv("d.csv")\n}')).toContain('error NNC3009: the data block has no `train = …`');
    expect(errors('data {\n  train = idx("a", "b", scale: 0)\n}')).toContain('idx: `scale` must be a positive number, got 0');
  });

  it('train values that are not positive integers', () => {
    expect(errors('train { epochs: 0 }')).toContain('train: `epochs` must be a positive integer, got 0');
    expect(errors('train { batch: 0 }')).toContain('train: `batch` must be a positive integer or `all`, got 0');
  });

  it('classification metrics on a regression model', () => {
    const r = check(mlp({ inputs: 'input x: f32[8]\ntarget y: f32[3]', loss: 'mse(logits, y)', extra: 'train { metrics: [accuracy] }' }));
    expect(r.text).toContain('error NNC3007: metric `accuracy` needs a class or binary target; this model does regression');
  });

  it('an unknown setting, even without the name checker', () => {
    const r = checkUnnamed(mlp({ extra: 'optimiser = adam' }));
    expect(r.text).toContain("spec.nn:9:1: error NNC2002: unknown setting `optimiser`");
    expect(r.text).toContain('hint: did you mean `optimizer`?');
  });

  it('a missing loss or net', () => {
    const noLoss = checkUnnamed('model m\ninput x: f32[8]\ntarget y: class(3)\nnet {\n  logits = dense(x, 3)\n}\n');
    expect(noLoss.model).toBeNull();
    expect(noLoss.text).toContain('spec.nn:1:1: error NNC2004: the spec has no `loss = …`');
    const noNet = checkUnnamed('model m\ninput x: f32[8]\ntarget y: class(3)\nloss = cross_entropy(x, y)\n');
    expect(noNet.model).toBeNull();
    expect(noNet.text).toContain('spec.nn:1:1: error NNC2004: the spec has no `net { … }` block');
    // Through the whole front end the schema reports it first, with the same code.
    expect(check('model m\ninput x: f32[8]\ntarget y: class(3)\nloss = cross_entropy(x, y)\n').codes).toEqual(['NNC2004']);
  });
});
