// Literal spelling rules shared by the AST builder and the JSON-spec checks.

const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function isValidNumberText(text: string): boolean {
  return NUMBER.test(text);
}

/** `"a\"b"` → `a"b`. Accepts the token with or without its closing quote (unterminated strings). */
export function unescapeString(image: string): string {
  const body = image.endsWith('"') && image.length >= 2 ? image.slice(1, -1) : image.slice(1);
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}
