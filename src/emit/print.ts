// Prints the program's statements (ts-morph structures, statement strings and
// line-writer functions) to the trainer's text in one linear pass over lines.
//
// Why not ts-morph's own printer and formatter: for a 100-layer spec they cost
// ~1 s (its code writer scans every character, the file is then parsed, and
// the TypeScript formatter walks every token), while the text they produce is
// fully determined by the structures. This printer lays the text out exactly
// as `createSourceFile` + `formatText` did (test/emit/print.test.ts compares
// the two on every kind we emit and on every golden trainer, and checks that
// the TypeScript formatter would change nothing). It prints only the structure
// fields the emitter uses and refuses any other, so a new field cannot be
// dropped silently.
import type {
  FunctionDeclarationStructure,
  InterfaceDeclarationStructure,
  JSDocStructure,
  OptionalKind,
  TypeAliasDeclarationStructure,
  VariableStatementStructure,
} from 'ts-morph';
import { KIND, type LineWriter, type ProgramStatement } from './program.js';

const INDENT = '  ';

/** The statements as the file's text: each on its own lines, blank lines tidied as a person would leave them. */
export function printProgram(statements: readonly ProgramStatement[]): string {
  const out = new Lines();
  for (const s of statements) out.statement(s, '');
  return tidyBlankLines(out.lines.join('\n') + '\n');
}

type Doc = string | OptionalKind<JSDocStructure>;

class Lines implements LineWriter {
  readonly lines: string[] = [];

  writeLine(text: string): void {
    for (const line of text.split('\n')) this.lines.push(line);
  }

  blankLine(): void {
    this.lines.push('');
  }

  blankLineIfLastNot(): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }

  /**
   * One statement of a block (or of the file) whose lines start with `indent`.
   * As ts-morph does: a statement after one that ends in `}` is set off by a
   * blank line, and so is every function and interface.
   */
  statement(s: ProgramStatement, indent: string, blockStart = this.lines.length): void {
    const atStart = this.lines.length === blockStart;
    if (!atStart && this.lastNonBlankEndsWithBrace(blockStart)) this.blankLineIfLastNot();
    if (typeof s === 'string') {
      this.text(s, indent);
      return;
    }
    if (typeof s === 'function') {
      if (indent !== '') throw new Error('internal: a line-writer statement inside a block');
      s(this);
      return;
    }
    switch (s.kind) {
      case KIND.Function:
        if (!atStart) this.blankLineIfLastNot();
        this.func(s, indent);
        return;
      case KIND.Interface:
        if (!atStart) this.blankLineIfLastNot();
        this.interface(s, indent);
        return;
      case KIND.TypeAlias:
        this.typeAlias(s, indent);
        return;
      case KIND.VariableStatement:
        this.variable(s, indent);
        return;
      default:
        throw new Error(`internal: the printer does not print structures of kind ${s.kind}`);
    }
  }

  /** Statement text: every line indented, blank lines left empty. */
  private text(s: string, indent: string): void {
    if (!s.includes('\n')) this.lines.push(s === '' ? '' : indent + s);
    else for (const line of s.split('\n')) this.lines.push(line === '' ? '' : indent + line);
  }

  private lastNonBlankEndsWithBrace(from: number): boolean {
    for (let i = this.lines.length - 1; i >= from; i--) {
      const line = this.lines[i]!.trimEnd();
      if (line !== '') return line.endsWith('}');
    }
    return false;
  }

  private docs(docs: readonly Doc[] | undefined, indent: string): void {
    for (const d of docs ?? []) {
      if (typeof d !== 'string') throw new Error('internal: the printer prints docs given as text only');
      const lines = d.split('\n');
      if (lines.length === 1) this.lines.push(`${indent}/** ${d} */`);
      else this.lines.push(`${indent}/**`, ...lines.map((l) => (l === '' ? `${indent} *` : `${indent} * ${l}`)), `${indent} */`);
    }
  }

  private func(s: OptionalKind<FunctionDeclarationStructure>, indent: string): void {
    only(s, 'function', ['kind', 'name', 'isAsync', 'docs', 'parameters', 'returnType', 'statements', 'typeParameters']);
    this.docs(s.docs, indent);
    const typeParams = (s.typeParameters ?? []).map((t) => {
      if (typeof t === 'string') return t;
      only(t, 'type parameter', ['name', 'constraint']);
      return t.constraint === undefined ? t.name : `${t.name} extends ${String(t.constraint)}`;
    });
    const params = (s.parameters ?? []).map((p) => {
      only(p, 'parameter', ['name', 'type']);
      return p.type === undefined ? p.name : `${p.name}: ${String(p.type)}`;
    });
    const generics = typeParams.length > 0 ? `<${typeParams.join(', ')}>` : '';
    const returns = s.returnType === undefined ? '' : `: ${String(s.returnType)}`;
    this.lines.push(`${indent}${s.isAsync ? 'async ' : ''}function ${s.name}${generics}(${params.join(', ')})${returns} {`);
    const body = s.statements;
    if (body !== undefined && !Array.isArray(body)) throw new Error('internal: the printer prints function bodies given as statement arrays only');
    const start = this.lines.length;
    for (const st of (body ?? []) as ProgramStatement[]) this.statement(st, indent + INDENT, start);
    this.lines.push(`${indent}}`);
  }

  private interface(s: OptionalKind<InterfaceDeclarationStructure>, indent: string): void {
    only(s, 'interface', ['kind', 'name', 'docs', 'properties']);
    this.docs(s.docs, indent);
    this.lines.push(`${indent}interface ${s.name} {`);
    for (const p of s.properties ?? []) {
      only(p, 'property', ['name', 'type', 'docs']);
      this.docs(p.docs, indent + INDENT);
      this.lines.push(`${indent}${INDENT}${p.name}: ${String(p.type)};`);
    }
    this.lines.push(`${indent}}`);
  }

  private typeAlias(s: OptionalKind<TypeAliasDeclarationStructure>, indent: string): void {
    only(s, 'type alias', ['kind', 'name', 'type', 'docs']);
    this.docs(s.docs, indent);
    this.text(`type ${s.name} = ${String(s.type)};`, indent);
  }

  private variable(s: OptionalKind<VariableStatementStructure>, indent: string): void {
    only(s, 'variable statement', ['kind', 'declarationKind', 'declarations', 'docs']);
    const [d, ...more] = s.declarations;
    if (d === undefined || more.length > 0) throw new Error('internal: the printer prints one declaration per variable statement');
    only(d, 'variable declaration', ['name', 'type', 'initializer']);
    this.docs(s.docs, indent);
    const type = d.type === undefined ? '' : `: ${String(d.type)}`;
    const init = d.initializer === undefined ? '' : ` = ${String(d.initializer)}`;
    this.text(`${s.declarationKind ?? 'let'} ${d.name}${type}${init};`, indent);
  }
}

/** Refuses a structure field this printer does not print. */
function only(s: object, what: string, fields: readonly string[]): void {
  for (const [k, v] of Object.entries(s)) {
    if (v !== undefined && !fields.includes(k)) throw new Error(`internal: the printer does not print the ${k} of a ${what}`);
  }
}

/**
 * Blank lines as a person would leave them: one before each top-level
 * declaration's doc comment, at most one in a row, none right after an
 * indented comment nor right before a closing brace.
 */
export function tidyBlankLines(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const previous = out[out.length - 1];
    if (line === '' && previous !== undefined && /^\s+\/\//.test(previous)) continue;
    if (line.startsWith('/**') && previous !== undefined && previous !== '' && !previous.startsWith('//')) out.push('');
    out.push(line);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n\n(\s*[}\]])/g, '\n$1');
}
