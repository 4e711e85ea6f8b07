// Human wording for chevrotain's parse errors: "expected `}` to close `net {`
// opened at line 3, found `loss`" instead of token-type lists. The provider
// reads the current token vector to find which bracket is left open.
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import * as T from '../../grammar/tokens.js';

/** chevrotain's end-of-input token has no real position. */
export function isEof(t: IToken | undefined): boolean {
  return !t || t.tokenType.name === 'EOF' || !Number.isFinite(t.startOffset) || t.startOffset < 0;
}

export function describeToken(t: IToken | undefined): string {
  if (isEof(t) || !t) return 'end of file';
  if (t.tokenType === T.StringLiteral) return `string ${clip(t.image)}`;
  return `\`${clip(t.image)}\``;
}

function clip(s: string): string {
  return s.length > 24 ? s.slice(0, 23) + '…' : s;
}

function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

/** What each rule is, for "expected … in …" phrasing. */
const RULE_CONTEXT: Record<string, string> = {
  modelDecl: 'after `model` (e.g. `model mnist_mlp`)',
  useDecl: 'after `use` (e.g. `use "base.nn"`)',
  inputDecl: 'in an input declaration (e.g. `input image: f32[28, 28]`)',
  typeExpr: 'in a type (e.g. `f32[28, 28]`, `class(10)`)',
  defDecl: 'in a `def` (e.g. `def block(x, units) { … return … }`)',
  defParam: 'in a `def` parameter',
  paramDecl: 'in a parameter declaration (e.g. `param w: [4, units] init he_normal`)',
  binding: 'in a binding `name = value`',
  setting: 'in a setting `name = value`',
  initFrom: 'in `init from "checkpoint"`',
  mapEntry: 'in a name-map entry (e.g. `encoder.* <- base.*`)',
  freezeStmt: 'in a freeze statement (e.g. `freeze encoder.*`)',
  scaleStmt: 'in a scale statement (e.g. `lr_scale head: 10`)',
  entry: 'in an entry `key: value`',
  arg: 'in an argument',
  argList: 'in an argument list',
  listLit: 'in a list',
  objectLit: 'in `{ key: value, … }`',
  ref: 'in a dotted name',
  bindingBlock: 'in a block of bindings',
};

function context(ruleName: string): string {
  const c = RULE_CONTEXT[ruleName];
  return c ? ` ${c}` : '';
}

export class SyntaxMessages implements IParserErrorMessageProvider {
  /** The tokens being parsed (set by the front end before each parse). */
  tokens: IToken[] = [];
  /** For each "expected closer" error, the bracket it should close (reported as a related note). */
  readonly openers = new Map<IToken, IToken>();

  buildMismatchTokenMessage(o: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
    const found = describeToken(o.actual);
    if (o.expected.name === 'EOF') return this.buildNotAllInputParsedMessage({ firstRedundant: o.actual, ruleName: o.ruleName });
    if (o.expected === T.RCurly || o.expected === T.RParen || o.expected === T.RBracket) {
      const opener = this.openBracket(o.actual, o.expected);
      if (opener) this.openers.set(o.actual, opener);
      // `dense(x 10)`: a value on the same line where `,` or `)` must come — most likely a missing comma.
      // On the next line it is more likely the `)` that is missing.
      const sameLine = !isEof(o.previous) && o.previous.endLine === o.actual.startLine;
      const missingComma = (o.expected === T.RParen || o.expected === T.RBracket) && sameLine && startsValue(o.actual);
      if (opener && missingComma) return `expected \`,\` or ${label(o.expected)} to close ${this.openerText(opener)} opened at line ${opener.startLine}, found ${found}`;
      if (opener) return `expected ${label(o.expected)} to close ${this.openerText(opener)} opened at line ${opener.startLine}, found ${found}`;
    }
    return `expected ${label(o.expected)}${context(o.ruleName)}, found ${found}`;
  }

  buildNotAllInputParsedMessage(o: { firstRedundant: IToken; ruleName: string }): string {
    const t = o.firstRedundant;
    if (t.tokenType === T.RCurly || t.tokenType === T.RParen || t.tokenType === T.RBracket) {
      return `unexpected ${describeToken(t)}: there is no open bracket for it to close`;
    }
    return `expected a statement, found ${describeToken(t)}`;
  }

  buildNoViableAltMessage(o: { actual: IToken[]; previous: IToken; ruleName: string }): string {
    const found = describeToken(o.actual[0]);
    switch (o.ruleName) {
      case 'statement':
        // `loss cross_entropy(…)`: a name that is not a statement keyword can only start `name = …`.
        if (o.actual[0]?.tokenType === T.Identifier && o.actual[1] && o.actual[1].tokenType !== T.Equals) {
          return `expected \`=\` after \`${clip(o.actual[0].image)}\` (a setting is \`name = value\`), found ${describeToken(o.actual[1])}`;
        }
        return `expected a statement (\`model\`, \`input\`, \`net { … }\`, \`loss = …\`, …), found ${found}`;
      case 'name':
        return `expected a name, found ${found}`;
      case 'primary':
      case 'unary':
        return `expected a value (a number, string, name, call, list or \`{ … }\`), found ${found}`;
      case 'patternSegment':
        return `expected a parameter name or glob (e.g. \`h\`, \`encoder.*\`), found ${found}`;
      case 'entry':
        if (o.previous && !isEof(o.previous) && (o.previous.tokenType === T.NumberLiteral || startsValue(o.previous)) && o.previous.tokenType !== T.LCurly && o.previous.tokenType !== T.Comma) {
          return `expected \`:\` after the key \`${clip(o.previous.image)}\`, found ${found}`;
        }
        return `expected a key (a name or a number) of \`key: value\`, found ${found}`;
      default:
        return `unexpected ${found}${context(o.ruleName)}`;
    }
  }

  buildEarlyExitMessage(o: { actual: IToken[]; ruleName: string }): string {
    const found = describeToken(o.actual[0]);
    if (o.ruleName === 'freezeStmt') return `expected at least one parameter name or glob, found ${found}`;
    return `expected at least one item${context(o.ruleName)}, found ${found}`;
  }

  /** The innermost bracket still open before `at` that `closer` would close. */
  openBracket(at: IToken, closer: TokenType): IToken | null {
    const limit = isEof(at) ? Infinity : at.startOffset;
    const stack: IToken[] = [];
    for (const t of this.tokens) {
      if (t.startOffset >= limit) break;
      if (T.CLOSER_OF.has(t.tokenType)) stack.push(t);
      else if (t.tokenType === T.RCurly || t.tokenType === T.RParen || t.tokenType === T.RBracket) {
        const i = findLastIndex(stack, (o) => T.CLOSER_OF.get(o.tokenType) === t.tokenType);
        if (i >= 0) stack.length = i;
      }
    }
    for (let i = stack.length - 1; i >= 0; i--) {
      const o = stack[i];
      if (o && T.CLOSER_OF.get(o.tokenType) === closer) return o;
    }
    return null;
  }

  /** `net {`, `dense(`, or just `{`: the opener with the word before it, as the user wrote it. */
  private openerText(opener: IToken): string {
    const i = this.tokens.indexOf(opener);
    const before = i > 0 ? this.tokens[i - 1] : undefined;
    if (before && before.endLine === opener.startLine && /^[A-Za-z_]\w*$/.test(before.image)) {
      const gap = opener.startOffset - (before.endOffset ?? before.startOffset) - 1;
      return `\`${before.image}${gap > 0 ? ' ' : ''}${opener.image}\``;
    }
    return `\`${opener.image}\``;
  }
}

function startsValue(t: IToken): boolean {
  if (isEof(t)) return false;
  return [T.NumberLiteral, T.StringLiteral, T.LParen, T.LBracket, T.LCurly, T.Minus].includes(t.tokenType) || T.AnyName.categoryMatchesMap?.[t.tokenTypeIdx] === true || t.tokenType === T.Identifier;
}

function findLastIndex<X>(xs: X[], f: (x: X) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i] as X)) return i;
  return -1;
}
