// flatten(x) = reshape to [batch, product of the other dims].
import { formatType } from '../format.js';
import { layerOp, type Layer } from './layer.js';

export const flatten: Layer = {
  modes: ['net'],
  createsParams: false,
  expand(c) {
    const x = c.args.tensor('x');
    if (!x) return null;
    const t = c.ex.type(x);
    if (t.shape.length < 1 || t.shape[0] !== 'batch') {
      c.ex.sink.report('NNC3021', `flatten expects a batch of values, got ${formatType(t)} from \`${x.name}\``, c.args.span('x'));
      return null;
    }
    const rest = t.shape.slice(1);
    let size = 1;
    for (const d of rest) {
      if (typeof d !== 'number') {
        c.ex.sink.report('NNC3020', `flatten needs known sizes after the batch axis, got ${c.ex.describe(x)}`, c.args.span('x'));
        return null;
      }
      size *= d;
    }
    return layerOp(c, 'reshape', [x], { shape: ['batch', size] });
  },
};
