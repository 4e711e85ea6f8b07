// dropout(x, rate: 0.5) = x * dropout_mask(x). The mask (zeros and 1/(1-rate)
// while training, ones otherwise) is a forward value the backward reuses.
import { layerOp, type Layer } from './layer.js';

export const dropout: Layer = {
  modes: ['net'],
  createsParams: false,
  expand(c) {
    const x = c.args.tensor('x');
    const rate = c.args.number('rate', 0.5, { min: 0, below: 1, hint: 'the fraction of units dropped while training, e.g. rate: 0.2' });
    if (!x || rate === null) return null;
    if (rate === 0) return x;
    const mask = layerOp(c, 'dropout_mask', [x], { rate });
    return mask && layerOp(c, 'mul', [x, mask]);
  },
};
