// Section 8: the training loop (epochs, phases, progress, validation,
// checkpoints, early stop), the final test report, and `main`.
import type { SourceFile } from 'ts-morph';
import type { EmitContext } from '../context.js';
import { constant, func, section } from '../build.js';

export function emitLoop(sf: SourceFile, ctx: EmitContext): void {
  section(sf, 'Training loop');
  constant(sf, 'TRACE_TENSORS', "process.env['NNC_TRACE_TENSORS'] === '1'", 'NNC_TRACE_TENSORS=1 prints the live tensor count after every step (memory-plan check).');
  emitEpochPlan(sf, ctx);
  emitTrainEpoch(sf, ctx);
  emitTrain(sf, ctx);
  emitReport(sf, ctx);
  emitMain(sf, ctx);
}

function emitEpochPlan(sf: SourceFile, ctx: EmitContext): void {
  const phased = ctx.model.phases.length > 0;
  func(sf, {
    name: 'epochPlan',
    doc: phased
      ? 'The epochs to run: each phase of `PHASES` in order, with its own base learning rate.'
      : 'The epochs to run, each with its phase label and base learning rate.',
    params: [['flags', 'rt.TrainerFlags']],
    returns: '{ phase: string; lr: number }[]',
    body: phased
      ? ['return PHASES.flatMap((p) => Array.from({ length: p.epochs }, () => ({ phase: p.label, lr: p.lr ?? flags.lr })));']
      : ["return Array.from({ length: flags.epochs }, () => ({ phase: '', lr: flags.lr }));"],
  });
}

function emitTrainEpoch(sf: SourceFile, ctx: EmitContext): void {
  sf.addInterface({
    name: 'EpochSchedule',
    docs: ['Where an epoch sits in the run (what the learning-rate schedule needs).'],
    properties: [
      { name: 'epoch', type: 'number', docs: ['0-based epoch over the whole run.'] },
      { name: 'baseLr', type: 'number' },
      { name: 'batchSize', type: 'number' },
      { name: 'stepsPerEpoch', type: 'number' },
      { name: 'totalSteps', type: 'number' },
      { name: 'maxSteps', type: 'number | null' },
    ],
  });
  const rngArg = ctx.plan.usesRng ? ', run.rng' : '';
  func(sf, {
    name: 'trainEpoch',
    doc: 'One pass over the shuffled training set; returns the mean training loss (stops early at --max-steps).',
    params: [['run', 'Run'], ['train', 'rt.Dataset'], ['schedule', 'EpochSchedule'], ['progress', 'rt.Progress']],
    returns: 'number',
    body: [
      'const order = run.rng.permutation(train.n);',
      'let lossSum = 0;',
      'let seen = 0;',
      'for (const b of rt.batches(train, schedule.batchSize, { ...BATCH_OPTIONS, order })) {',
      '  const lr = rt.learningRate(SCHEDULE, run.step, schedule.epoch, schedule.stepsPerEpoch, schedule.baseLr, schedule.totalSteps);',
      '  const batch = toBatch(b);',
      `  const loss = trainStep(run.params, run.state, batch, lr${rngArg});`,
      '  disposeBatch(b, batch);',
      '  rt.checkFinite(loss, `the training loss at epoch ${schedule.epoch + 1}, step ${run.step + 1}`);',
      '  run.step += 1;',
      '  lossSum += loss * b.size;',
      '  seen += b.size;',
      '  progress.step(b.size, loss);',
      '  if (TRACE_TENSORS) process.stderr.write(`tensors after step ${run.step}: ${tf.memory().numTensors} (loss ${loss})\\n`);',
      '  if (schedule.maxSteps !== null && run.step >= schedule.maxSteps) break;',
      '}',
      'return lossSum / Math.max(1, seen);',
    ],
  });
}

function emitTrain(sf: SourceFile, ctx: EmitContext): void {
  const rngArg = ctx.plan.usesRng ? ', run.rng' : '';
  func(sf, {
    name: 'train',
    isAsync: true,
    doc: 'Trains `run` epoch by epoch: validation after each, `last` (and `best`) checkpoints, early stop on patience.',
    params: [['run', 'Run'], ['data', 'rt.PreparedData'], ['flags', 'rt.TrainerFlags'], ['progress', 'rt.Progress']],
    returns: 'Promise<void>',
    body: [
      'const epochs = epochPlan(flags);',
      "const batchSize = flags.batch === 'all' ? data.train.n : flags.batch;",
      'const stepsPerEpoch = rt.batchCount(data.train.n, batchSize);',
      'for (let epoch = run.epoch; epoch < epochs.length; epoch++) {',
      '  const { phase, lr: baseLr } = epochs[epoch]!;',
      '  if (phase !== \'\' && (epoch === 0 || epochs[epoch - 1]!.phase !== phase)) progress.log(`phase ${phase}`);',
      '  progress.startEpoch(epoch + 1, epochs.length, stepsPerEpoch);',
      '  const schedule = { epoch, baseLr, batchSize, stepsPerEpoch, totalSteps: epochs.length * stepsPerEpoch, maxSteps: flags.maxSteps };',
      '  const trainLoss = trainEpoch(run, data.train, schedule, progress);',
      '  const summary: Record<string, number> = { loss: trainLoss };',
      '  let monitored = trainLoss;',
      '  if (data.validation !== null) {',
      `    const validation = evaluate(run.params, data.validation, batchSize${rngArg});`,
      '    for (const [name, value] of Object.entries(validation.metrics)) summary[`val_${name}`] = value;',
      '    summary[\'val_loss\'] = validation.loss;',
      '    monitored = validation.loss;',
      '  }',
      '  progress.endEpoch(summary);',
      '  run.epoch = epoch + 1;',
      '  const improved = monitored < run.bestLoss;',
      '  if (improved) run.bestLoss = monitored;',
      '  run.staleEpochs = improved ? 0 : run.staleEpochs + 1;',
      '  if (flags.checkpointDir !== null) {',
      "    await saveRun(flags.checkpointDir, 'last', run);",
      "    if (improved) await saveRun(flags.checkpointDir, 'best', run);",
      '  }',
      '  if (flags.maxSteps !== null && run.step >= flags.maxSteps) break;',
      '  if (PATIENCE !== null && run.staleEpochs >= PATIENCE) {',
      '    progress.log(`early stop: no improvement for ${PATIENCE} epochs`);',
      '    break;',
      '  }',
      '}',
    ],
  });
}

function emitReport(sf: SourceFile, ctx: EmitContext): void {
  const rngArg = ctx.plan.usesRng ? ', rng' : '';
  func(sf, {
    name: 'report',
    doc: 'Prints the final test metrics and, for classifiers, the confusion matrix.',
    params: [['params', 'Params'], ['test', 'rt.Dataset'], ['batchSize', 'number'], ...(ctx.plan.usesRng ? [['rng', 'rt.Rng'] as [string, string]] : [])],
    returns: 'void',
    body: [
      `const result = evaluate(params, test, batchSize${rngArg});`,
      "console.log(`test: ${rt.formatMetrics({ loss: result.loss, ...result.metrics })}`);",
      'if (result.confusion !== null) console.log(rt.formatConfusionMatrix(result.confusion));',
    ],
  });
}

function emitMain(sf: SourceFile, ctx: EmitContext): void {
  const rngArg = ctx.plan.usesRng ? ', run.rng' : '';
  func(sf, {
    name: 'main',
    isAsync: true,
    doc: 'Parses the flags, picks the backend, loads the data, trains, and reports on the test set.',
    params: [],
    returns: 'Promise<void>',
    body: [
      'const flags = rt.parseFlags(process.argv.slice(2), DEFAULTS);',
      'if (flags.help) {',
      "  process.stdout.write(rt.helpText('train.ts', DEFAULTS));",
      '  return;',
      '}',
      'await rt.initBackend(flags.backend);',
      'K = uploadConstants();',
      'if (DATA === null) throw new rt.UsageError(`${MODEL} has no data block: there is nothing to train on`);',
      '// The data split uses the seed, so --resume sees the same split.',
      'const rng = new rt.Rng(flags.seed);',
      'const data = rt.prepareData(DATA, { dataDir: flags.dataDir, classes: CLASSES ?? undefined, rng, limit: flags.limit });',
      "rt.checkFeatureShape(data.train, INPUT_SHAPE, 'the training data');",
      'const progress = new rt.Progress({ quiet: flags.quiet });',
      'let run: Run;',
      'if (flags.resume && flags.checkpointDir !== null) {',
      '  run = await restoreRun(flags.checkpointDir);',
      '  progress.log(`resuming from ${flags.checkpointDir} after epoch ${run.epoch} (step ${run.step})`);',
      '} else {',
      '  const params = initParams(rng);',
      '  run = { params, state: initOptimizerState(params), rng, epoch: 0, step: 0, bestLoss: Infinity, staleEpochs: 0 };',
      '}',
      'await train(run, data, flags, progress);',
      `if (data.test !== null) report(run.params, data.test, flags.batch === 'all' ? data.test.n : flags.batch${rngArg});`,
    ],
  });
  sf.addStatements((w) => {
    w.blankLine();
    w.writeLine('main().catch(rt.exitOnError);');
  });
}
