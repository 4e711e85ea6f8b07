// A value fed from the data: `attrs.dtype` ('f32' | 'i32'), `attrs.shape`
// (with the symbolic `batch` axis), `attrs.name`. The caller binds it.
import type { OpDef } from './op.js';
import { fedByCaller, leafType } from './common.js';

export const input: OpDef = {
  kind: 'input',
  arity: 0,
  shape: (_inputs, attrs) => leafType('input', attrs),
  vjp: null,
  lower: fedByCaller('input'),
};
