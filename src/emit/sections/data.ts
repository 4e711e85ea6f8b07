// Section 6: data — how a runtime batch becomes the model's `Batch`, and the
// evaluation pass (loss, metrics, confusion matrix) over a whole dataset.
import type { ProgramBuilder } from '../program.js';
import type { GraphInput } from '../../ir/types.js';
import { typeText, type EmitContext } from '../context.js';
import { constant, func, record, section } from '../build.js';
import { literal } from '../literal.js';
import { textInput } from './text.js';

/** How the target is fed: int32 labels, one-hot rows, or float labels (binary/regression). */
export type TargetFeed = { kind: 'labels' } | { kind: 'oneHot'; classes: number } | { kind: 'float' };

export function modelIo(ctx: EmitContext): { input: GraphInput; target: GraphInput; feed: TargetFeed } {
  const inputs = ctx.tg.inputs.filter((i) => i.role === 'input');
  const targets = ctx.tg.inputs.filter((i) => i.role === 'target');
  if (inputs.length !== 1 || targets.length !== 1) {
    throw new Error(`nnc emits trainers for one input and one target; ${ctx.model.name} has ${inputs.length} and ${targets.length}`);
  }
  const target = targets[0]!;
  const last = target.type.shape[target.type.shape.length - 1];
  const classes = ctx.model.classes;
  const feed: TargetFeed =
    target.type.dtype === 'i32'
      ? { kind: 'labels' }
      : target.type.shape.length === 2 && classes !== null && classes > 1 && last === classes
        ? { kind: 'oneHot', classes }
        : { kind: 'float' };
  return { input: inputs[0]!, target, feed };
}

export function emitData(out: ProgramBuilder, ctx: EmitContext): void {
  const { input, target, feed } = modelIo(ctx);
  const inputField = ctx.plan.inputFields.get(input.name)!;
  const targetField = ctx.plan.inputFields.get(target.name)!;
  section(out, 'Data', ['Examples are loaded on the host and fed one batch at a time; every batch is disposed after use.']);
  const featureShape = input.type.shape.slice(1).map(Number);
  constant(out, 'INPUT_SHAPE', literal(featureShape), `The shape of one \`${input.name}\` example (without the batch axis).`, 'readonly number[]');
  const options = feed.kind === 'oneHot' ? `{ oneHot: ${feed.classes} }` : '{}';
  constant(out, 'BATCH_OPTIONS', options, feed.kind === 'oneHot' ? 'Targets are fed as one-hot rows.' : 'Targets are fed as class indices.', 'rt.BatchOptions');
  const column = feed.kind === 'float' && target.type.shape.length === 2;
  const text = textInput(ctx);
  if (text !== null) {
    constant(out, 'TEXT', literal({ vocab: text.vocab, length: text.length }), `\`${input.name}\` is text: token ids over a vocabulary of ${text.vocab} (0 = padding, 1 = unknown word), ${text.length} per example.`, 'rt.TextSpec');
  }
  // Text examples are token ids, carried as floats on the host: the model takes them as int32.
  const x = text !== null ? "tf.cast(b.x, 'int32')" : 'b.x';
  const body =
    feed.kind !== 'float'
      ? [`return { ${inputField}: ${x}, ${targetField}: b.y };`]
      : column
        ? [
            "const labels = tf.cast(b.y, 'float32');",
            `// The target is a column: ${typeText(target.type)}.`,
            'const column = tf.reshape(labels, [-1, 1]);',
            'labels.dispose();',
            `return { ${inputField}: ${x}, ${targetField}: column };`,
          ]
        : [`return { ${inputField}: ${x}, ${targetField}: tf.cast(b.y, 'float32') };`];
  const ownInput = text !== null ? [`batch.${inputField}.dispose();`] : [];
  func(out, {
    name: 'toBatch',
    doc: `Binds a runtime batch to the model's inputs: \`${input.name}\` ← features, \`${target.name}\` ← targets.`,
    params: [['b', 'rt.Batch']],
    returns: 'Batch',
    body,
  });
  func(out, {
    name: 'disposeBatch',
    doc: 'Frees a batch once the step is done with it.',
    params: [['b', 'rt.Batch'], ['batch', 'Batch']],
    returns: 'void',
    body:
      feed.kind === 'float'
        ? [...ownInput, `batch.${targetField}.dispose();`, 'b.dispose();']
        : ownInput.length > 0
          ? [...ownInput, 'b.dispose();']
          : ['void batch; // toBatch made no tensors of its own', 'b.dispose();'],
  });
  emitEvaluation(out, ctx);
}

function emitEvaluation(out: ProgramBuilder, ctx: EmitContext): void {
  const classification = ctx.model.classes !== null;
  // A binary target keeps each example's score (logit) for precision/recall/F1 and ROC AUC.
  const binary = classification && modelIo(ctx).target.type.dtype === 'f32' && ctx.model.classes === 2;
  record(out, 'Evaluation', 'The result of evaluating the model on a dataset.', [
    { name: 'loss', type: 'number', doc: 'Mean loss per example.' },
    { name: 'metrics', type: 'Record<string, number>', doc: 'The configured metrics, by name.' },
    { name: 'confusion', type: 'number[][] | null', doc: 'confusion[true][predicted] (null for regression).' },
  ]);
  if (classification) emitPredictClasses(out, ctx);
  if (binary) emitBinaryMetrics(out);
  const rngArg = ctx.usesRng ? ', rng' : '';
  const body = [
    'let lossSum = 0;',
    ...(classification ? ['const predicted = new Int32Array(ds.n);'] : []),
    ...(binary ? ['const scores = new Float32Array(ds.n);'] : []),
    'let offset = 0;',
    'for (const b of rt.batches(ds, batchSize, BATCH_OPTIONS)) {',
    '  const batch = toBatch(b);',
    `  const fwd = forward(params, batch, false${rngArg});`,
    '  lossSum += readLoss(fwd.loss) * b.size;',
    ...(classification ? ['  predicted.set(predictClasses(fwd.prediction), offset);'] : []),
    ...(binary ? ['  scores.set(fwd.prediction.dataSync(), offset);'] : []),
    '  offset += b.size;',
    '  tf.dispose(Object.values(fwd));',
    '  disposeBatch(b, batch);',
    '}',
    'const loss = lossSum / Math.max(1, offset);',
  ];
  if (classification) {
    body.push(
      'const report = rt.classificationReport(ds.y, predicted, CLASSES ?? 2);',
      'const byName: Record<string, number> = {',
      '  loss,',
      '  accuracy: report.accuracy,',
      '  macro_precision: report.macroPrecision,',
      '  macro_recall: report.macroRecall,',
      '  macro_f1: report.macroF1,',
      ...(binary
        ? ['  // Binary: the positive class (1) at threshold logit > 0; ROC AUC over the scores.', '  ...binaryMetrics(rt.binaryReport(ds.y, scores)),']
        : []),
      '};',
      'const metrics: Record<string, number> = {};',
      'for (const name of METRICS) metrics[name] = byName[name] ?? NaN;',
      'return { loss, metrics, confusion: report.confusion };',
    );
  } else {
    body.push('return { loss, metrics: { loss }, confusion: null };');
  }
  func(out, {
    name: 'evaluate',
    doc: 'Runs the forward pass (dropout off) over `ds` and scores it.',
    params: [['params', 'Params'], ['ds', 'rt.Dataset'], ['batchSize', 'number'], ...(ctx.usesRng ? [['rng', 'rt.Rng'] as [string, string]] : [])],
    returns: 'Evaluation',
    body,
  });
}

function emitBinaryMetrics(out: ProgramBuilder): void {
  func(out, {
    name: 'binaryMetrics',
    doc: 'The binary metrics by their `.nn` names.',
    params: [['r', 'rt.BinaryReport']],
    returns: 'Record<string, number>',
    body: ['return { precision: r.precision, recall: r.recall, f1: r.f1, roc_auc: r.rocAuc };'],
  });
}

function emitPredictClasses(out: ProgramBuilder, ctx: EmitContext): void {
  const pred = ctx.tg.graph.nodes[ctx.tg.outputs['prediction'] ?? ctx.tg.loss]!.type.shape;
  const last = pred[pred.length - 1];
  const perClass = pred.length === 2 && typeof last === 'number' && last > 1;
  func(out, {
    name: 'predictClasses',
    doc: perClass ? 'The predicted class of each row: the arg-max of its scores.' : 'The predicted class of each example: 1 where the logit is positive.',
    params: [['prediction', 'tf.Tensor']],
    returns: 'Int32Array',
    body: perClass
      ? [`return rt.argmaxRows(prediction.dataSync(), ${last});`]
      : ['const logits = prediction.dataSync();', 'return Int32Array.from(logits, (z) => (z > 0 ? 1 : 0));'],
  });
}
