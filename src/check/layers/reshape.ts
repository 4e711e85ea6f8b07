// reshape(x, [d1, d2, …]): new non-batch axes (the batch axis stays first);
// one entry may be -1, inferred from the element count.
import { formatType } from '../format.js';
import { layerOp, type Layer } from './layer.js';

export const reshape: Layer = {
  modes: ['net'],
  createsParams: false,
  expand(c) {
    const x = c.args.tensor('x');
    const shapeArg = c.args.raw('shape');
    if (!x || !shapeArg) return null;
    const t = c.ex.type(x);
    const at = c.args.span('shape');
    if (shapeArg.kind !== 'list' || shapeArg.items.some((i) => i.kind !== 'number' || !Number.isInteger(i.value) || (i.value < 1 && i.value !== -1))) {
      c.ex.sink.report('NNC3010', 'reshape: `shape` must be a list of positive sizes (one may be -1), without the batch axis', at, { hint: 'e.g. reshape(x, [28, 28, 1])' });
      return null;
    }
    const dims = shapeArg.items.map((i) => (i.kind === 'number' ? i.value : 0));
    if (t.shape[0] !== 'batch' || t.shape.slice(1).some((d) => typeof d !== 'number')) {
      c.ex.sink.report('NNC3020', `reshape needs a batch of known sizes, got ${c.ex.describe(x)}`, c.args.span('x'));
      return null;
    }
    const count = (t.shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
    const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const free = dims.filter((d) => d === -1).length;
    if (free > 1 || (free === 1 && count % known !== 0) || (free === 0 && known !== count)) {
      c.ex.sink.report('NNC3020', `reshape: cannot reshape ${formatType(t)} from \`${x.name}\` to [batch, ${dims.join(', ')}]`, at, {
        hint: `the non-batch sizes must multiply to ${count}`,
      });
      return null;
    }
    const shape = dims.map((d) => (d === -1 ? count / known : d));
    return layerOp(c, 'reshape', [x], { shape: ['batch', ...shape] });
  },
};
