// lstm(x, units, return_sequences: false, init: glorot_uniform) over a
// sequence x f32[batch, L, E] from a text input (padding masked: a padded step
// carries the state through, so the last state is the last real token's).
//   tape = lstm_seq(x, kernel [E, 4U], recurrent [U, 4U], bias [4U], mask)
//   h    = tape[:, :, 5U:6U]                         f32[batch, L, U]
//   out  = h (return_sequences) or h[:, L-1, :]      f32[batch, U]
// Its backward is backpropagation through time (lstm_bptt, a loop emitted as
// rt.lstmBackward), then ordinary products for the parameter gradients
// (see src/ops/lstm.ts). Gates i, f, g, o as Keras; bias starts at zeros.
import { initSpec, readInit } from '../init.js';
import { layerOp, type Layer } from './layer.js';
import { sequenceAndMask } from './pooling-time.js';

export const lstm: Layer = {
  modes: ['net'],
  createsParams: true,
  expand(c) {
    const { ex, args } = c;
    const units = args.number('units', null, { integer: true, min: 1 });
    const sequences = args.bool('return_sequences', false);
    const rawInit = args.raw('init');
    const init = rawInit === undefined ? { kind: 'glorot_uniform' as const } : readInit(rawInit, ex.sink);
    const s = sequenceAndMask(c);
    if (!s || units === null || sequences === null || init === null) return null;
    const features = ex.type(s.x).shape[2] as number;
    const kernel = ex.addParam(`${c.prefix}.kernel`, [features, 4 * units], initSpec(init, [features, 4 * units]), c.span, c.frame.label);
    const recurrent = ex.addParam(`${c.prefix}.recurrent`, [units, 4 * units], initSpec(init, [units, 4 * units]), c.span, c.frame.label);
    const bias = ex.addParam(`${c.prefix}.bias`, [4 * units], initSpec({ kind: 'zeros' }, [4 * units]), c.span, c.frame.label);
    if (!kernel || !recurrent || !bias) return null;
    const tape = layerOp(c, 'lstm_seq', [s.x, kernel, recurrent, bias, s.mask]);
    const h = tape && layerOp(c, 'slice', [tape], { begin: [0, 0, 5 * units], size: ['batch', s.length, units] });
    if (!h || sequences) return h;
    const last = layerOp(c, 'slice', [h], { begin: [0, s.length - 1, 0], size: ['batch', 1, units] });
    return last && layerOp(c, 'reshape', [last], { shape: ['batch', units] });
  },
};
