// Trainer flags: values, defaults, and every kind of mistake (UsageError → exit 2).
import { describe, expect, it } from 'vitest';
import { helpText, parseFlags, UsageError, type FlagDefaults } from '../../src/runtime/index.js';

const DEFAULTS: FlagDefaults = { epochs: 10, batch: 128, lr: 1e-3, seed: 7, checkpointDir: 'checkpoints/mnist_mlp' };

function usage(argv: string[]): string {
  try {
    parseFlags(argv, DEFAULTS);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseFlags', () => {
  it('takes the defaults', () => {
    expect(parseFlags([], DEFAULTS)).toEqual({
      epochs: 10, batch: 128, lr: 1e-3, seed: 7, backend: undefined, dataDir: '.', checkpointDir: 'checkpoints/mnist_mlp',
      resume: false, quiet: false, maxSteps: null, limit: null, help: false,
    });
  });

  it('parses every flag, in both spellings', () => {
    const f = parseFlags(
      ['--epochs', '3', '--batch=all', '--lr', '0.5', '--seed=-4', '--backend', 'wasm', '--data-dir', 'd', '--checkpoint-dir=c', '--resume', '-q', '--max-steps', '20', '--limit', '500'],
      DEFAULTS,
    );
    expect(f).toEqual({ epochs: 3, batch: 'all', lr: 0.5, seed: -4, backend: 'wasm', dataDir: 'd', checkpointDir: 'c', resume: true, quiet: true, maxSteps: 20, limit: 500, help: false });
    expect(parseFlags(['-h'], DEFAULTS).help).toBe(true);
  });

  it('rejects unknown flags with a suggestion', () => {
    expect(usage(['--epoch', '3'])).toBe('unknown flag --epoch (did you mean --epochs?); see --help');
    expect(usage(['--bakend=cpu'])).toBe('unknown flag --bakend (did you mean --backend?); see --help');
    expect(usage(['--frobnicate'])).toBe('unknown flag --frobnicate; see --help');
  });

  it('rejects bad and missing values', () => {
    expect(usage(['--epochs', '0'])).toBe("--epochs: expected a positive integer, got '0'");
    expect(usage(['--epochs', '2.5'])).toBe("--epochs: expected a positive integer, got '2.5'");
    expect(usage(['--batch', 'some'])).toBe("--batch: expected a positive integer or 'all', got 'some'");
    expect(usage(['--lr', '-1'])).toBe("--lr: expected a positive number, got '-1'");
    expect(usage(['--lr', 'NaN'])).toBe("--lr: expected a positive number, got 'NaN'");
    expect(usage(['--backend', 'gpu'])).toBe("--backend: expected node, wasm, cpu, got 'gpu'");
    expect(usage(['--epochs'])).toBe('--epochs needs a value (N)');
    expect(usage(['--epochs', '--quiet'])).toBe('--epochs needs a value (N)');
    expect(usage(['--quiet=yes'])).toBe('--quiet takes no value');
    expect(usage(['specs/x.nn'])).toBe("unexpected argument 'specs/x.nn' (flags start with --; see --help)");
  });

  it('needs a checkpoint directory to resume', () => {
    expect(() => parseFlags(['--resume'], { ...DEFAULTS, checkpointDir: null })).toThrow('--resume needs --checkpoint-dir');
  });

  it('documents every flag with the defaults', () => {
    const help = helpText('train.ts', DEFAULTS);
    for (const flag of ['--epochs N', '--batch N|all', '--lr X', '--seed N', '--backend node|wasm|cpu', '--data-dir DIR', '--checkpoint-dir DIR', '--resume', '--quiet', '--max-steps N', '--limit N', '--help']) {
      expect(help).toContain(flag);
    }
    expect(help).toContain('number of epochs (default 10)');
    expect(help).toContain('(default checkpoints/mnist_mlp)');
    expect(help.startsWith('usage: train.ts [flags]\n')).toBe(true);
  });
});
