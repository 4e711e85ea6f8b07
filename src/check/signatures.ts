// THE table of everything a spec can call or set: layers, expression
// functions and losses, optimizers, schedules, data sources, initialisers,
// metrics, activations, value types, and the keys of `train { }` and phases.
// Name checking, shape inference, lowering and the docs all read this table,
// so a callable is added in exactly one place.

/** What kind of value an argument takes. */
export type ArgType =
  | 'tensor' // any expression over bound names
  | 'int'
  | 'number'
  | 'string'
  | 'flag' // a bare word given positionally (`stratified`) or `name: true|false`
  | 'duration' // `1 epoch`, `500 steps`
  | 'durations' // a list of durations
  | 'activation' // a name from ACTIVATIONS
  | 'initialiser' // a name or call from INITIALISERS
  | 'enum' // one of `values`
  | 'shape' // a list of dimension expressions
  | 'source' // a data binding name (`split(train, …)`)
  | 'metrics' // a list of names from METRICS
  | 'schedule' // a name or call from SCHEDULES
  | 'params' // parameter names or globs: `h`, `encoder.*`, `[a, b]`
  | 'int_or_all' // a count or the word `all` (`batch: all`)
  | 'ints'; // a list of whole numbers (`classes: [5, 6, 7]`)

export type DefaultValue = number | string | boolean | null;

export interface ParamSig {
  name: string;
  type: ArgType;
  /** May be given by position (in table order) as well as by name. */
  positional: boolean;
  /** Absent: the argument is required. */
  default?: DefaultValue;
  /** Allowed words for `enum`. */
  values?: readonly string[];
  /** Takes all remaining positional arguments (`l2(a, b, c)`). */
  variadic?: boolean;
}

export type Category = 'layer' | 'function' | 'optimizer' | 'schedule' | 'data' | 'initialiser' | 'type';

export interface Signature {
  name: string;
  category: Category;
  params: readonly ParamSig[];
  /** One line for docs and hints. */
  doc: string;
  /** Layers that own trainable parameters, named `<binding>.<param>` (e.g. `h.weight`). */
  paramNames?: readonly string[];
}

// ------------------------------------------------------------ helpers

const req = (name: string, type: ArgType, extra: Partial<ParamSig> = {}): ParamSig => ({ name, type, positional: true, ...extra });
const opt = (name: string, type: ArgType, dflt: DefaultValue, extra: Partial<ParamSig> = {}): ParamSig => ({ name, type, positional: true, default: dflt, ...extra });
const named = (name: string, type: ArgType, dflt: DefaultValue, extra: Partial<ParamSig> = {}): ParamSig => ({ name, type, positional: false, default: dflt, ...extra });
const x = req('x', 'tensor');
const PADDING = ['same', 'valid'] as const;

function table(category: Category, sigs: Omit<Signature, 'category'>[]): ReadonlyMap<string, Signature> {
  return new Map(sigs.map((s) => [s.name, { ...s, category }]));
}

export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'log_softmax'] as const;

export const METRICS = [
  'accuracy', 'macro_precision', 'macro_recall', 'macro_f1', 'loss',
  // binary classification (positive class), planned with text inputs
  'precision', 'recall', 'f1', 'roc_auc',
] as const;

// ------------------------------------------------------------ layers (may own parameters)

export const LAYERS = table('layer', [
  { name: 'dense', doc: 'fully connected: x @ weight + bias, then the activation', paramNames: ['weight', 'bias'],
    params: [x, req('units', 'int'), named('activation', 'activation', 'linear'), named('use_bias', 'flag', true), named('init', 'initialiser', 'glorot_uniform'), named('bias_init', 'initialiser', 'zeros')] },
  { name: 'flatten', doc: 'reshape to [batch, product of the other axes]', params: [x] },
  { name: 'reshape', doc: 'reshape the non-batch axes', params: [x, req('shape', 'shape')] },
  { name: 'dropout', doc: 'zero a random fraction `rate` of activations while training (inverted scaling)', params: [x, opt('rate', 'number', 0.5)] },
  { name: 'conv2d', doc: '2-D convolution over NHWC input', paramNames: ['weight', 'bias'],
    params: [x, req('filters', 'int'), opt('kernel', 'int', 3), named('stride', 'int', 1), named('padding', 'enum', 'valid', { values: PADDING }), named('dilation', 'int', 1), named('activation', 'activation', 'linear'), named('use_bias', 'flag', true), named('init', 'initialiser', 'he_normal'), named('bias_init', 'initialiser', 'zeros')] },
  { name: 'max_pool', doc: '2-D max pooling over NHWC input', params: [x, opt('size', 'int', 2), named('stride', 'int', null), named('padding', 'enum', 'valid', { values: PADDING })] },
  { name: 'avg_pool', doc: '2-D average pooling over NHWC input', params: [x, opt('size', 'int', 2), named('stride', 'int', null), named('padding', 'enum', 'valid', { values: PADDING })] },
  { name: 'global_avg_pool', doc: 'mean over the spatial axes of NHWC input', params: [x] },
  { name: 'batch_norm', doc: 'batch normalisation (batch statistics in training, running statistics in evaluation)', paramNames: ['gamma', 'beta', 'moving_mean', 'moving_variance'],
    params: [x, named('momentum', 'number', 0.99), named('epsilon', 'number', 1e-3)] },
  { name: 'embedding', doc: 'look up a learned vector per token id', paramNames: ['weight'], params: [x, req('dim', 'int'), named('init', 'initialiser', 'uniform')] },
  { name: 'lstm', doc: 'LSTM over time, backward pass emitted as backpropagation through time', paramNames: ['kernel', 'recurrent', 'bias'],
    params: [x, req('units', 'int'), named('return_sequences', 'flag', false), named('init', 'initialiser', 'glorot_uniform')] },
  { name: 'gru', doc: 'GRU over time', paramNames: ['kernel', 'recurrent', 'bias'], params: [x, req('units', 'int'), named('return_sequences', 'flag', false), named('init', 'initialiser', 'glorot_uniform')] },
  { name: 'mean_pool', doc: 'masked mean over the time axis (padding excluded)', params: [x] },
  { name: 'max_pool_time', doc: 'masked max over the time axis (padding excluded)', params: [x] },
]);

// ------------------------------------------------------------ expression functions and losses

const unaryFn = (name: string, doc: string) => ({ name, doc, params: [x] });

export const FUNCTIONS = table('function', [
  ...ACTIVATIONS.filter((a) => a !== 'linear' && a !== 'softmax' && a !== 'log_softmax').map((a) => unaryFn(a, `elementwise ${a}`)),
  { name: 'softmax', doc: 'softmax along an axis', params: [x, opt('axis', 'int', -1)] },
  { name: 'log_softmax', doc: 'log-softmax along an axis', params: [x, opt('axis', 'int', -1)] },
  unaryFn('exp', 'elementwise e^x'),
  unaryFn('log', 'elementwise natural logarithm'),
  unaryFn('sqrt', 'elementwise square root'),
  unaryFn('square', 'elementwise x²'),
  unaryFn('abs', 'elementwise |x|'),
  { name: 'pow', doc: 'elementwise x^p for a constant p', params: [x, req('p', 'number')] },
  { name: 'mean', doc: 'mean over axes (all axes when none given)', params: [x, opt('axis', 'int', null)] },
  { name: 'sum', doc: 'sum over axes (all axes when none given)', params: [x, opt('axis', 'int', null)] },
  { name: 'transpose', doc: 'swap the last two axes', params: [x] },
  { name: 'dim', doc: 'the size of an axis of x (a compile-time number)', params: [x, req('axis', 'int')] },
  { name: 'cross_entropy', doc: 'mean softmax cross-entropy of logits against class labels (fused, stable)', params: [req('logits', 'tensor'), req('labels', 'tensor'), named('label_smoothing', 'number', 0)] },
  { name: 'binary_cross_entropy', doc: 'mean sigmoid cross-entropy of logits against 0/1 labels (fused, stable)', params: [req('logits', 'tensor'), req('labels', 'tensor')] },
  { name: 'mse', doc: 'mean squared error', params: [req('prediction', 'tensor'), req('target', 'tensor')] },
  { name: 'l2', doc: 'sum of squares of all given tensors (weight decay term)', params: [req('tensors', 'tensor', { variadic: true })] },
]);

// ------------------------------------------------------------ training recipe

const common = [named('weight_decay', 'number', 0), named('clip_norm', 'number', null)];

export const OPTIMIZERS = table('optimizer', [
  { name: 'sgd', doc: 'plain gradient descent', params: [opt('lr', 'number', 0.01), ...common] },
  { name: 'momentum', doc: 'heavy-ball momentum', params: [opt('lr', 'number', 0.01), named('momentum', 'number', 0.9), ...common] },
  { name: 'nesterov', doc: 'Nesterov momentum', params: [opt('lr', 'number', 0.01), named('momentum', 'number', 0.9), ...common] },
  { name: 'adagrad', doc: 'AdaGrad', params: [opt('lr', 'number', 0.01), named('epsilon', 'number', 1e-7), ...common] },
  { name: 'rmsprop', doc: 'RMSProp', params: [opt('lr', 'number', 1e-3), named('rho', 'number', 0.9), named('momentum', 'number', 0), named('epsilon', 'number', 1e-7), ...common] },
  { name: 'adam', doc: 'Adam (weight_decay is L2 added to the gradient)', params: [opt('lr', 'number', 1e-3), named('beta1', 'number', 0.9), named('beta2', 'number', 0.999), named('epsilon', 'number', 1e-7), ...common] },
  { name: 'adamw', doc: 'Adam with decoupled weight decay', params: [opt('lr', 'number', 1e-3), named('beta1', 'number', 0.9), named('beta2', 'number', 0.999), named('epsilon', 'number', 1e-7), named('weight_decay', 'number', 0.01), named('clip_norm', 'number', null)] },
]);

const warmup = named('warmup', 'duration', null);

export const SCHEDULES = table('schedule', [
  { name: 'constant', doc: 'the optimizer learning rate throughout', params: [warmup] },
  { name: 'step', doc: 'multiply by gamma every `every`', params: [req('every', 'duration'), named('gamma', 'number', 0.1), warmup] },
  { name: 'multistep', doc: 'multiply by gamma at each milestone', params: [req('milestones', 'durations'), named('gamma', 'number', 0.1), warmup] },
  { name: 'exponential', doc: 'lr · gamma^epoch', params: [opt('gamma', 'number', 0.96), warmup] },
  { name: 'inverse', doc: 'lr / (1 + gamma · step)^power', params: [named('gamma', 'number', 1e-4), named('power', 'number', 0.75), warmup] },
  { name: 'poly', doc: 'polynomial decay to min_lr over the run', params: [named('power', 'number', 1), named('min_lr', 'number', 0), warmup] },
  { name: 'cosine', doc: 'cosine decay to min_lr over the run', params: [named('min_lr', 'number', 0), warmup] },
]);

export const DATA_SOURCES = table('data', [
  { name: 'csv', doc: 'rows of a CSV file (optionally .gz): numeric feature columns, or a text column, and a label column',
    params: [req('path', 'string'), named('label', 'string', 'label'), named('text', 'string', null), named('scale', 'number', 1), named('header', 'flag', true), named('classes', 'ints', null)] },
  { name: 'tsv', doc: 'rows of a tab-separated file with a text column and a label column', params: [req('path', 'string'), named('text', 'string', 'text'), named('label', 'string', 'label'), named('header', 'flag', true)] },
  { name: 'json', doc: 'an array of records with a text field and a label field', params: [req('path', 'string'), named('text', 'string', 'text'), named('label', 'string', 'label')] },
  { name: 'idx', doc: 'IDX image and label files (MNIST format)', params: [req('images', 'string'), req('labels', 'string'), named('scale', 'number', 1), named('classes', 'ints', null)] },
  { name: 'split', doc: 'take a seeded fraction of another source out as this split', params: [req('source', 'source'), req('fraction', 'number'), opt('stratified', 'flag', false)] },
]);

export const INITIALISERS = table('initialiser', [
  { name: 'zeros', doc: 'all 0', params: [] },
  { name: 'ones', doc: 'all 1', params: [] },
  { name: 'constant', doc: 'all `value`', params: [req('value', 'number')] },
  { name: 'normal', doc: 'N(mean, std²)', params: [named('mean', 'number', 0), named('std', 'number', 0.05)] },
  { name: 'uniform', doc: 'U(min, max)', params: [named('min', 'number', -0.05), named('max', 'number', 0.05)] },
  { name: 'glorot_uniform', doc: 'U(±√(6/(fan_in+fan_out)))', params: [] },
  { name: 'glorot_normal', doc: 'N(0, 2/(fan_in+fan_out))', params: [] },
  { name: 'he_uniform', doc: 'U(±√(6/fan_in))', params: [] },
  { name: 'he_normal', doc: 'N(0, 2/fan_in)', params: [] },
  { name: 'lecun_normal', doc: 'N(0, 1/fan_in)', params: [] },
]);

/** Value types of `input`/`target`. Dims (`f32[28, 28]`) exclude the implicit batch axis. */
export const TYPES = table('type', [
  { name: 'f32', doc: 'float32 tensor; dims in brackets: `f32[28, 28]`', params: [] },
  { name: 'i32', doc: 'int32 tensor; dims in brackets: `i32[40]`', params: [] },
  { name: 'class', doc: 'a class label 0..N-1 (`class(10)`)', params: [req('classes', 'int')] },
  { name: 'binary', doc: 'a 0/1 label', params: [] },
  { name: 'text', doc: 'a string tokenised to `length` ids over a vocabulary of `vocab` words', params: [named('vocab', 'int', null), named('length', 'int', null)] },
]);
/** Types written with dims in brackets. */
export const TENSOR_TYPES: ReadonlySet<string> = new Set(['f32', 'i32']);

/** Top-level `key = value` settings. */
export const SETTINGS = ['loss', 'optimizer', 'schedule'] as const;

/** Names a `data { }` block may bind. */
export const DATA_SPLITS = ['train', 'validation', 'test'] as const;

export const TRAIN_KEYS: readonly ParamSig[] = [
  named('epochs', 'int', 10),
  named('batch', 'int_or_all', 32),
  named('seed', 'int', 0),
  named('metrics', 'metrics', null),
  named('patience', 'int', null),
  named('clip_norm', 'number', null),
];

export const PHASE_KEYS: readonly ParamSig[] = [
  named('epochs', 'int', null),
  named('lr', 'number', null),
  named('unfreeze', 'params', null),
  named('freeze', 'params', null),
  named('schedule', 'schedule', null),
];

/** Every built-in callable usable inside `net { }` and `def` bodies. */
export function netCallable(name: string): Signature | undefined {
  return LAYERS.get(name) ?? FUNCTIONS.get(name);
}
