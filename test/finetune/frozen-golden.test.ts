// The committed golden trainer of specs/mnist-finetune.nn shows the freeze:
// phase 1 (h frozen) has no backward statement, gradient or optimizer update
// for h; phase 2 (h unfrozen) has them. (test/golden keeps the file in sync
// with the compiler, so this reads what `nnc compile` writes.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const text = readFileSync(join(import.meta.dirname, '../../generated/mnist_finetune/train.ts'), 'utf8');

/** The source of a top-level declaration, up to its closing brace at column 0. */
function block(head: string): string {
  const start = text.indexOf(head);
  expect(start, head).toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf('\n}\n', start) + 2);
}

describe('generated/mnist_finetune: frozen subgraphs have no backward statements', () => {
  it('phase 1: no gradient of h, no update of h', () => {
    const backward = block('function backward(');
    expect(backward).not.toMatch(/d_h_(weight|bias)/);
    expect(backward).toMatch(/d_logits_weight/);
    expect(text).toContain("type Grads = Record<'logits_weight' | 'logits_bias', tf.Tensor>;");
    expect(block('function applyUpdate(')).not.toMatch(/params\.h_/);
    expect(text).toContain('// No statements for frozen parameters: h.weight, h.bias.');
  });

  it('phase 2: h has its backward statements and its update', () => {
    expect(block('function backwardPhase2(')).toMatch(/d_h_weight/);
    expect(block('function applyUpdatePhase2(')).toMatch(/params\.h_weight/);
  });

  it('loads the trunk strictly and starts the replaced head fresh', () => {
    const init = block('const INIT_FROM');
    expect(init).toContain("names: { 'h.weight': 'h.weight', 'h.bias': 'h.bias' }");
    expect(init).toContain("replaced: ['logits']");
    expect(text).toContain('await rt.loadPretrained(INIT_FROM.path');
  });
});
