// Compile time of a deep spec: a generated 100-layer MLP, timed from text to
// the emitted trainer's text (parse, check, autodiff, passes, emission; no
// type-check of the output). The first run is cold (JIT, ts-morph start-up).
import { DiagnosticSink } from '../src/diagnostics/diagnostic.js';
import { compileSource } from '../src/pipeline.js';
import { emitFiles } from '../src/cli/emit-files.js';
import { median } from './measure.js';

export function deepSpec(layers: number, width = 64): string {
  const lines = [`model deep_${layers}`, '', 'input  x: f32[32]', 'target y: class(10)', '', 'net {'];
  let prev = 'x';
  for (let i = 1; i <= layers; i++) {
    lines.push(`  h${i} = dense(${prev}, ${width}, activation: relu)`);
    prev = `h${i}`;
  }
  lines.push(`  logits = dense(${prev}, 10)`, '}', '', 'loss      = cross_entropy(logits, y)', 'optimizer = adam(lr: 1e-3)', '', 'train { epochs: 1, batch: 32, seed: 1 }', '');
  return lines.join('\n');
}

export interface CompileTiming {
  layers: number;
  coldMs: number;
  medianMs: number;
  runs: number;
  lines: number;
}

export function timeCompile(layers: number, runs: number): CompileTiming {
  const text = deepSpec(layers);
  const file = `deep-${layers}.nn`;
  const times: number[] = [];
  let lines = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const sink = new DiagnosticSink();
    const compiled = compileSource({ file, text }, sink);
    if (compiled === null) throw new Error(`the ${layers}-layer spec does not compile: ${sink.items.map((d) => d.message).join('; ')}`);
    const files = emitFiles(compiled, file, text);
    times.push(performance.now() - t0);
    lines = files.find((f) => f.path === 'train.ts')!.text.split('\n').length;
  }
  return { layers, coldMs: times[0]!, medianMs: median(times.slice(1).length > 0 ? times.slice(1) : times), runs, lines };
}
