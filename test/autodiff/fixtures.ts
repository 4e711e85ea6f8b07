// Small forward graphs built by hand with GraphBuilder, as the checker would
// lower them: an MLP (optionally with dropout and a frozen first layer), and
// helpers to make leaves with ParamInfo/GraphInput records.
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Dim, DType, ForwardGraph, GraphInput, Origin, ParamInfo, ValueId } from '../../src/ir/types.js';
import type { Span } from '../../src/syntax/ast.js';

export function span(line: number): Span {
  return { file: 't.nn', offset: line * 10, line, column: 1, length: 1 };
}

export function fwd(label: string | null, line: number | null = null): Origin {
  return { phase: 'forward', span: line === null ? null : span(line), of: null, label };
}

/** A graph under construction with its tables. */
export class Fixture {
  readonly g = new GraphBuilder();
  readonly inputs: GraphInput[] = [];
  readonly params: ParamInfo[] = [];

  input(name: string, shape: Dim[], dtype: DType = 'f32', role: GraphInput['role'] = 'input'): ValueId {
    const id = this.g.add('input', [], { name, dtype, shape }, fwd(name, 1));
    this.inputs.push({ name, id, type: { dtype, shape }, role });
    return id;
  }

  param(name: string, shape: number[], trainable = true, line = 2): ValueId {
    const id = this.g.add('param', [], { name, dtype: 'f32', shape }, fwd(name, line));
    this.params.push({
      name,
      id,
      type: { dtype: 'f32', shape },
      init: { kind: 'glorot_uniform', fanIn: shape[0] ?? 1, fanOut: shape[shape.length - 1] ?? 1 },
      trainable,
      lrScale: 1,
      decayScale: 1,
      span: span(line),
    });
    return id;
  }

  finish(loss: ValueId, outputs: Record<string, ValueId> = {}): ForwardGraph {
    return { graph: this.g.build(), inputs: this.inputs.slice(), params: this.params.slice(), loss, outputs };
  }
}

export interface MlpOptions {
  /** Freeze the first layer's weight and bias. */
  freezeFirst?: boolean;
  /** Dropout rate after the hidden activation (none if absent). */
  dropout?: number;
  inputs?: number;
  hidden?: number;
  classes?: number;
}

/** x → dense(h, relu) [→ dropout] → dense(logits) → mean softmax cross-entropy. */
export function mlp(opts: MlpOptions = {}): ForwardGraph {
  const [nIn, nHid, nOut] = [opts.inputs ?? 4, opts.hidden ?? 5, opts.classes ?? 3];
  const f = new Fixture();
  const x = f.input('x', ['batch', nIn]);
  const y = f.input('y', ['batch'], 'i32', 'target');
  const w1 = f.param('h.weight', [nIn, nHid], !opts.freezeFirst, 3);
  const b1 = f.param('h.bias', [nHid], !opts.freezeFirst, 3);
  const w2 = f.param('logits.weight', [nHid, nOut], true, 5);
  const b2 = f.param('logits.bias', [nOut], true, 5);
  const g = f.g;
  const h = g.add('relu', [g.add('add', [g.add('matmul', [x, w1], {}, fwd('h', 3)), b1], {}, fwd('h', 3))], {}, fwd('h', 3));
  let hd = h;
  if (opts.dropout !== undefined) {
    const mask = g.add('dropout_mask', [h], { rate: opts.dropout }, fwd('hd', 4));
    hd = g.add('mul', [h, mask], {}, fwd('hd', 4));
  }
  const logits = g.add('add', [g.add('matmul', [hd, w2], {}, fwd('logits', 5)), b2], {}, fwd('logits', 5));
  const ce = g.add('softmax_cross_entropy', [logits, y], {}, fwd('loss', 7));
  const loss = g.add('mean', [ce], {}, fwd('loss', 7));
  return f.finish(loss, { h, logits, prediction: logits });
}
