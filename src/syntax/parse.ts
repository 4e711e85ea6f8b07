// Text → AST: lexing, parsing with recovery, CST → AST. Every problem becomes a
// located diagnostic; the function never throws on user input and always
// returns a Spec (possibly with fewer statements than written).
import type { IRecognitionException, IToken } from 'chevrotain';
import { NnParser, STATEMENT_KEYWORDS } from '../../grammar/parser.js';
import * as T from '../../grammar/tokens.js';
import { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { Spec } from './ast.js';
import { AstBuilder } from './cst-to-ast.js';
import { spanAt } from './span.js';
import { SyntaxMessages, describeToken, isEof } from './syntax-messages.js';

/** Specs are small; anything larger is almost certainly the wrong file. */
export const MAX_SPEC_CHARS = 1024 * 1024;

const messages = new SyntaxMessages();
let parser: NnParser | null = null; // built on first use: grammar analysis takes a moment

export function parseSpec(text: string, file: string, sink: DiagnosticSink): Spec {
  // Lexer, parser and literal checks report in different passes; present them in source order.
  const local = new DiagnosticSink();
  const spec = parseUnsorted(text, file, local);
  const byPosition = [...local.items].sort((a, b) => (a.span?.offset ?? 0) - (b.span?.offset ?? 0));
  sink.items.push(...byPosition);
  return spec;
}

function parseUnsorted(text: string, file: string, sink: DiagnosticSink): Spec {
  const empty: Spec = { kind: 'spec', file, statements: [] };
  if (text.length > MAX_SPEC_CHARS) {
    sink.report('NNC1007', `file is too large for a spec (${text.length} characters; the limit is ${MAX_SPEC_CHARS})`, spanAt(text, file, 0, 1), {
      hint: 'a .nn spec describes a model; data belongs in a `data { }` source file',
    });
    return empty;
  }
  const binaryAt = findBinary(text);
  if (binaryAt >= 0) {
    sink.report('NNC1006', 'file is not text (it contains binary data)', spanAt(text, file, binaryAt, 1), {
      hint: 'pass a .nn spec or a .json spec; this looks like a data or checkpoint file',
    });
    return empty;
  }

  const lexed = T.NnLexer.tokenize(text);
  for (const e of lexed.errors) {
    const chars = text.slice(e.offset, e.offset + e.length);
    sink.report('NNC1001', `unexpected character${e.length > 1 ? 's' : ''} \`${printable(chars)}\``, spanAt(text, file, e.offset, e.length), lexHint(chars));
  }
  const tokens = lexed.tokens.map((t) => recoverUnterminated(t, text, file, sink));
  if (tokens.length === 0) {
    if (lexed.errors.length === 0) {
      sink.report('NNC1005', 'the spec is empty', spanAt(text, file, 0, 0), { hint: 'a spec starts with `model NAME`, then its inputs, `net { … }`, `loss = …` and `data { … }`' });
    }
    return empty;
  }
  return parseTokens(tokens, file, sink, text);
}

function parseTokens(tokens: IToken[], file: string, sink: DiagnosticSink, text: string): Spec {
  parser ??= new NnParser(messages);
  messages.tokens = tokens;
  messages.openers.clear();
  const builder = new AstBuilder(file, sink);
  const spec: Spec = { kind: 'spec', file, statements: [] };
  const seen = new Set<string>();
  let start = 0;
  // A token that cannot start a statement stops chevrotain's top-level loop;
  // report it, skip to the next statement start, and parse on from there.
  while (start < tokens.length) {
    parser.input = tokens.slice(start);
    const cst = parser.spec();
    spec.statements.push(...builder.spec(cst).statements);
    let resumeAt = tokens.length;
    for (const e of parser.errors) {
      reportParseError(e, tokens, text, file, sink, seen);
      if (e.name === 'NotAllInputParsedException') resumeAt = nextStatementStart(tokens, tokens.indexOf(e.token) + 1);
    }
    start = resumeAt;
  }
  return spec;
}

function reportParseError(e: IRecognitionException, tokens: IToken[], text: string, file: string, sink: DiagnosticSink, seen: Set<string>): void {
  const span = !isEof(e.token)
    ? spanAt(text, file, e.token.startOffset, e.token.image.length)
    : endOfInputSpan(tokens, text, file);
  const key = String(span.offset); // one syntax error per position: recovery can fail twice at the same token
  if (seen.has(key)) return;
  seen.add(key);
  const opener = messages.openers.get(e.token);
  const related = opener ? [{ message: `${describeToken(opener)} opened here`, span: spanAt(text, file, opener.startOffset, 1) }] : [];
  sink.report('NNC1002', e.message, span, { ...parseHint(e, opener), related });
}

function parseHint(e: IRecognitionException, opener: IToken | undefined): { hint?: string } {
  if (opener && e.message.startsWith('expected `,` or')) return { hint: 'separate arguments and list items with `,`' };
  if (opener) return { hint: `add the missing ${describeToken({ ...opener, image: T.CLOSER_OF.get(opener.tokenType)?.LABEL?.replace(/`/g, '') ?? '' })}` };
  if (e.message.startsWith('expected `=`') && e.token.tokenType === T.Colon) return { hint: 'statements bind with `=`; `:` is for named arguments and keys' };
  if (e.message.startsWith('expected `:`') && e.token.tokenType === T.Equals) return { hint: 'named arguments and keys use `:`, e.g. `dense(x, 10, activation: relu)`' };
  return {};
}

/** Where "found end of file" points: just after the last token. */
function endOfInputSpan(tokens: IToken[], text: string, file: string) {
  const last = tokens[tokens.length - 1];
  const end = last ? (last.endOffset ?? last.startOffset) + 1 : text.length;
  return spanAt(text, file, end, 0);
}


function nextStatementStart(tokens: IToken[], from: number): number {
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    if (STATEMENT_KEYWORDS.has(t.tokenType)) return i;
    if (t.tokenType === T.Identifier && tokens[i + 1]?.tokenType === T.Equals) return i;
  }
  return tokens.length;
}

function recoverUnterminated(t: IToken, text: string, file: string, sink: DiagnosticSink): IToken {
  if (t.tokenType !== T.UnterminatedString) return t;
  sink.report('NNC1003', 'unterminated string', spanAt(text, file, t.startOffset, t.image.length), { hint: 'close the string with `"` on the same line' });
  return { ...t, tokenType: T.StringLiteral, tokenTypeIdx: T.StringLiteral.tokenTypeIdx as number };
}

/** Offset of the first sign of binary content (NUL, or mostly control characters), or -1. */
function findBinary(text: string): number {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return nul;
  const head = text.slice(0, 8192);
  const controls = head.match(/[\u0001-\u0008\u000e-\u001f\u007f\ufffd]/g)?.length ?? 0;
  if (controls >= 4 && controls > head.length * 0.1) return head.search(/[\u0001-\u0008\u000e-\u001f\u007f\ufffd]/);
  return -1;
}

function printable(s: string): string {
  const shown = s.length > 20 ? s.slice(0, 20) + '…' : s;
  return shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function lexHint(chars: string): { hint?: string } {
  if (chars.startsWith(';')) return { hint: 'statements need no `;`: end them with a newline' };
  if (chars.startsWith("'")) return { hint: 'strings use double quotes: "…"' };
  if (chars.startsWith('!') || chars.startsWith('$')) return { hint: 'names are letters, digits and `_`' };
  return {};
}
