// `input image: f32[28, 28]` → an input node f32[batch, 28, 28];
// `target digit: class(10)` → i32[batch] labels; `binary` → f32[batch];
// `target y: f32[…]` → regression. The batch axis is implicit.
import type { Arg, InputDecl } from '../syntax/ast.js';
import type { Dim, TensorType } from '../ir/types.js';
import type { Expander } from './expander.js';
import { didYouMean, formatNumber } from './format.js';
import type { TensorValue } from './values.js';
import { declareText } from './text-input.js';

const TYPE_NAMES = ['f32', 'i32', 'class', 'binary', 'text'];

/** Declares one input or target; null (after reporting) when its type is invalid. */
export function declareInput(ex: Expander, decl: InputDecl): TensorValue | null {
  const t = decl.type;
  const name = decl.name.name;
  const typeName = t.name.name;
  const role = decl.kind;
  switch (typeName) {
    case 'f32':
    case 'i32': {
      const dims = staticDims(ex, decl);
      if (dims === null) return null;
      const type: TensorType = { dtype: typeName, shape: ['batch', ...dims] };
      const v = ex.addInput(name, role, type, decl.span);
      if (role === 'target') ex.targets.set(v.id, { name, kind: 'regression', classes: null, span: decl.span });
      return v;
    }
    case 'class': {
      const classes = classCount(ex, decl, t.args);
      if (classes === null) return null;
      if (role === 'input') return ex.addInput(name, role, { dtype: 'i32', shape: ['batch'] }, decl.span);
      const v = ex.addInput(name, role, { dtype: 'i32', shape: ['batch'] }, decl.span);
      ex.targets.set(v.id, { name, kind: 'class', classes, span: decl.span });
      return v;
    }
    case 'binary': {
      if (t.dims !== null || (t.args !== null && t.args.length > 0)) {
        ex.sink.report('NNC3010', '`binary` takes no arguments', t.span, { hint: `write \`${role} ${name}: binary\`` });
        return null;
      }
      const v = ex.addInput(name, role, { dtype: 'f32', shape: ['batch'] }, decl.span);
      if (role === 'target') ex.targets.set(v.id, { name, kind: 'binary', classes: 2, span: decl.span });
      return v;
    }
    case 'text':
      return declareText(ex, decl);
    default:
      ex.sink.report('NNC3019', `unknown type \`${typeName}\``, t.name.span, { hint: didYouMean(typeName, TYPE_NAMES) ?? `types: f32[…], i32[…], class(N), binary` });
      return null;
  }
}

function staticDims(ex: Expander, decl: InputDecl): Dim[] | null {
  const t = decl.type;
  if (t.args !== null && t.args.length > 0) {
    ex.sink.report('NNC3010', `\`${t.name.name}\` takes dimensions in brackets, not arguments`, t.span, { hint: `e.g. ${t.name.name}[28, 28]` });
    return null;
  }
  const dims: Dim[] = [];
  let ok = true;
  for (const e of t.dims ?? []) {
    const v = e.kind === 'number' ? e.value : null;
    if (v === null || !Number.isInteger(v) || v < 1) {
      ex.sink.report('NNC3017', `a dimension must be a positive integer, got ${v === null ? 'an expression' : formatNumber(v)}`, e.span, {
        hint: 'the batch axis is implicit: `f32[28, 28]` is a batch of 28×28 values',
      });
      ok = false;
    } else {
      dims.push(v);
    }
  }
  return ok ? dims : null;
}

function classCount(ex: Expander, decl: InputDecl, args: Arg[] | null): number | null {
  const t = decl.type;
  const first = args?.[0];
  if (!first || args!.length !== 1 || t.dims !== null) {
    ex.sink.report('NNC3009', '`class` takes the number of classes: class(N)', t.span, { hint: 'e.g. `target digit: class(10)`' });
    return null;
  }
  const v = first.value.kind === 'number' ? first.value.value : null;
  if (v === null || !Number.isInteger(v) || v < 2) {
    ex.sink.report('NNC3017', `the number of classes must be an integer ≥ 2, got ${v === null ? 'an expression' : formatNumber(v)}`, first.value.span, {
      hint: v === 1 ? 'a single class cannot be learned; for yes/no use `binary`' : undefined,
    });
    return null;
  }
  return v;
}
