// Progress output: a bar on a TTY, plain lines elsewhere, nothing when quiet.
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/runtime/index.js';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns: 100, write: (s: string) => out.push(s) } };
}

/** A clock that advances `ms` per call. */
function clock(ms: number) {
  let t = 0;
  return () => (t += ms);
}

describe('Progress', () => {
  it('prints one summary line per epoch when not on a TTY', () => {
    const { out, stream } = sink(false);
    const p = new Progress({ stream, now: clock(250) });
    p.startEpoch(1, 10, 4);
    for (let i = 0; i < 4; i++) p.step(32, 0.5);
    p.endEpoch({ loss: 0.5, val_accuracy: 0.97123 });
    p.log('done');
    // clock: start 250 ms, steps at 500…1250 ms, end (after validation) 1500 ms:
    // the epoch took 1.25 s, training 128 examples took 1 s
    expect(out).toEqual(['epoch  1/10  loss 0.5000  val_accuracy 0.9712  (1.3s, 128 ex/s)\n', 'done\n']);
  });

  it('draws a bar with steps, running loss, throughput and ETA on a TTY, then replaces it', () => {
    const { out, stream } = sink(true);
    const p = new Progress({ stream, now: clock(1000) });
    p.startEpoch(2, 3, 4);
    p.step(10, 1);
    p.step(10, 3);
    const bar = out.at(-1)!;
    // clock: start 1 s, steps at 2 s and 3 s → 20 examples in 2 s, 2 steps left at 1 s each; 30-wide bar half full
    expect(bar).toBe(`\repoch 2/3 [${'='.repeat(14)}>${' '.repeat(15)}] 2/4  loss 2.0000  10 ex/s  ETA 2s\x1b[K`);
    p.step(10, 2);
    p.step(10, 2);
    expect(out.at(-1)).toMatch(/\[=+\] 4\/4 /);
    p.endEpoch({ loss: 2 });
    expect(out.at(-2)).toBe('\r\x1b[K');
    expect(out.at(-1)).toMatch(/^epoch 2\/3  loss 2\.0000  \(/);
  });

  it('redraws at most every 100 ms', () => {
    const { out, stream } = sink(true);
    const p = new Progress({ stream, now: clock(1) });
    p.startEpoch(1, 1, 1000);
    for (let i = 0; i < 500; i++) p.step(1, 0.1);
    expect(out.length).toBeLessThan(10);
  });

  it('is silent when quiet', () => {
    const { out, stream } = sink(true);
    const p = new Progress({ stream, quiet: true });
    p.startEpoch(1, 1, 2);
    p.step(1, 1);
    p.endEpoch({ loss: 1 });
    p.log('x');
    expect(out).toEqual([]);
  });
});
