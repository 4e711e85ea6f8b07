// exitOnError: user errors print one line and exit 2 (usage) or 3; bugs keep their stack trace.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, checkFinite, DataError, isUserError, TrainingError, UsageError } from '../../src/runtime/index.js';

const ROOT = join(import.meta.dirname, '../..');

function run(kind: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/exit-on-error.ts'), kind], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('exitOnError', () => {
  it('exits 2 for usage errors and 3 for the other user errors (data, checkpoint, training), printing only the message', () => {
    expect(run('usage')).toEqual({ status: 2, stdout: '', stderr: 'error: unknown flag --epoch (did you mean --epochs?); see --help\n' });
    expect(run('data')).toEqual({ status: 3, stdout: '', stderr: 'error: data/x.csv:3: row has 2 fields, expected 3 (as in the header)\n' });
  });

  it('keeps the stack trace of anything else (a bug)', () => {
    const r = run('bug');
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^internal error: TypeError: x is not a function\n\s+at /);
  });
});

describe('checkFinite', () => {
  it('passes finite values and stops on NaN and Inf with a clear message', () => {
    expect(() => checkFinite(0.5, 'loss')).not.toThrow();
    expect(() => checkFinite(Number.NaN, 'the training loss at epoch 2, step 40')).toThrow(
      new TrainingError('the training loss at epoch 2, step 40 is NaN; training stopped (the last good checkpoint is kept). Try a lower --lr.'),
    );
    expect(() => checkFinite(Infinity, 'loss')).toThrow(TrainingError);
  });
});

describe('isUserError', () => {
  it('recognises the four user-facing error types and nothing else', () => {
    expect([new DataError('d'), new UsageError('u'), new CheckpointError('c'), new TrainingError('t')].every(isUserError)).toBe(true);
    expect(isUserError(new Error('e'))).toBe(false);
    expect(isUserError('text')).toBe(false);
  });
});
