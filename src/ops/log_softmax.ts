// log(softmax(x)) along `attrs.axis` (default -1), computed stably as
// x - logsumexp(x). VJP from the saved output y: dx = dy - e^y * Σ dy.
import type { OpDef } from './op.js';
import { call } from './common.js';
import { softmaxAxis, softmaxShape } from './softmax.js';

export const logSoftmax: OpDef = {
  kind: 'log_softmax',
  arity: 1,
  shape: softmaxShape('log_softmax'),
  vjp(b, node, dy) {
    const s = b.add('sum', [dy], { axes: [softmaxAxis(node)], keepDims: true });
    return [b.add('sub', [dy, b.add('mul', [b.add('exp', [node.id]), s])])];
  },
  lower([x], node) {
    const axis = softmaxAxis(node);
    return axis === node.type.shape.length - 1 ? call('tf.logSoftmax', x!) : call('rt.logSoftmax', x!, String(axis));
  },
};
