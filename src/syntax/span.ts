// Spans for positions the lexer/parser did not hand us as tokens.
import type { Span } from './ast.js';

/** The span of `length` characters at `offset` (clamped to the text). */
export function spanAt(text: string, file: string, offset: number, length: number): Span {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, offset: at, line, column: at - lineStart + 1, length: Math.max(0, Math.min(length, text.length - at)) };
}
