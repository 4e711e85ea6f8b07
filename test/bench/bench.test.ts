// A smoke run of the benchmark harness (3 steps, cpu backend): nothing here is
// timed. Same initial values and batches must give the three implementations
// the same first loss; no implementation may leak tensors.
import { describe, expect, it } from 'vitest';
import { runBench } from '../../bench/run.js';
import { markdown } from '../../bench/report.js';

describe('bench harness', () => {
  it('runs W1 (SGD) through all three implementations with equal first losses and no leaks', async () => {
    const r = await runBench(process.cwd(), {
      backend: 'cpu',
      workloads: ['w1-sgd'],
      steps: 3,
      warmup: 0,
      rounds: 1,
      compileTime: false,
      out: null,
      log: () => {},
    });
    const w = r.workloads[0]!;
    expect(w.pending).toBeNull();
    const losses = Object.values(w.firstLosses);
    expect(losses).toHaveLength(3);
    for (const l of losses) expect(l).toBeCloseTo(losses[0]!, 4);
    expect(losses[0]!).toBeGreaterThan(1); // ≈ ln 10 for an untrained 10-class net
    for (const m of Object.values(w.methods)) {
      expect(m!.counts.leakedTensors).toBe(0);
      expect(m!.counts.engineKernels).toBeGreaterThan(0);
    }
    // The compiler's step runs fewer kernels than the tape.
    expect(w.methods.generated!.counts.engineKernels).toBeLessThan(w.methods.variableGrads!.counts.engineKernels);
    expect(Number.isFinite(w.ratios!.vsLayers)).toBe(true);
    expect(markdown(r)).toContain('| w1-sgd |');
  }, 60_000);
});
