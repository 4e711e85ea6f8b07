// Parameter initialisers: which names exist, what they take, and the fan-in
// and fan-out they are scaled by (computed as Keras does, so glorot/he
// limits match tfjs-layers for the same shapes).
import type { Call } from '../syntax/ast.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { InitKind, InitSpec } from '../ir/types.js';
import type { BoundArgs } from './args.js';
import { didYouMean } from './format.js';
import type { InitValue, Value } from './values.js';

export const INIT_KINDS: readonly InitKind[] = [
  'zeros',
  'ones',
  'constant',
  'normal',
  'uniform',
  'glorot_uniform',
  'glorot_normal',
  'he_uniform',
  'he_normal',
  'lecun_normal',
];

export function isInitKind(name: string): name is InitKind {
  return (INIT_KINDS as readonly string[]).includes(name);
}

/**
 * `constant(0.1)`, `normal(std: 0.02)`, `uniform(min: -0.1, max: 0.1)` as an
 * init value. The trainer draws N(0, std²) and U(-limit, limit): a non-zero
 * mean or an asymmetric range is refused rather than silently changed.
 */
export function initCall(kind: InitKind, args: BoundArgs, call: Call, sink: DiagnosticSink): InitValue | null {
  const make = (value: number | undefined): InitValue => ({ kind: 'init', init: kind, value, span: call.span });
  switch (kind) {
    case 'constant': {
      const v = args.number('value', null);
      return v === null ? null : make(v);
    }
    case 'normal': {
      const mean = args.number('mean', 0);
      const std = args.number('std', 0.05, { above: 0 });
      if (mean === null || std === null) return null;
      if (mean !== 0) {
        sink.report('NNC3017', `normal: only mean 0 is supported, got ${mean}`, args.span('mean'), { hint: 'add the offset with a bias instead' });
        return null;
      }
      return make(std);
    }
    case 'uniform': {
      const min = args.number('min', -0.05);
      const max = args.number('max', 0.05, { above: 0 });
      if (min === null || max === null) return null;
      if (min !== -max) {
        sink.report('NNC3017', `uniform: only symmetric ranges U(-a, a) are supported, got U(${min}, ${max})`, args.span('min'), { hint: `e.g. uniform(min: -${max}, max: ${max})` });
        return null;
      }
      return make(max);
    }
    default:
      return make(undefined);
  }
}

/** Reads an `init:` value (`he_normal`, `normal(stddev: 0.02)`); null after reporting. */
export function readInit(v: Value, sink: DiagnosticSink): { kind: InitKind; value?: number } | null {
  if (v.kind === 'init') return v.value === undefined ? { kind: v.init } : { kind: v.init, value: v.value };
  const name = v.kind === 'symbol' ? v.name : v.kind === 'string' ? v.value : null;
  if (name !== null && isInitKind(name)) {
    // Bare `normal`/`uniform`/`constant`: the table's defaults (std 0.05, ±0.05, and constant needs a value).
    if (name === 'constant') {
      sink.report('NNC3009', '`constant` needs its value: constant(0.1)', v.span);
      return null;
    }
    return name === 'normal' || name === 'uniform' ? { kind: name, value: 0.05 } : { kind: name };
  }
  const span = v.span;
  if (name === null) {
    sink.report('NNC3013', `an initialiser must be one of ${INIT_KINDS.join(', ')}`, span);
  } else {
    sink.report('NNC3013', `unknown initialiser \`${name}\``, span, { hint: didYouMean(name, INIT_KINDS) ?? `initialisers: ${INIT_KINDS.join(', ')}` });
  }
  return null;
}

/**
 * Fan-in and fan-out of a weight of `shape` (Keras' rule): [in, out] for a
 * matrix; for a conv kernel [..., in, out] both scaled by the receptive field;
 * a vector or scalar counts its length both ways.
 */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

export function initSpec(init: { kind: InitKind; value?: number }, shape: readonly number[]): InitSpec {
  const spec: InitSpec = { kind: init.kind, ...fans(shape) };
  if (init.value !== undefined) spec.value = init.value;
  return spec;
}
