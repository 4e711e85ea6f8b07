// The CLI as a user runs it: exit codes, messages, never a stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileGolden } from '../../src/golden.js';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

function nnc(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'nnc.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function noStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
}

describe('nnc CLI', () => {
  it('--version prints the package version', () => {
    const r = nnc('--version');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(`nnc ${pkg.version}`);
  });

  it('--help lists the commands', () => {
    const r = nnc('--help');
    expect(r.code).toBe(0);
    for (const c of ['check', 'compile', 'train', 'graph', 'gradcheck']) expect(r.out).toContain(c);
  });

  it('no arguments is a usage error', () => expect(nnc().code).toBe(2));

  it('an unknown command suggests a close one', () => {
    const r = nnc('chek', 'specs/digits.nn');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`unknown command 'chek'`);
    expect(r.err).toContain(`did you mean 'check'`);
  });

  it('an unknown flag is a usage error', () => {
    const r = nnc('check', '--jsn', 'specs/digits.nn');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`unknown option '--jsn'`);
    noStack(r.err);
  });

  it('a missing file is a usage error, not a crash', () => {
    const r = nnc('check', 'specs/nope.nn');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no such file: specs/nope.nn');
    noStack(r.err);
  });

  it('check accepts every shipped spec', () => {
    const r = nnc('check', 'specs/digits.nn', 'specs/mnist-mlp.nn');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/specs\/digits\.nn: ok — model digits/);
  });

  it('check reports located errors with a caret and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnc-cli-'));
    const file = join(dir, 'bad.nn');
    writeFileSync(file, readFileSync(join(root, 'specs/digits.nn'), 'utf8').replace('dense(', 'dense_layer('));
    const r = nnc('check', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.nn:\d+:\d+: error NNC\d{4}: /);
    expect(r.err).toMatch(/\^/);
    expect(r.err).toContain('did you mean');
    noStack(r.err);
  });

  it('check --json prints machine-readable diagnostics', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnc-cli-'));
    const file = join(dir, 'bad.nn');
    writeFileSync(file, 'model m\nnet { x = }\n');
    const r = nnc('check', '--json', file);
    expect(r.code).toBe(1);
    const ds = JSON.parse(r.out) as { code: string; span: { line: number } }[];
    expect(ds.length).toBeGreaterThan(0);
    expect(ds[0]!.code).toMatch(/^NNC1\d{3}$/);
    expect(ds[0]!.span.line).toBe(2);
  });
});

describe('nnc compile, graph, train', () => {
  it('compile writes train.ts and the runtime, and prints the parameter table', () => {
    const out = mkdtempSync(join(tmpdir(), 'nnc-compile-'));
    const r = nnc('compile', 'specs/digits.nn', '-o', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/h\.weight\s+f32\[64, 64\]\s+4,096\s+trainable/);
    const golden = compileGolden(root, 'specs/digits.nn').files.find((f) => f.path === 'train.ts')!;
    expect(readFileSync(join(out, 'train.ts'), 'utf8')).toBe(golden.text);
  });

  it('graph prints forward and backward nodes, and DOT with --dot', () => {
    const text = nnc('graph', 'specs/digits.nn');
    expect(text.code).toBe(0);
    expect(text.out).toContain('= matmul(');
    expect(text.out).toMatch(/# backward of %\d+/);
    const dot = nnc('graph', '--dot', 'specs/digits.nn');
    expect(dot.code).toBe(0);
    expect(dot.out.startsWith('digraph')).toBe(true);
  });

  it('train: a spec error exits 1, a bad trainer flag 2, a training failure 3, success 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnc-train-'));
    const broken = join(dir, 'broken.nn');
    writeFileSync(broken, 'model m\nnet { x = }\n');
    expect(nnc('train', broken).code).toBe(1);
    expect(nnc('train', 'specs/digits.nn', '--epochz', '1').code).toBe(2);
    const missingData = join(dir, 'missing-data.nn');
    writeFileSync(missingData, readFileSync(join(root, 'specs/digits.nn'), 'utf8').replaceAll('data/digits.csv.gz', 'data/no-such-file.csv'));
    const failed = nnc('train', missingData, '--epochs', '1', '--checkpoint-dir', join(dir, 'ck1'));
    expect(failed.code).toBe(3);
    expect(failed.err).toContain('no-such-file.csv');
    noStack(failed.err);
    const ok = nnc('train', 'specs/digits.nn', '--epochs', '1', '--max-steps', '5', '--quiet', '--checkpoint-dir', join(dir, 'ck2'));
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/^test: .*accuracy/m);
  });
});
