// Prints an expression back as `.nn` text, so messages can name an
// intermediate value the way the user wrote it ("from `x @ w` (line 3)").
import type { Expr } from '../syntax/ast.js';

const PRECEDENCE: Record<string, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '@': 3 };

export function exprText(e: Expr, max = 40): string {
  const s = print(e, 0);
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

function print(e: Expr, outer: number): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'string':
      return JSON.stringify(e.value);
    case 'ref':
      return e.name;
    case 'call':
      return `${e.callee.name}(${e.args.map((a) => (a.name ? `${a.name.name}: ` : '') + print(a.value, 0)).join(', ')})`;
    case 'binary': {
      const p = PRECEDENCE[e.op] ?? 0;
      const s = `${print(e.left, p)} ${e.op} ${print(e.right, p + 1)}`;
      return p < outer ? `(${s})` : s;
    }
    case 'unary':
      return `-${print(e.operand, 4)}`;
    case 'duration':
      return `${print(e.value, 4)} ${e.unit}`;
    case 'list':
      return `[${e.items.map((i) => print(i, 0)).join(', ')}]`;
    case 'object':
      return `{ ${e.entries.map((en) => `${en.key.name}: ${print(en.value, 0)}`).join(', ')} }`;
  }
}
