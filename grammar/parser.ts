// The .nn grammar as a chevrotain CstParser: syntax only, no semantics.
// Error recovery is on, so one run reports every syntax error of a file and
// still yields a (partial) CST. src/syntax/cst-to-ast.ts turns the CST into the AST.
import './node20.js';
import { CstParser, type CstNode, type IParserErrorMessageProvider, type TokenType } from 'chevrotain';
import * as T from './tokens.js';

/** Keywords that begin a top-level statement. */
export const STATEMENT_KEYWORDS: ReadonlySet<TokenType> = new Set([
  T.Model, T.Use, T.Input, T.Target, T.Def, T.Net, T.Data, T.Train, T.Init, T.Replace, T.Freeze, T.Unfreeze, T.LrScale, T.DecayScale, T.Phases,
]);

export class NnParser extends CstParser {
  /**
   * Alternatives and gated options built once per parser instead of on every rule call
   * (chevrotain's recommended "OR caching"; their closures capture nothing but `this`).
   */
  private readonly altCache = new Map<number, unknown>();
  private cached<X>(site: number, make: () => X): X {
    let alts = this.altCache.get(site) as X | undefined;
    if (alts === undefined) this.altCache.set(site, (alts = make()));
    return alts;
  }

  /** Whether the next tokens unmistakably begin a statement (`net {`, `init from`, `input x:` …). */
  private startsStatement(): boolean {
    const [a, b, c] = [this.LA(1).tokenType, this.LA(2).tokenType, this.LA(3).tokenType];
    switch (a) {
      case T.Net: case T.Data: case T.Train: case T.Phases: return b === T.LCurly;
      case T.Init: return b === T.From;
      case T.Use: return b === T.StringLiteral;
      case T.Input: case T.Target: return c === T.Colon;
      case T.Def: return c === T.LParen;
      case T.Replace: return c === T.Equals;
      case T.Model: case T.Freeze: case T.Unfreeze: case T.LrScale: case T.DecayScale: return b !== T.Dot && b !== T.Comma && b !== T.Colon;
      default: return false;
    }
  }

  constructor(messages?: IParserErrorMessageProvider) {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: 'full', ...(messages ? { errorMessageProvider: messages } : {}) });
    this.performSelfAnalysis();
  }

  spec = this.RULE('spec', () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  statement = this.RULE('statement', () => {
    this.OR(this.cached(1, () => [
      { ALT: () => this.SUBRULE(this.modelDecl) },
      { ALT: () => this.SUBRULE(this.useDecl) },
      { ALT: () => this.SUBRULE(this.inputDecl) },
      { ALT: () => this.SUBRULE(this.defDecl) },
      { ALT: () => this.SUBRULE(this.netBlock) },
      { ALT: () => this.SUBRULE(this.dataBlock) },
      { ALT: () => this.SUBRULE(this.trainBlock) },
      { ALT: () => this.SUBRULE(this.initFrom) },
      { ALT: () => this.SUBRULE(this.replaceStmt) },
      { ALT: () => this.SUBRULE(this.freezeStmt) },
      { ALT: () => this.SUBRULE(this.scaleStmt) },
      { ALT: () => this.SUBRULE(this.phasesBlock) },
      { ALT: () => this.SUBRULE(this.setting) },
    ]));
  });

  /** Any identifier, keywords included: keywords are reserved only where they start a statement. */
  name = this.RULE('name', () => {
    this.CONSUME(T.AnyName);
  });

  modelDecl = this.RULE('modelDecl', () => {
    this.CONSUME(T.Model);
    this.SUBRULE(this.name);
  });

  useDecl = this.RULE('useDecl', () => {
    this.CONSUME(T.Use);
    this.CONSUME(T.StringLiteral);
  });

  inputDecl = this.RULE('inputDecl', () => {
    this.OR(this.cached(2, () => [{ ALT: () => this.CONSUME(T.Input) }, { ALT: () => this.CONSUME(T.Target) }]));
    this.SUBRULE(this.name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  /** `f32[28, 28]`, `class(10)`, `binary`, `text(vocab: 5000, length: 40)`. */
  typeExpr = this.RULE('typeExpr', () => {
    this.SUBRULE(this.name);
    this.OPTION(() => this.SUBRULE(this.listLit));
    this.OPTION2(() => this.SUBRULE(this.argList));
  });

  defDecl = this.RULE('defDecl', () => {
    this.CONSUME(T.Def);
    this.SUBRULE(this.name);
    this.CONSUME(T.LParen);
    this.MANY_SEP(this.cached(3, () => ({ SEP: T.Comma, DEF: () => this.SUBRULE(this.defParam) })));
    this.CONSUME(T.RParen);
    this.CONSUME(T.LCurly);
    this.MANY(() =>
      this.OR(this.cached(4, () => [
        { ALT: () => this.SUBRULE(this.paramDecl) },
        { ALT: () => this.SUBRULE(this.returnStmt) },
        { ALT: () => this.SUBRULE(this.binding) },
      ])),
    );
    this.CONSUME(T.RCurly);
  });

  /** `units` or `units: 64` (a default). */
  defParam = this.RULE('defParam', () => {
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.expression);
    });
  });

  /** `param w: [dim(x, -1), units] init he_normal` */
  paramDecl = this.RULE('paramDecl', () => {
    this.CONSUME(T.Param);
    this.SUBRULE(this.name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.listLit);
    this.OPTION(() => {
      this.CONSUME(T.Init);
      this.SUBRULE(this.expression);
    });
  });

  returnStmt = this.RULE('returnStmt', () => {
    this.CONSUME(T.Return);
    this.SUBRULE(this.expression);
  });

  netBlock = this.RULE('netBlock', () => {
    this.CONSUME(T.Net);
    this.SUBRULE(this.bindingBlock);
  });

  dataBlock = this.RULE('dataBlock', () => {
    this.CONSUME(T.Data);
    this.SUBRULE(this.bindingBlock);
  });

  bindingBlock = this.RULE('bindingBlock', () => {
    this.CONSUME(T.LCurly);
    // A statement keyword not followed by `=` means the block was left open:
    // stop here so the error is "expected `}` to close `net {`".
    this.MANY(this.cached(5, () => ({
      GATE: () => !STATEMENT_KEYWORDS.has(this.LA(1).tokenType) || this.LA(2).tokenType === T.Equals,
      DEF: () => this.SUBRULE(this.binding),
    })));
    this.CONSUME(T.RCurly);
  });

  /** `name = value`. A `:` in place of `=` is accepted here and reported by the AST builder, with a precise message. */
  binding = this.RULE('binding', () => {
    this.SUBRULE(this.name);
    this.OR(this.cached(6, () => [{ ALT: () => this.CONSUME(T.Equals) }, { ALT: () => this.CONSUME(T.Colon, { LABEL: 'wrongColon' }) }]));
    this.SUBRULE(this.expression);
  });

  trainBlock = this.RULE('trainBlock', () => {
    this.CONSUME(T.Train);
    this.SUBRULE(this.objectLit);
  });

  phasesBlock = this.RULE('phasesBlock', () => {
    this.CONSUME(T.Phases);
    this.SUBRULE(this.objectLit);
  });

  /** `init from "ckpt" map { a.* <- b.* } allow unmatched [x.*]` */
  initFrom = this.RULE('initFrom', () => {
    this.CONSUME(T.Init);
    this.CONSUME(T.From);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(T.Map);
      this.CONSUME(T.LCurly);
      this.MANY(() => {
        this.SUBRULE(this.mapEntry);
        this.OPTION2(() => this.CONSUME(T.Comma));
      });
      this.CONSUME(T.RCurly);
    });
    this.OPTION3(() => {
      this.CONSUME(T.Allow);
      this.CONSUME(T.Unmatched);
      this.CONSUME(T.LBracket);
      this.MANY_SEP(this.cached(7, () => ({ SEP: T.Comma, DEF: () => this.SUBRULE(this.pattern) })));
      this.CONSUME(T.RBracket);
    });
  });

  mapEntry = this.RULE('mapEntry', () => {
    this.SUBRULE(this.pattern, { LABEL: 'to' });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.pattern, { LABEL: 'from' });
  });

  replaceStmt = this.RULE('replaceStmt', () => {
    this.CONSUME(T.Replace);
    this.SUBRULE(this.binding);
  });

  /** `freeze h`, `freeze encoder.*, head`, `freeze all except head`, `unfreeze …` */
  freezeStmt = this.RULE('freezeStmt', () => {
    this.OR(this.cached(8, () => [{ ALT: () => this.CONSUME(T.Freeze) }, { ALT: () => this.CONSUME(T.Unfreeze) }]));
    this.AT_LEAST_ONE_SEP(this.cached(9, () => ({ SEP: T.Comma, DEF: () => this.SUBRULE(this.pattern, { LABEL: 'targets' }) })));
    this.OPTION(() => {
      this.CONSUME(T.Except);
      this.AT_LEAST_ONE_SEP2(this.cached(10, () => ({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.pattern, { LABEL: 'except' }) })));
    });
  });

  /** `lr_scale logits: 10`, `decay_scale encoder.*: 0` */
  scaleStmt = this.RULE('scaleStmt', () => {
    this.OR(this.cached(11, () => [{ ALT: () => this.CONSUME(T.LrScale) }, { ALT: () => this.CONSUME(T.DecayScale) }]));
    this.SUBRULE(this.pattern);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });

  /** A parameter name or glob: `h`, `h.weight`, `encoder.*`, `enc*`, `*`. */
  pattern = this.RULE('pattern', () => {
    this.SUBRULE(this.patternSegment);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.SUBRULE2(this.patternSegment);
    });
  });

  patternSegment = this.RULE('patternSegment', () => {
    this.OR(this.cached(12, () => [
      {
        // `freeze` at the end of a line must not swallow the next statement's keyword (`phases {`).
        GATE: () => !this.startsStatement(),
        ALT: () => {
          this.SUBRULE(this.name);
          this.OPTION(() => this.CONSUME(T.Star));
        },
      },
      { ALT: () => this.CONSUME2(T.Star) },
    ]));
  });

  /** Top-level `loss = …`, `optimizer = …`, `schedule = …`. */
  setting = this.RULE('setting', () => {
    this.SUBRULE(this.binding);
  });

  // ------------------------------------------------------------ expressions
  // additive < multiplicative (`*`, `/`, `@`) < unary minus < postfix duration < primary

  expression = this.RULE('expression', () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      this.OR(this.cached(13, () => [{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]));
      this.SUBRULE2(this.multiplicative);
    });
  });

  multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR(this.cached(14, () => [{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }, { ALT: () => this.CONSUME(T.At) }]));
      this.SUBRULE2(this.unary);
    });
  });

  unary = this.RULE('unary', () => {
    this.OR(this.cached(15, () => [
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]));
  });

  /** A number followed by a unit is a duration: `1 epoch`, `500 steps`. */
  postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.OPTION(this.cached(16, () => ({
      // `{ lr: 1e-4 epochs: 3 }`: a unit word followed by `:` or `=` starts the next entry instead.
      GATE: () => this.LA(2).tokenType !== T.Colon && this.LA(2).tokenType !== T.Equals,
      DEF: () =>
        this.OR(T.DURATION_UNITS.map((u) => ({ ALT: () => this.CONSUME(u, { LABEL: 'unit' }) }))),
    })));
  });

  primary = this.RULE('primary', () => {
    this.OR(this.cached(17, () => [
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.SUBRULE(this.listLit) },
      { ALT: () => this.SUBRULE(this.objectLit) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { GATE: () => this.LA(2).tokenType === T.LParen, ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.SUBRULE(this.ref) },
    ]));
  });

  parenExpr = this.RULE('parenExpr', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  call = this.RULE('call', () => {
    this.SUBRULE(this.name);
    this.SUBRULE(this.argList);
  });

  argList = this.RULE('argList', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP(this.cached(18, () => ({ SEP: T.Comma, DEF: () => this.SUBRULE(this.arg) })));
    this.CONSUME(T.RParen);
  });

  /** `10` or `activation: relu`. */
  arg = this.RULE('arg', () => {
    this.OPTION(this.cached(19, () => ({
      // `name = value` is accepted and reported by the AST builder ("named arguments use `:`").
      GATE: () => this.LA(2).tokenType === T.Colon || this.LA(2).tokenType === T.Equals,
      DEF: () => {
        this.SUBRULE(this.name, { LABEL: 'argName' });
        this.OR([{ ALT: () => this.CONSUME(T.Colon) }, { ALT: () => this.CONSUME(T.Equals, { LABEL: 'wrongEquals' }) }]);
      },
    })));
    this.SUBRULE(this.expression);
  });

  /** `h`, `h.weight`, `encoder.*` (globs are only meaningful where parameters are named, e.g. phases). */
  ref = this.RULE('ref', () => {
    this.SUBRULE(this.name);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.OR(this.cached(20, () => [{ ALT: () => this.SUBRULE2(this.name) }, { ALT: () => this.CONSUME(T.Star) }]));
    });
  });

  listLit = this.RULE('listLit', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP(this.cached(21, () => ({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) })));
    this.CONSUME(T.RBracket);
  });

  /** `{ epochs: 10, batch: 128 }`; commas between entries are optional. */
  objectLit = this.RULE('objectLit', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.entry);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  entry = this.RULE('entry', () => {
    this.OR(this.cached(22, () => [{ ALT: () => this.SUBRULE(this.name) }, { ALT: () => this.CONSUME(T.NumberLiteral) }]));
    this.OR2(this.cached(23, () => [{ ALT: () => this.CONSUME(T.Colon) }, { ALT: () => this.CONSUME(T.Equals, { LABEL: 'wrongEquals' }) }]));
    this.SUBRULE(this.expression);
  });
}

export type { CstNode };
