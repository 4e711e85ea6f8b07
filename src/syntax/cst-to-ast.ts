// The one place that reads chevrotain's CST and builds the AST. Every AST node
// gets the span of the source tokens it covers. After error recovery the CST
// may lack children; such nodes are dropped (the parser already reported why),
// so this module never throws on user input.
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type * as A from './ast.js';
import { isValidNumberText } from './literals.js';
import { unescapeString } from './literals.js';

type Maybe<T> = T | null;

function isNode(e: CstElement): e is CstNode {
  return (e as CstNode).children !== undefined;
}

function isRealToken(t: IToken): boolean {
  return !t.isInsertedInRecovery && Number.isFinite(t.startOffset) && Number.isFinite(t.endOffset ?? NaN);
}

function kids(n: CstNode, key: string): CstNode[] {
  return (n.children[key] ?? []).filter(isNode);
}

function toks(n: CstNode, key: string): IToken[] {
  return (n.children[key] ?? []).filter((e): e is IToken => !isNode(e) && isRealToken(e));
}

function kid(n: CstNode, key: string): CstNode | null {
  return kids(n, key)[0] ?? null;
}

function tok(n: CstNode, key: string): IToken | null {
  return toks(n, key)[0] ?? null;
}

/** Real tokens below a CST node, in source order. */
function tokensOf(n: CstNode, out: IToken[] = []): IToken[] {
  for (const list of Object.values(n.children)) {
    for (const e of list) {
      if (isNode(e)) tokensOf(e, out);
      else if (isRealToken(e)) out.push(e);
    }
  }
  return out;
}

export class AstBuilder {
  constructor(
    private readonly file: string,
    private readonly sink: DiagnosticSink,
  ) {}

  tokenSpan(first: IToken, last: IToken = first): A.Span {
    const end = (last.endOffset ?? last.startOffset) + 1;
    return { file: this.file, offset: first.startOffset, line: first.startLine ?? 1, column: first.startColumn ?? 1, length: end - first.startOffset };
  }

  nodeSpan(n: CstNode): Maybe<A.Span> {
    const loc = n.location;
    // chevrotain tracks node locations; after error recovery they may be missing, then the tokens decide.
    if (loc && !n.recoveredNode && Number.isFinite(loc.startOffset) && Number.isFinite(loc.endOffset) && loc.startOffset >= 0 && (loc.endOffset ?? -1) >= loc.startOffset) {
      return { file: this.file, offset: loc.startOffset, line: loc.startLine ?? 1, column: loc.startColumn ?? 1, length: (loc.endOffset as number) - loc.startOffset + 1 };
    }
    const ts = tokensOf(n).sort((a, b) => a.startOffset - b.startOffset);
    const first = ts[0];
    const last = ts[ts.length - 1];
    return first && last ? this.tokenSpan(first, last) : null;
  }

  joinSpans(a: A.Span, b: A.Span): A.Span {
    return { ...a, length: b.offset + b.length - a.offset };
  }

  // ------------------------------------------------------------ statements

  spec(cst: CstNode): A.Spec {
    const statements: A.Statement[] = [];
    for (const s of kids(cst, 'statement')) {
      const st = this.statement(s);
      if (st) statements.push(st);
    }
    return { kind: 'spec', file: this.file, statements };
  }

  statement(n: CstNode): Maybe<A.Statement> {
    const inner = Object.values(n.children).flat().find(isNode);
    if (!inner) return null;
    switch (inner.name) {
      case 'modelDecl': return this.modelDecl(inner);
      case 'useDecl': return this.useDecl(inner);
      case 'inputDecl': return this.inputDecl(inner);
      case 'defDecl': return this.defDecl(inner);
      case 'netBlock': return this.block(inner, 'net');
      case 'dataBlock': return this.block(inner, 'data');
      case 'trainBlock': return this.objectBlock(inner, 'train');
      case 'phasesBlock': return this.objectBlock(inner, 'phases');
      case 'initFrom': return this.initFrom(inner);
      case 'replaceStmt': return this.replace(inner);
      case 'freezeStmt': return this.freeze(inner);
      case 'scaleStmt': return this.scale(inner);
      case 'setting': return this.setting(inner);
      default: return null;
    }
  }

  private modelDecl(n: CstNode): Maybe<A.ModelDecl> {
    const span = this.nodeSpan(n);
    const name = this.ident(kid(n, 'name'));
    return span && name ? { kind: 'model', name, span } : null;
  }

  private useDecl(n: CstNode): Maybe<A.UseDecl> {
    const span = this.nodeSpan(n);
    const path = this.stringLit(tok(n, 'StringLiteral'));
    return span && path ? { kind: 'use', path, span } : null;
  }

  private inputDecl(n: CstNode): Maybe<A.InputDecl> {
    const span = this.nodeSpan(n);
    const name = this.ident(kid(n, 'name'));
    const type = this.typeExpr(kid(n, 'typeExpr'));
    const kind = tok(n, 'Kw_target') ? 'target' : 'input';
    return span && name && type ? { kind, name, type, span } : null;
  }

  private typeExpr(n: Maybe<CstNode>): Maybe<A.TypeExpr> {
    if (!n) return null;
    const span = this.nodeSpan(n);
    const name = this.ident(kid(n, 'name'));
    const list = kid(n, 'listLit');
    const args = kid(n, 'argList');
    if (!span || !name) return null;
    return { kind: 'type', name, dims: list ? this.exprs(kids(list, 'expression')) : null, args: args ? this.args(args) : null, span };
  }

  private defDecl(n: CstNode): Maybe<A.Def> {
    const span = this.nodeSpan(n);
    const name = this.ident(kid(n, 'name'));
    if (!span || !name) return null;
    const params: A.DefParam[] = [];
    for (const p of kids(n, 'defParam')) {
      const pSpan = this.nodeSpan(p);
      const pName = this.ident(kid(p, 'name'));
      const dflt = kid(p, 'expression');
      if (pSpan && pName) params.push({ kind: 'def_param', name: pName, default: dflt ? this.expr(dflt) : null, span: pSpan });
    }
    // Body statements of three kinds, restored to source order.
    const body: { at: number; st: A.ParamDecl | A.Binding | A.ReturnStmt }[] = [];
    for (const p of kids(n, 'paramDecl')) {
      const st = this.paramDecl(p);
      if (st) body.push({ at: st.span.offset, st });
    }
    for (const r of kids(n, 'returnStmt')) {
      const rSpan = this.nodeSpan(r);
      const value = this.expr(kid(r, 'expression'));
      if (rSpan && value) body.push({ at: rSpan.offset, st: { kind: 'return', value, span: rSpan } });
    }
    for (const b of kids(n, 'binding')) {
      const st = this.binding(b);
      if (st) body.push({ at: st.span.offset, st });
    }
    body.sort((a, b) => a.at - b.at);
    return { kind: 'def', name, params, body: body.map((b) => b.st), span };
  }

  private paramDecl(n: CstNode): Maybe<A.ParamDecl> {
    const span = this.nodeSpan(n);
    const name = this.ident(kid(n, 'name'));
    const list = kid(n, 'listLit');
    const init = kid(n, 'expression');
    if (!span || !name || !list) return null;
    return { kind: 'param', name, shape: this.exprs(kids(list, 'expression')), init: init ? this.expr(init) : null, span };
  }

  private block(n: CstNode, kind: 'net' | 'data'): Maybe<A.NetBlock | A.DataBlock> {
    const span = this.nodeSpan(n);
    const block = kid(n, 'bindingBlock');
    if (!span || !block) return null;
    const body = kids(block, 'binding').map((b) => this.binding(b)).filter((b): b is A.Binding => b !== null);
    return { kind, body, span };
  }

  private objectBlock(n: CstNode, kind: 'train' | 'phases'): Maybe<A.TrainBlock | A.PhasesBlock> {
    const span = this.nodeSpan(n);
    const body = this.objectLit(kid(n, 'objectLit'));
    return span && body ? { kind, body, span } : null;
  }

  binding(n: Maybe<CstNode>): Maybe<A.Binding> {
    if (!n) return null;
    this.wrongSeparator(tok(n, 'wrongColon'), '`=`', 'statements bind with `=`; `:` is for named arguments and keys');
    const span = this.nodeSpan(n);
    const name = this.ident(kid(n, 'name'));
    const value = this.expr(kid(n, 'expression'));
    return span && name && value ? { kind: 'binding', name, value, span } : null;
  }

  private setting(n: CstNode): Maybe<A.Setting> {
    const b = this.binding(kid(n, 'binding'));
    return b ? { kind: 'setting', key: b.name, value: b.value, span: b.span } : null;
  }

  private initFrom(n: CstNode): Maybe<A.InitFrom> {
    const span = this.nodeSpan(n);
    const path = this.stringLit(tok(n, 'StringLiteral'));
    if (!span || !path) return null;
    let map: A.MapEntry[] | null = null;
    if (tok(n, 'Kw_map')) {
      map = [];
      for (const m of kids(n, 'mapEntry')) {
        const mSpan = this.nodeSpan(m);
        const to = this.pattern(kid(m, 'to'));
        const from = this.pattern(kid(m, 'from'));
        if (mSpan && to && from) map.push({ kind: 'map_entry', to, from, span: mSpan });
      }
    }
    const allowUnmatched = tok(n, 'Kw_allow') ? this.patterns(kids(n, 'pattern')) : null;
    return { kind: 'init_from', path, map, allowUnmatched, span };
  }

  private replace(n: CstNode): Maybe<A.Replace> {
    const span = this.nodeSpan(n);
    const binding = this.binding(kid(n, 'binding'));
    return span && binding ? { kind: 'replace', binding, span } : null;
  }

  private freeze(n: CstNode): Maybe<A.FreezeStmt> {
    const span = this.nodeSpan(n);
    if (!span) return null;
    const targets = this.patterns(kids(n, 'targets'));
    if (targets.length === 0) return null;
    const except = tok(n, 'Kw_except') ? this.patterns(kids(n, 'except')) : null;
    return { kind: tok(n, 'Kw_unfreeze') ? 'unfreeze' : 'freeze', targets, except, span };
  }

  private scale(n: CstNode): Maybe<A.ScaleStmt> {
    const span = this.nodeSpan(n);
    const group = this.pattern(kid(n, 'pattern'));
    const factor = this.expr(kid(n, 'expression'));
    if (!span || !group || !factor) return null;
    return { kind: tok(n, 'Kw_decay_scale') ? 'decay_scale' : 'lr_scale', group, factor, span };
  }

  private patterns(ns: CstNode[]): A.Pattern[] {
    return ns.map((p) => this.pattern(p)).filter((p): p is A.Pattern => p !== null);
  }

  private pattern(n: Maybe<CstNode>): Maybe<A.Pattern> {
    if (!n) return null;
    const span = this.nodeSpan(n);
    if (!span) return null;
    const segments = kids(n, 'patternSegment').map((s) => tokensOf(s).map((t) => t.image).join(''));
    if (segments.length === 0 || segments.some((s) => s === '')) return null;
    return { kind: 'pattern', text: segments.join('.'), span };
  }

  // ------------------------------------------------------------ expressions

  private exprs(ns: CstNode[]): A.Expr[] {
    return ns.map((e) => this.expr(e)).filter((e): e is A.Expr => e !== null);
  }

  expr(n: Maybe<CstNode>): Maybe<A.Expr> {
    if (!n) return null;
    switch (n.name) {
      case 'expression': return this.binaryChain(n, 'multiplicative', ['Plus', 'Minus']);
      case 'multiplicative': return this.binaryChain(n, 'unary', ['Star', 'Slash', 'At']);
      case 'unary': return this.unary(n);
      case 'postfix': return this.postfix(n);
      case 'primary': return this.primary(n);
      default: return null;
    }
  }

  /** Left-associative chain `a op b op c`; operators and operands are matched by source position. */
  private binaryChain(n: CstNode, operandRule: string, opTokens: string[]): Maybe<A.Expr> {
    const operands = kids(n, operandRule);
    const ops = opTokens.flatMap((k) => toks(n, k)).sort((a, b) => a.startOffset - b.startOffset);
    let left = this.expr(operands[0] ?? null);
    if (!left) return null;
    for (let i = 1; i < operands.length; i++) {
      const right = this.expr(operands[i] ?? null);
      const op = ops[i - 1];
      if (!right || !op) return null;
      left = { kind: 'binary', op: op.image as A.BinaryOp, left, right, span: this.joinSpans(left.span, right.span) };
    }
    return left;
  }

  private unary(n: CstNode): Maybe<A.Expr> {
    const minus = tok(n, 'Minus');
    if (!minus) return this.expr(kid(n, 'postfix'));
    const operand = this.expr(kid(n, 'unary'));
    if (!operand) return null;
    const span = this.joinSpans(this.tokenSpan(minus), operand.span);
    // `-1` is a literal, not an operation: later stages read axes like `dim(x, -1)` directly.
    if (operand.kind === 'number') return { kind: 'number', value: -operand.value, text: `-${operand.text}`, span };
    return { kind: 'unary', op: '-', operand, span };
  }

  private postfix(n: CstNode): Maybe<A.Expr> {
    const value = this.expr(kid(n, 'primary'));
    const unit = tok(n, 'unit');
    if (!value || !unit) return value;
    return { kind: 'duration', value, unit: unit.image.startsWith('epoch') ? 'epoch' : 'step', span: this.joinSpans(value.span, this.tokenSpan(unit)) };
  }

  private primary(n: CstNode): Maybe<A.Expr> {
    const num = tok(n, 'NumberLiteral');
    if (num) return this.numberLit(num);
    const str = tok(n, 'StringLiteral');
    if (str) return this.stringLit(str);
    const list = kid(n, 'listLit');
    if (list) {
      const span = this.nodeSpan(list);
      return span ? { kind: 'list', items: this.exprs(kids(list, 'expression')), span } : null;
    }
    const obj = kid(n, 'objectLit');
    if (obj) return this.objectLit(obj);
    const paren = kid(n, 'parenExpr');
    if (paren) return this.expr(kid(paren, 'expression'));
    const call = kid(n, 'call');
    if (call) return this.call(call);
    const ref = kid(n, 'ref');
    if (ref) return this.ref(ref);
    return null;
  }

  private call(n: CstNode): Maybe<A.Call> {
    const span = this.nodeSpan(n);
    const callee = this.ident(kid(n, 'name'));
    const argList = kid(n, 'argList');
    if (!span || !callee || !argList) return null;
    return { kind: 'call', callee, args: this.args(argList), span };
  }

  private args(argList: CstNode): A.Arg[] {
    const out: A.Arg[] = [];
    for (const a of kids(argList, 'arg')) {
      this.wrongSeparator(tok(a, 'wrongEquals'), '`:`', 'named arguments use `:`, e.g. `dense(x, 10, activation: relu)`');
      const span = this.nodeSpan(a);
      const value = this.expr(kid(a, 'expression'));
      const argName = kid(a, 'argName');
      const name = argName ? this.ident(argName) : null;
      if (span && value && (name || !argName)) out.push({ kind: 'arg', name, value, span });
    }
    return out;
  }

  private ref(n: CstNode): Maybe<A.Ref> {
    const span = this.nodeSpan(n);
    const ts = tokensOf(n).sort((a, b) => a.startOffset - b.startOffset);
    if (!span || ts.length === 0 || ts[ts.length - 1]?.image === '.') return null;
    return { kind: 'ref', name: ts.map((t) => t.image).join(''), span };
  }

  objectLit(n: Maybe<CstNode>): Maybe<A.ObjectLit> {
    if (!n) return null;
    const span = this.nodeSpan(n);
    if (!span) return null;
    const entries: A.Entry[] = [];
    for (const e of kids(n, 'entry')) {
      this.wrongSeparator(tok(e, 'wrongEquals'), '`:`', 'keys use `:`, e.g. `{ epochs: 10 }`');
      const eSpan = this.nodeSpan(e);
      const keyTok = tok(e, 'NumberLiteral');
      const key = keyTok ? { kind: 'ident' as const, name: keyTok.image, span: this.tokenSpan(keyTok) } : this.ident(kid(e, 'name'));
      const value = this.expr(kid(e, 'expression'));
      if (eSpan && key && value) entries.push({ kind: 'entry', key, value, span: eSpan });
    }
    return { kind: 'object', entries, span };
  }

  // ------------------------------------------------------------ leaves

  private wrongSeparator(t: Maybe<IToken>, expected: string, hint: string): void {
    if (t) this.sink.report('NNC1002', `expected ${expected}, found \`${t.image}\``, this.tokenSpan(t), { hint });
  }

  private ident(n: Maybe<CstNode>): Maybe<A.Ident> {
    const t = n ? tokensOf(n)[0] : undefined;
    return t ? { kind: 'ident', name: t.image, span: this.tokenSpan(t) } : null;
  }

  private numberLit(t: IToken): A.NumberLit {
    const span = this.tokenSpan(t);
    const value = Number(t.image);
    if (!isValidNumberText(t.image)) {
      this.sink.report('NNC1004', `invalid number literal \`${t.image}\``, span, { hint: 'numbers look like `10`, `0.5`, `1e-4` or `.25`; durations need a space: `1 epoch`' });
      return { kind: 'number', value: 0, text: t.image, span };
    }
    if (!Number.isFinite(value)) {
      this.sink.report('NNC1004', `number literal \`${t.image}\` is too large`, span);
      return { kind: 'number', value: 0, text: t.image, span };
    }
    return { kind: 'number', value, text: t.image, span };
  }

  private stringLit(t: Maybe<IToken>): Maybe<A.StringLit> {
    if (!t) return null;
    return { kind: 'string', value: unescapeString(t.image), span: this.tokenSpan(t) };
  }
}
