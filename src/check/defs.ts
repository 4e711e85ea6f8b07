// `def` layers written in the language: their `param`s are named under the
// binding that calls them (`r = residual(x, 64)` makes `r.w`, `r.b`), their
// body is expanded like a net, and `dim(x, -1)` gives static sizes.
import type { Def, ParamDecl } from '../syntax/ast.js';
import type { ParamSlot } from './args.js';
import type { Expander, Frame } from './expander.js';
import { formatNumber } from './format.js';
import { initSpec, readInit } from './init.js';
import type { Value } from './values.js';

export function defSlots(def: Def): ParamSlot[] {
  return def.params.map((p) => ({ name: p.name.name, required: p.default === null }));
}

/** A def param's default initialiser: glorot_uniform for matrices and larger, zeros for vectors and scalars. */
function defaultInit(shape: readonly number[]) {
  return shape.length >= 2 ? ({ kind: 'glorot_uniform' } as const) : ({ kind: 'zeros' } as const);
}

export function expandDefBody(ex: Expander, def: Def, frame: Frame): Value | null {
  let result: Value | null = null;
  let returned = false;
  for (const stmt of def.body) {
    if (returned) break;
    switch (stmt.kind) {
      case 'param': {
        const p = declareParam(ex, stmt, frame);
        frame.scope.bind(stmt.name.name, p ?? 'poisoned');
        break;
      }
      case 'binding': {
        const prefix = `${frame.base}.${stmt.name.name}`;
        const inner: Frame = { ...frame, prefix, label: prefix, anonymous: new Map() };
        const v = ex.evaluate(stmt.value, inner, prefix);
        frame.scope.bind(stmt.name.name, v === null ? 'poisoned' : v.kind === 'tensor' ? { ...v, name: stmt.name.name, span: stmt.span } : v);
        break;
      }
      case 'return':
        result = ex.evaluate(stmt.value, { ...frame, prefix: frame.base, anonymous: new Map() });
        returned = true;
        break;
    }
  }
  if (!returned) {
    ex.sink.report('NNC3009', `def \`${def.name.name}\` has no \`return\``, def.name.span, { hint: 'end the body with `return <expression>`' });
    return null;
  }
  return result;
}

function declareParam(ex: Expander, decl: ParamDecl, frame: Frame) {
  const shape: number[] = [];
  let ok = true;
  for (const e of decl.shape) {
    const v = ex.evaluate(e, frame);
    if (v === null) {
      ok = false;
    } else if (v.kind !== 'number' || !Number.isInteger(v.value) || v.value < 1) {
      const got = v.kind === 'number' ? formatNumber(v.value) : v.kind === 'tensor' ? `a tensor (\`${v.name}\`)` : v.kind === 'symbol' ? `\`${v.name}\`` : v.kind;
      ex.sink.report('NNC3017', `param \`${decl.name.name}\`: a dimension must be a positive integer, got ${got}`, e.span, { hint: 'sizes are numbers, def arguments, or dim(x, axis)' });
      ok = false;
    } else {
      shape.push(v.value);
    }
  }
  let init: ReturnType<typeof readInit> = defaultInit(shape);
  if (decl.init) {
    const v = ex.evaluate(decl.init, frame);
    init = v && readInit(v, ex.sink);
  }
  if (!ok || init === null) return null;
  const name = `${frame.base}.${decl.name.name}`;
  return ex.addParam(name, shape, initSpec(init, shape), decl.span, frame.label);
}
