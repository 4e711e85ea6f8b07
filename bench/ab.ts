// `npm run bench:ab -- <spec> --without pool-first|fold-step [--steps 200]` —
// what one compiler pass buys: the spec's trainer as compiled, against the
// same spec compiled without that pass, alternating steps of the two in one
// process (so both see the same load), on the backend given (default node).
// Prints both medians and their ratio. The two start from the same seeded
// parameters and cycle the same eight synthetic batches.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { compileSpecAt } from '../src/golden.js';
import { emitFiles, writeFiles } from '../src/cli/emit-files.js';
import { differentiate } from '../src/autodiff/differentiate.js';
import { DiagnosticSink } from '../src/diagnostics/diagnostic.js';
import { foldStepSize, optimize, poolFirst } from '../src/passes/index.js';
import type { TrainingGraph } from '../src/ir/types.js';
import { initBackend, type BackendName } from '../src/runtime/backend.js';
import { Rng } from '../src/runtime/rng.js';
import type { TrainerModule } from './generated.js';
import { median } from './measure.js';

const PASSES = ['pool-first', 'fold-step'] as const;
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
const { compiled, src } = compileSpecAt(root, spec);
if (compiled.phases.length > 1) throw new Error('bench:ab compares single-phase specs');

/** The training graph the pipeline would have made without `pass`. */
function graphWithout(pass: Pass): TrainingGraph {
  const sink = new DiagnosticSink();
  const forward = pass === 'pool-first' ? compiled.model.forward : poolFirst(compiled.model.forward);
  const g = optimize(differentiate(forward, sink));
  const folded = pass === 'fold-step' || !compiled.training.stepScaled ? null : foldStepSize(g);
  return folded ?? g;
}

async function load(name: string, training: TrainingGraph): Promise<TrainerModule> {
  const dir = join(root, '.nnc-cache', 'bench-ab', name);
  writeFiles(dir, emitFiles({ ...compiled, training, phases: [training] }, src.file, src.text));
  return (await import(pathToFileURL(join(dir, 'train.ts')).href)) as TrainerModule;
}

await initBackend(values.backend as BackendName, () => {});
const trainers = [
  { name: 'as compiled', module: await load('with', compiled.training) },
  { name: `without ${without}`, module: await load('without', graphWithout(without)) },
];
const input = compiled.model.forward.inputs.find((i) => i.role === 'input')!;
const target = compiled.model.forward.inputs.find((i) => i.role === 'target')!;
const batchSize = typeof input.type.shape[0] === 'number' ? input.type.shape[0] : 64;
const shape = input.type.shape.map((d) => (typeof d === 'number' ? d : batchSize));
const rng = new Rng(3);
const size = shape.reduce((a, b) => a * b, 1);
const batches = Array.from({ length: 8 }, () => ({
  [input.name]: tf.tensor(Float32Array.from({ length: size }, () => rng.uniform()), shape),
  [target.name]: tf.tensor(Int32Array.from({ length: batchSize }, () => Math.floor(rng.uniform() * 10)), [batchSize], 'int32'),
}));
const runs = trainers.map((t) => {
  const params = t.module.initParams(new Rng(7));
  return { ...t, params, state: t.module.initOptimizerState(params), rng: new Rng(1), ms: [] as number[] };
});
const steps = Number(values.steps);
for (let i = 0; i < steps + 20; i++) {
  for (const r of i % 2 === 0 ? runs : [...runs].reverse()) {
    const t0 = performance.now();
    r.module.trainStep(r.params, r.state, batches[i % 8]!, 0.01, r.rng);
    if (i >= 20) r.ms.push(performance.now() - t0);
  }
}
const [a, b] = runs.map((r) => median(r.ms)) as [number, number];
console.log(`${spec} on ${tf.getBackend()}, ${steps} alternating steps: as compiled ${a.toFixed(2)} ms, without ${without} ${b.toFixed(2)} ms, ratio ${(a / b).toFixed(3)}`);
