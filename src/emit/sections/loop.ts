// Section 8: the training loop (epochs, phases, progress, validation,
// checkpoints, early stop), the final test report, and `main`.
import type { ProgramBuilder } from '../program.js';
import type { EmitContext } from '../context.js';
import { constant, func, section } from '../build.js';
import { encodeTextLines, textInput } from './text.js';

export function emitLoop(out: ProgramBuilder, ctx: EmitContext): void {
  section(out, 'Training loop');
  constant(out, 'TRACE_TENSORS', "process.env['NNC_TRACE_TENSORS'] === '1'", 'NNC_TRACE_TENSORS=1 prints the live tensor count after every step (memory-plan check), not counting what the runtime holds on purpose (cached constants).');
  emitEpochPlan(out, ctx);
  emitTrainEpoch(out, ctx);
  emitTrain(out, ctx);
  emitReport(out, ctx);
  emitMain(out, ctx);
}

function emitEpochPlan(out: ProgramBuilder, ctx: EmitContext): void {
  const phased = ctx.model.phases.length > 0;
  out.addInterface({
    name: 'PlannedEpoch',
    docs: ['One epoch of the run: its phase, base learning rate, schedule and training step.'],
    properties: [
      { name: 'phase', type: 'string', docs: ["The phase label ('' without phases)."] },
      { name: 'lr', type: 'number' },
      { name: 'schedule', type: 'rt.Schedule' },
      { name: 'step', type: 'StepFn' },
      { name: 'phaseStart', type: 'number', docs: ["Index of the phase's first epoch (the schedule restarts there)."] },
      { name: 'phaseEpochs', type: 'number' },
    ],
  });
  if (phased) {
    const steps = ctx.model.phases.map((p) => `trainStep${ctx.variants.find((v) => v.phases.includes(p.label))!.suffix}`);
    constant(out, 'PHASE_STEPS', `[${steps.join(', ')}]`, 'The training step of each phase (its own trainable parameters).', 'readonly StepFn[]');
  }
  func(out, {
    name: 'epochPlan',
    doc: phased
      ? 'The epochs to run: each phase of `PHASES` in order, with its learning rate, schedule and step.'
      : 'The epochs to run (--epochs of them), all with the same learning rate, schedule and step.',
    params: [['flags', 'rt.TrainerFlags']],
    returns: 'PlannedEpoch[]',
    body: phased
      ? [
          'const plan: PlannedEpoch[] = [];',
          'PHASES.forEach((p, i) => {',
          '  const phaseStart = plan.length;',
          '  for (let e = 0; e < p.epochs; e++) {',
          '    plan.push({ phase: p.label, lr: p.lr ?? flags.lr, schedule: p.schedule ?? SCHEDULE, step: PHASE_STEPS[i]!, phaseStart, phaseEpochs: p.epochs });',
          '  }',
          '});',
          'return plan;',
        ]
      : ["return Array.from({ length: flags.epochs }, () => ({ phase: '', lr: flags.lr, schedule: SCHEDULE, step: trainStep, phaseStart: 0, phaseEpochs: flags.epochs }));"],
  });
}

function emitTrainEpoch(out: ProgramBuilder, ctx: EmitContext): void {
  const rngArg = ctx.usesRng ? ', run.rng' : '';
  out.addInterface({
    name: 'EpochContext',
    docs: ['Where an epoch sits in the run.'],
    properties: [
      { name: 'epoch', type: 'number', docs: ['0-based epoch over the whole run.'] },
      { name: 'planned', type: 'PlannedEpoch' },
      { name: 'batchSize', type: 'number' },
      { name: 'stepsPerEpoch', type: 'number' },
      { name: 'maxSteps', type: 'number | null' },
    ],
  });
  func(out, {
    name: 'trainEpoch',
    doc: 'One pass over the shuffled training set; returns the mean training loss (stops early at --max-steps).',
    params: [['run', 'Run'], ['train', 'rt.Dataset'], ['at', 'EpochContext'], ['progress', 'rt.Progress']],
    returns: 'number',
    body: [
      'const { planned, stepsPerEpoch } = at;',
      '// The schedule runs over the current phase (the whole run without phases).',
      'const phaseStep0 = planned.phaseStart * stepsPerEpoch;',
      'const phaseSteps = planned.phaseEpochs * stepsPerEpoch;',
      'const order = run.rng.permutation(train.n);',
      'let lossSum = 0;',
      'let seen = 0;',
      'for (const b of rt.batches(train, at.batchSize, { ...BATCH_OPTIONS, order })) {',
      '  const lr = rt.learningRate(planned.schedule, run.step - phaseStep0, at.epoch - planned.phaseStart, stepsPerEpoch, planned.lr, phaseSteps);',
      '  const batch = toBatch(b);',
      `  const loss = planned.step(run.params, run.state, batch, lr${rngArg});`,
      '  disposeBatch(b, batch);',
      '  rt.checkFinite(loss, `the training loss at epoch ${at.epoch + 1}, step ${run.step + 1}`);',
      '  run.step += 1;',
      '  lossSum += loss * b.size;',
      '  seen += b.size;',
      '  progress.step(b.size, loss);',
      '  if (TRACE_TENSORS) process.stderr.write(`tensors after step ${run.step}: ${tf.memory().numTensors - rt.heldTensors()} (loss ${loss})\\n`);',
      '  if (at.maxSteps !== null && run.step >= at.maxSteps) break;',
      '}',
      'return lossSum / Math.max(1, seen);',
    ],
  });
}

function emitTrain(out: ProgramBuilder, ctx: EmitContext): void {
  const rngArg = ctx.usesRng ? ', run.rng' : '';
  func(out, {
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
      '  const planned = epochs[epoch]!;',
      '  if (planned.phase !== \'\' && epoch === planned.phaseStart) {',
      '    progress.log(`phase ${planned.phase}`);',
      '    // Each phase starts with a fresh optimizer: its own moments and update count.',
      '    if (epoch > 0) {',
      '      disposeOptimizerState(run.state);',
      '      run.state = initOptimizerState(run.params);',
      '    }',
      '  }',
      '  progress.startEpoch(epoch + 1, epochs.length, stepsPerEpoch);',
      '  const trainLoss = trainEpoch(run, data.train, { epoch, planned, batchSize, stepsPerEpoch, maxSteps: flags.maxSteps }, progress);',
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

function emitReport(out: ProgramBuilder, ctx: EmitContext): void {
  const rngArg = ctx.usesRng ? ', rng' : '';
  func(out, {
    name: 'report',
    doc: 'Prints the final test metrics and, for classifiers, the confusion matrix.',
    params: [['params', 'Params'], ['test', 'rt.Dataset'], ['batchSize', 'number'], ...(ctx.usesRng ? [['rng', 'rt.Rng'] as [string, string]] : [])],
    returns: 'void',
    body: [
      `const result = evaluate(params, test, batchSize${rngArg});`,
      "console.log(`test: ${rt.formatMetrics({ loss: result.loss, ...result.metrics })}`);",
      'if (result.confusion !== null) console.log(rt.formatConfusionMatrix(result.confusion));',
    ],
  });
}

function emitMain(out: ProgramBuilder, ctx: EmitContext): void {
  const text = textInput(ctx);
  const rngArg = ctx.usesRng ? ', run.rng' : '';
  func(out, {
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
      ...(text !== null ? encodeTextLines() : []),
      "rt.checkFeatureShape(data.train, INPUT_SHAPE, 'the training data');",
      // Every set takes the model's input shape (IDX images [28, 28] feed an f32[28, 28, 1] input).
      "if (data.validation !== null) rt.checkFeatureShape(data.validation, INPUT_SHAPE, 'the validation data');",
      "if (data.test !== null) rt.checkFeatureShape(data.test, INPUT_SHAPE, 'the test data');",
      'const progress = new rt.Progress({ quiet: flags.quiet });',
      'let run: Run;',
      'if (flags.resume && flags.checkpointDir !== null) {',
      '  run = await restoreRun(flags.checkpointDir);',
      '  progress.log(`resuming from ${flags.checkpointDir} after epoch ${run.epoch} (step ${run.step})`);',
      '} else {',
      '  const params = initParams(rng);',
      ...(ctx.model.initFrom !== null ? ['  await loadInitialParams(params);', '  progress.log(`initialised from ${INIT_FROM.path}`);'] : []),
      `  run = { params, state: initOptimizerState(params), rng, epoch: 0, step: 0, bestLoss: Infinity, staleEpochs: 0${text !== null ? ', vocabulary' : ''} };`,
      '}',
      'await train(run, data, flags, progress);',
      `if (data.test !== null) report(run.params, data.test, flags.batch === 'all' ? data.test.n : flags.batch${rngArg});`,
    ],
  });
  // `main` runs from the entry-point section (sections/entry.ts), only when this file is the program run.
}
