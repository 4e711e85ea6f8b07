// The AST of a `.nn` spec: plain JSON-serialisable data, every node carrying
// the source span it came from. `schema/nn-spec.schema.json` describes exactly
// this shape; a spec may be given as JSON instead of `.nn` text.

/** A region of source text. `line` and `column` are 1-based; `offset` is 0-based (UTF-16 units). */
export interface Span {
  file: string;
  offset: number;
  line: number;
  column: number;
  length: number;
}

interface Node {
  span: Span;
}

/** An identifier as written, with its own span (for "did you mean" carets). */
export interface Ident extends Node {
  kind: 'ident';
  name: string;
}

// ---------------------------------------------------------------- expressions

export interface NumberLit extends Node {
  kind: 'number';
  value: number;
  /** The literal as written (`1e-4`), kept so diagnostics and round trips can quote it. */
  text: string;
}

export interface StringLit extends Node {
  kind: 'string';
  value: string;
}

/** A reference to a bound name, possibly dotted: `h`, `h.weight`, `train`. */
export interface Ref extends Node {
  kind: 'ref';
  /** Dotted path, e.g. `h.weight`. */
  name: string;
}

/** A named or positional argument: `10`, `activation: relu`. */
export interface Arg extends Node {
  kind: 'arg';
  name: Ident | null;
  value: Expr;
}

export interface Call extends Node {
  kind: 'call';
  callee: Ident;
  args: Arg[];
}

export type BinaryOp = '+' | '-' | '*' | '/' | '@';

export interface Binary extends Node {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

export interface Unary extends Node {
  kind: 'unary';
  op: '-';
  operand: Expr;
}

/** `1 epoch`, `500 steps`. */
export interface Duration extends Node {
  kind: 'duration';
  value: Expr;
  unit: 'epoch' | 'step';
}

export interface ListLit extends Node {
  kind: 'list';
  items: Expr[];
}

/** `{ epochs: 10, batch: 128 }`; keys may be identifiers or numbers (`phases { 1: {...} }`). */
export interface ObjectLit extends Node {
  kind: 'object';
  entries: Entry[];
}

export interface Entry extends Node {
  kind: 'entry';
  key: Ident;
  value: Expr;
}

export type Expr = NumberLit | StringLit | Ref | Call | Binary | Unary | Duration | ListLit | ObjectLit;

// ---------------------------------------------------------------- types

/**
 * A value type: `f32[28, 28]` (name `f32`, dims), `class(10)` (args), `binary`,
 * `text(vocab: 5000, length: 40)`. Dims exclude the implicit batch axis.
 */
export interface TypeExpr extends Node {
  kind: 'type';
  name: Ident;
  dims: Expr[] | null;
  args: Arg[] | null;
}

// ---------------------------------------------------------------- statements

/** `x = expr` inside `net { }`, `data { }`, `def` bodies, and `replace`. */
export interface Binding extends Node {
  kind: 'binding';
  name: Ident;
  value: Expr;
}

export interface ModelDecl extends Node {
  kind: 'model';
  name: Ident;
}

export interface UseDecl extends Node {
  kind: 'use';
  path: StringLit;
}

export interface InputDecl extends Node {
  kind: 'input' | 'target';
  name: Ident;
  type: TypeExpr;
}

/** `param w: [dim(x, -1), units] init he_normal` inside a `def`. */
export interface ParamDecl extends Node {
  kind: 'param';
  name: Ident;
  shape: Expr[];
  init: Expr | null;
}

export interface DefParam extends Node {
  kind: 'def_param';
  name: Ident;
  default: Expr | null;
}

export interface ReturnStmt extends Node {
  kind: 'return';
  value: Expr;
}

export interface Def extends Node {
  kind: 'def';
  name: Ident;
  params: DefParam[];
  body: (ParamDecl | Binding | ReturnStmt)[];
}

export interface NetBlock extends Node {
  kind: 'net';
  body: Binding[];
}

/** Top-level `loss = …`, `optimizer = …`, `schedule = …`. */
export interface Setting extends Node {
  kind: 'setting';
  key: Ident;
  value: Expr;
}

export interface DataBlock extends Node {
  kind: 'data';
  body: Binding[];
}

export interface TrainBlock extends Node {
  kind: 'train';
  body: ObjectLit;
}

/** `encoder.* <- base.*` inside `init from "…" map { … }`. */
export interface MapEntry extends Node {
  kind: 'map_entry';
  to: Pattern;
  from: Pattern;
}

export interface InitFrom extends Node {
  kind: 'init_from';
  path: StringLit;
  map: MapEntry[] | null;
  /** Names allowed to stay unmatched (`allow unmatched [...]`), explicit opt-out of strictness. */
  allowUnmatched: Pattern[] | null;
}

export interface Replace extends Node {
  kind: 'replace';
  binding: Binding;
}

/** A parameter name or glob (`h`, `encoder.*`, `all`). */
export interface Pattern extends Node {
  kind: 'pattern';
  text: string;
}

export interface FreezeStmt extends Node {
  kind: 'freeze' | 'unfreeze';
  targets: Pattern[];
  /** `freeze all except head` */
  except: Pattern[] | null;
}

export interface ScaleStmt extends Node {
  kind: 'lr_scale' | 'decay_scale';
  group: Pattern;
  factor: Expr;
}

export interface PhasesBlock extends Node {
  kind: 'phases';
  body: ObjectLit;
}

export type Statement =
  | ModelDecl
  | UseDecl
  | InputDecl
  | Def
  | NetBlock
  | Setting
  | DataBlock
  | TrainBlock
  | InitFrom
  | Replace
  | FreezeStmt
  | ScaleStmt
  | PhasesBlock;

/** The root: statements in source order (duplicates are kept so the checker can report them). */
export interface Spec {
  kind: 'spec';
  file: string;
  statements: Statement[];
}
