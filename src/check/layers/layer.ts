// A built-in callable of the language, expanded into primitives. Each layer
// lives in its own file; `index.ts` is the table.
import type { Span } from '../../syntax/ast.js';
import type { BoundArgs } from '../args.js';
import type { Expander, Frame, Mode } from '../expander.js';
import type { TensorValue, Value } from '../values.js';

export interface LayerCall {
  ex: Expander;
  frame: Frame;
  args: BoundArgs;
  callee: string;
  span: Span;
  /** Names this call's parameters: `h` makes `h.weight`, `h.bias`. */
  prefix: string;
  /** The call as written (`relu(x @ w + b)`), naming its result in messages. */
  text: string;
}

/** A built-in's expansion; its parameter list is the one in `signatures.ts`. */
export interface Layer {
  /** Where the callable may appear. */
  modes: readonly Mode[];
  /** Whether it creates parameters (and so needs a binding name). */
  createsParams: boolean;
  expand(c: LayerCall): Value | null;
}

/** Adds `op` for a layer, locating shape errors at the call and naming the layer. */
export function layerOp(c: LayerCall, op: Parameters<Expander['op']>[0], ins: readonly TensorValue[], attrs: Parameters<Expander['op']>[2] = {}): TensorValue | null {
  return c.ex.op(op, ins, attrs, { span: c.span, label: c.frame.label, who: c.callee, name: c.text });
}
