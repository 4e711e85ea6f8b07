// `npm run bench:ops -- <spec> [--steps 300]` — where a generated step's time
// goes on tfjs-node: the spec compiled as `nnc compile` would, trained on
// synthetic batches, with a timer around every TensorFlow op tfjs-node's
// binding executes. Prints the median step, the time inside TensorFlow ops
// and, per op name, ms per step, calls per step and µs per call.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { compileSpecAt } from '../src/golden.js';
import { emitFiles } from '../src/cli/emit-files.js';
import { initBackend } from '../src/runtime/backend.js';
import { Rng } from '../src/runtime/rng.js';
import { importTrainer, specBatch, syntheticBatches } from './generated.js';
import { median, wrapBinding } from './measure.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { steps: { type: 'string', default: '300' } } });
const spec = positionals[0];
if (spec === undefined) {
  console.error('usage: npm run bench:ops -- <spec.nn> [--steps N]');
  process.exit(2);
}
const root = process.cwd();
const { compiled, src } = compileSpecAt(root, spec);
await initBackend('node', () => {});
const backend = tf.backend() as unknown as { binding?: Record<string, unknown> };
const binding = backend.binding;
if (binding === undefined) throw new Error('bench:ops needs tfjs-node (the tensorflow backend)');
const trainerDir = join(root, '.nnc-cache', 'bench-ops', compiled.model.name);
const m = await importTrainer(trainerDir, emitFiles(compiled, src.file, src.text));
const batches = syntheticBatches(compiled.model.forward, specBatch(compiled.model));

// Every TensorFlow op the binding executes, timed by name while `counting`.
const timed: Record<string, { ms: number; calls: number }> = {};
let counting = false;
backend.binding = wrapBinding(binding, {
  executeOp: (a, call) => {
    const t0 = performance.now();
    try {
      return call();
    } finally {
      if (counting) {
        const entry = (timed[String(a[0])] ??= { ms: 0, calls: 0 });
        entry.ms += performance.now() - t0;
        entry.calls++;
      }
    }
  },
});

m.installConstants();
const params = m.initParams(new Rng(7));
const state = m.initOptimizerState(params);
const stepRng = new Rng(1);
for (let i = 0; i < 20; i++) m.trainStep(params, state, batches[i % 8]!, 0.01, stepRng);
const steps = Number(values.steps);
const ms: number[] = [];
counting = true;
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  m.trainStep(params, state, batches[i % 8]!, 0.01, stepRng);
  ms.push(performance.now() - t0);
}
counting = false;
backend.binding = binding;
const mean = ms.reduce((a, b) => a + b, 0) / steps;
const inside = Object.values(timed).reduce((a, e) => a + e.ms, 0) / steps;
console.log(`${spec} on tfjs-node, ${steps} steps: median ${median(ms).toFixed(3)} ms, mean ${mean.toFixed(3)} ms, of which ${inside.toFixed(3)} ms in TensorFlow ops`);
// The trainer's own runtime copy: its graph steps (rt.GraphStep), recorded or refused.
const { graphSteps } = (await import(pathToFileURL(join(trainerDir, 'runtime', 'emit-support.ts')).href)) as { graphSteps(): { signature: string; graph: boolean; ops: number; refused: string | null }[] };
for (const g of graphSteps()) console.log(g.graph ? `graph step ${g.signature}: ${g.ops} TensorFlow ops in one session call` : `graph step ${g.signature}: eager (${g.refused})`);
console.log('| op | ms/step | calls/step | µs/call |\n|---|---|---|---|');
for (const [name, e] of Object.entries(timed).sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`| ${name} | ${(e.ms / steps).toFixed(3)} | ${e.calls / steps} | ${((1000 * e.ms) / e.calls).toFixed(1)} |`);
}
