// A parameter: `attrs.dtype`, `attrs.shape` (static), `attrs.name` (e.g.
// `h.weight`). The trainer holds and binds it; its gradient is what autodiff
// computes, so the VJP face is empty.
import type { OpDef } from './op.js';
import { fedByCaller, leafType } from './common.js';

export const param: OpDef = {
  kind: 'param',
  arity: 0,
  shape: (_inputs, attrs) => leafType('param', attrs),
  vjp: null,
  lower: fedByCaller('param'),
};
