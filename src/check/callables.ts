// Resolves a call in a net, def body or loss: a user `def` (which shadows a
// built-in), `dim`, an initialiser, a built-in layer or loss function, or a
// layer of a later issue (a clear "not supported yet").
import type { Call } from '../syntax/ast.js';
import { bindArgs } from './args.js';
import { exprText } from './exprText.js';
import type { Expander, Frame } from './expander.js';
import { didYouMean, formatType } from './format.js';
import { initCall, isInitKind } from './init.js';
import { INITIALISERS, netCallable } from './signatures.js';
import { slotsOf } from './sigs.js';
import { LATER, LAYERS } from './layers/index.js';
import { defSlots } from './defs.js';
import { normalizeAxis } from '../ir/shapes.js';
import type { Value } from './values.js';

export function callCallable(ex: Expander, call: Call, frame: Frame, prefix?: string): Value | null {
  const name = call.callee.name;
  const evaluate = (e: Parameters<Expander['evaluate']>[0]) => ex.evaluate(e, frame);

  const def = ex.defs.get(name);
  if (def) {
    if (frame.mode !== 'net') {
      ex.sink.report('NNC3003', `\`${name}\` is a layer; it belongs in \`net { }\``, call.callee.span, { hint: 'bind it in the net and use its name in the loss' });
      return null;
    }
    const args = bindArgs(name, call, defSlots(def), evaluate, ex.sink);
    if (!args) return null;
    const values = new Map<string, Value>();
    for (const p of def.params) {
      const v = args.raw(p.name.name) ?? (p.default ? ex.evaluate(p.default, frame) : null);
      if (v === null || v === undefined) return null;
      values.set(p.name.name, v);
    }
    return ex.callDef(def, call, frame, ex.layerPrefix(frame, name, prefix), values);
  }

  if (name === 'dim' && netCallable('dim')) return dim(ex, call, frame);

  const initSig = INITIALISERS.get(name);
  if (initSig && isInitKind(name)) {
    const args = bindArgs(name, call, slotsOf(initSig), evaluate, ex.sink);
    return args && initCall(name, args, call, ex.sink);
  }

  const layer = LAYERS[name];
  const sig = netCallable(name);
  if (layer && sig) {
    if (!layer.modes.includes(frame.mode)) {
      const hint = frame.mode === 'net' ? `\`${name}\` belongs in \`loss = …\`` : `bind \`${name}(…)\` in \`net { }\` and use its name in the loss`;
      ex.sink.report('NNC3003', `\`${name}\` cannot be used in ${frame.mode === 'net' ? 'a net' : 'the loss'}`, call.callee.span, { hint });
      return null;
    }
    const layerPrefix = layer.createsParams ? ex.layerPrefix(frame, name, prefix) : '';
    const args = bindArgs(name, call, slotsOf(sig), evaluate, ex.sink);
    if (!args) return null;
    return layer.expand({ ex, frame, args, callee: name, span: call.span, prefix: layerPrefix, text: exprText(call) });
  }

  const later = LATER[name];
  if (later) {
    ex.sink.report('NNC3003', `\`${name}\` is not supported yet (issue ${later.issue}: ${later.topic})`, call.callee.span, {
      hint: `available now: ${Object.keys(LAYERS).filter((k) => LAYERS[k]!.modes.includes(frame.mode)).join(', ')}, or a \`def\` of your own`,
    });
    return null;
  }

  const known = [...Object.keys(LAYERS), ...ex.defs.keys(), 'dim'];
  if (sig) {
    // In the table but not expanded by the checker: a gap in this stage, said plainly.
    ex.sink.report('NNC3003', `\`${name}\` is not supported by the checker yet`, call.callee.span, { hint: didYouMean(name, known) ?? `available: ${known.join(', ')}` });
    return null;
  }
  ex.sink.report('NNC3003', `unknown layer or function \`${name}\``, call.callee.span, { hint: didYouMean(name, known) ?? `known: ${known.join(', ')}` });
  return null;
}

/** `dim(x, axis)`: a static size of `x` (the batch axis is known only at run time). */
function dim(ex: Expander, call: Call, frame: Frame): Value | null {
  const args = bindArgs('dim', call, slotsOf(netCallable('dim')!), (e) => ex.evaluate(e, frame), ex.sink);
  if (!args) return null;
  const x = args.tensor('x');
  const axis = args.number('axis', null, { integer: true });
  if (!x || axis === null) return null;
  const t = ex.type(x);
  const a = normalizeAxis(axis, t.shape.length);
  if (a === null) {
    ex.sink.report('NNC3024', `dim: axis ${axis} is out of range for ${formatType(t)} from \`${x.name}\``, args.span('axis'), {
      hint: `axes of a rank-${t.shape.length} tensor are 0…${t.shape.length - 1} (or -1 for the last)`,
    });
    return null;
  }
  const d = t.shape[a]!;
  if (typeof d !== 'number') {
    ex.sink.report('NNC3024', `dim: axis ${axis} of ${formatType(t)} is \`${d}\`, whose size is known only at run time`, args.span('axis'), { hint: 'use a feature axis, e.g. dim(x, -1)' });
    return null;
  }
  return { kind: 'number', value: d, span: call.span };
}
