// What an expression of a `.nn` net, def body or loss evaluates to while the
// checker expands it: a tensor in the graph being built, or a static value
// (numbers fold at compile time: `1/255`, `dim(x, -1) * 2`).
import type { Span } from '../syntax/ast.js';
import type { InitKind, ValueId } from '../ir/types.js';

/** A graph value, with where it was bound (for messages like "from `image` (line 4)"). */
export interface TensorValue {
  kind: 'tensor';
  id: ValueId;
  /** The binding, input or parameter it came from. */
  name: string;
  span: Span | null;
}

export interface NumberValue {
  kind: 'number';
  value: number;
  span: Span;
}

export interface StringValue {
  kind: 'string';
  value: string;
  span: Span;
}

/** A bare identifier that names no value: an activation, an initialiser, `true`, `stratified`. */
export interface SymbolValue {
  kind: 'symbol';
  name: string;
  span: Span;
}

export interface ListValue {
  kind: 'list';
  items: Value[];
  span: Span;
}

/** An initialiser with a setting: `normal(stddev: 0.02)`, `constant(0.1)`. */
export interface InitValue {
  kind: 'init';
  init: InitKind;
  value: number | undefined;
  span: Span;
}

export type Value = TensorValue | NumberValue | StringValue | SymbolValue | ListValue | InitValue;

/** How a value reads in "expected …, got …" messages. */
export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'tensor':
      return `the tensor \`${v.name}\``;
    case 'number':
      return `the number ${v.value}`;
    case 'string':
      return `the string "${v.value}"`;
    case 'symbol':
      return `\`${v.name}\``;
    case 'list':
      return 'a list';
    case 'init':
      return `the initialiser ${v.init}`;
  }
}
