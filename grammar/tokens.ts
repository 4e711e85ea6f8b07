// Tokens of the .nn language. Newlines are plain whitespace: every statement
// starts with a keyword or `name =`, so statements need no separator.
// Keywords are "soft": they are lexed as their own token types but the parser
// accepts them wherever a name is expected (`split(train, 0.1)`), see `name`.
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: Lexer.SKIPPED });

/** Category of everything usable as a name: identifiers and (soft) keywords. */
export const AnyName = createToken({ name: 'AnyName', pattern: Lexer.NA, label: 'a name' });
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name', categories: [AnyName] });

function keyword(word: string): TokenType {
  return createToken({ name: `Kw_${word}`, pattern: new RegExp(word), longer_alt: Identifier, label: `\`${word}\``, categories: [AnyName] });
}

export const Model = keyword('model');
export const Use = keyword('use');
export const Input = keyword('input');
export const Target = keyword('target');
export const Net = keyword('net');
export const Def = keyword('def');
export const Param = keyword('param');
export const Init = keyword('init');
export const Return = keyword('return');
export const Data = keyword('data');
export const Train = keyword('train');
export const Freeze = keyword('freeze');
export const Unfreeze = keyword('unfreeze');
export const Except = keyword('except');
export const From = keyword('from');
export const Map = keyword('map');
export const Allow = keyword('allow');
export const Unmatched = keyword('unmatched');
export const Replace = keyword('replace');
export const LrScale = keyword('lr_scale');
export const DecayScale = keyword('decay_scale');
export const Phases = keyword('phases');
// Duration units; plural first so `epochs` is not lexed as `epoch` + `s` (longer_alt also guards).
export const Epochs = keyword('epochs');
export const Epoch = keyword('epoch');
export const Steps = keyword('steps');
export const Step = keyword('step');

/** Every keyword, in lexing order. The parser's `name` rule accepts all of them as names. */
export const KEYWORDS: TokenType[] = [
  Model, Use, Input, Target, Net, Def, Param, Init, Return, Data, Train, Unfreeze, Freeze, Except, From, Map,
  Allow, Unmatched, Replace, LrScale, DecayScale, Phases, Epochs, Epoch, Steps, Step,
];
export const DURATION_UNITS: TokenType[] = [Epochs, Epoch, Steps, Step];

export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\n\r]|\\.)*"/, label: 'a string' });
/** A string missing its closing quote; the front end reports it (NNC1003) and parses it as a string. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\n\r]|\\.)*/, label: 'a string' });
/**
 * Numbers are lexed greedily (`1e-4`, `0.5`, but also `1.2.3`, `12abc`) and validated afterwards,
 * so a bad literal gets one clear diagnostic (NNC1004) instead of a confusing token split.
 */
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /(?:\d|\.\d)(?:[eE][+-]|[A-Za-z0-9_.])*/, label: 'a number' });

export const Arrow = createToken({ name: 'Arrow', pattern: /<-/, label: '`<-`' });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/, label: '`{`' });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/, label: '`}`' });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: '`(`' });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: '`)`' });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: '`[`' });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: '`]`' });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: '`,`' });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: '`:`' });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: '`=`' });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: '`.`' });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: '`+`' });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: '`-`' });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: '`*`' });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: '`/`' });
export const At = createToken({ name: 'At', pattern: /@/, label: '`@`' });

export const ALL_TOKENS: TokenType[] = [
  AnyName, WhiteSpace, Comment, StringLiteral, UnterminatedString, NumberLiteral,
  ...KEYWORDS, Identifier,
  Arrow, LCurly, RCurly, LParen, RParen, LBracket, RBracket, Comma, Colon, Equals, Dot, Plus, Minus, Star, Slash, At,
];

/** Tokens that open a bracket, and the token that closes each. */
export const CLOSER_OF = new globalThis.Map<TokenType, TokenType>([
  [LCurly, RCurly],
  [LParen, RParen],
  [LBracket, RBracket],
]);

// Only `\n` ends a line (a lone `\r` is whitespace), the same rule the diagnostic renderer uses.
export const NnLexer = new Lexer(ALL_TOKENS, {
  positionTracking: 'full',
  ensureOptimizations: false,
  lineTerminatorsPattern: /\n/g,
  lineTerminatorCharacters: ['\n'],
});
