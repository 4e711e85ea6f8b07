// embedding(ids, dim, init: uniform) = gather(weight, ids): one learned row
// of `weight` [vocab, dim] per token id; padding (id 0) has a row too, which
// the masked poolings ignore. Its gradient is the rows' adjoints summed per id
// (gather's VJP, unsorted_segment_sum). The table size is the `vocab` of the
// text input the ids come from.
import { initSpec, readInit } from '../init.js';
import { textInputNode } from '../text-input.js';
import { layerOp, type Layer } from './layer.js';

export const embedding: Layer = {
  modes: ['net'],
  createsParams: true,
  expand(c) {
    const { ex, args } = c;
    const x = args.tensor('x');
    const dim = args.number('dim', null, { integer: true, min: 1 });
    const rawInit = args.raw('init');
    const init = rawInit === undefined ? { kind: 'uniform' as const, value: 0.05 } : readInit(rawInit, ex.sink);
    if (!x || dim === null || init === null) return null;
    const text = textInputNode(ex, x.id);
    if (text === null) {
      ex.sink.report('NNC3022', `embedding expects token ids from a text input, got ${ex.describe(x)}`, args.span('x'), {
        hint: 'declare the input as `input review: text(vocab: 10000, length: 40)` and embed it directly: embedding(review, 64)',
      });
      return null;
    }
    const vocab = text.attrs['vocab'] as number;
    const weight = ex.addParam(`${c.prefix}.weight`, [vocab, dim], initSpec(init, [vocab, dim]), c.span, c.frame.label);
    return weight && layerOp(c, 'gather', [weight, x]);
  },
};
