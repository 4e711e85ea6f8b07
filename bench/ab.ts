// `npm run bench:ab -- <spec> --without pool-first|fold-step|graph-step [--steps 200]` —
// what one compiler pass buys: the spec's trainer as compiled, against the
// same spec compiled without that pass (PipelineOptions.without), alternating steps of the two in one
// process (so both see the same load), on the backend given (default node).
// `graph-step` is the runtime's (rt.GraphStep): the same trainer, its steps
// alternately as one TensorFlow graph and eager (NNC_GRAPH_STEP=0 around them).
// Prints both medians and their ratio. The two start from the same seeded
// parameters and cycle the same eight synthetic batches.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { compileSpecAt } from '../src/golden.js';
import { emitFiles } from '../src/cli/emit-files.js';
import { initBackend, type BackendName } from '../src/runtime/backend.js';
import { Rng } from '../src/runtime/rng.js';
import { importTrainer, specBatch, syntheticBatches, type TrainerModule } from './generated.js';
import { median } from './measure.js';

const PASSES = ['pool-first', 'fold-step', 'graph-step'] as const;
type Pass = (typeof PASSES)[number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { without: { type: 'string' }, steps: { type: 'string', default: '200' }, backend: { type: 'string', default: 'node' } },
});
const spec = positionals[0];
const without = values.without as Pass | undefined;
if (spec === undefined || without === undefined || !PASSES.includes(without)) {
  console.error(`usage: npm run bench:ab -- <spec.nn> --without ${PASSES.join('|')} [--steps N] [--backend node|wasm|cpu]`);
  process.exit(2);
}
const root = process.cwd();
const asCompiled = compileSpecAt(root, spec);
const withoutPass = without === 'graph-step' ? asCompiled : compileSpecAt(root, spec, { without: [without] });

/** Writes and imports one compiled variant's trainer. */
const load = (name: string, { compiled, src }: typeof asCompiled): Promise<TrainerModule> =>
  importTrainer(join(root, '.nnc-cache', 'bench-ab', name), emitFiles(compiled, src.file, src.text));

await initBackend(values.backend as BackendName, () => {});
const trainers = [
  { name: 'as compiled', module: await load('with', asCompiled) },
  { name: `without ${without}`, module: await load('without', withoutPass) },
];
const batches = syntheticBatches(asCompiled.compiled.model.forward, specBatch(asCompiled.compiled.model));
const runs = trainers.map((t) => {
  t.module.installConstants();
  const params = t.module.initParams(new Rng(7));
  return { ...t, params, state: t.module.initOptimizerState(params), rng: new Rng(1), ms: [] as number[], eager: without === 'graph-step' && t.name !== 'as compiled' };
});
const steps = Number(values.steps);
for (let i = 0; i < steps + 20; i++) {
  for (const r of i % 2 === 0 ? runs : [...runs].reverse()) {
    const t0 = performance.now();
    if (r.eager) process.env['NNC_GRAPH_STEP'] = '0';
    r.module.trainStep(r.params, r.state, batches[i % 8]!, 0.01, r.rng);
    delete process.env['NNC_GRAPH_STEP'];
    if (i >= 20) r.ms.push(performance.now() - t0);
  }
}
const [a, b] = runs.map((r) => median(r.ms)) as [number, number];
console.log(`${spec} on ${tf.getBackend()}, ${steps} alternating steps: as compiled ${a.toFixed(2)} ms, without ${without} ${b.toFixed(2)} ms, ratio ${(a / b).toFixed(3)}`);
