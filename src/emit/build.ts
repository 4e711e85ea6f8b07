// Thin helpers over ts-morph so section emitters read as what they emit.
import type { OptionalKind, ParameterDeclarationStructure, VariableDeclarationKind } from 'ts-morph';
import type { ProgramBuilder } from './program.js';

/** A section banner: a blank line, `// ─── Title ───`, and optional explanatory comment lines. */
export function section(out: ProgramBuilder, title: string, notes: readonly string[] = []): void {
  const rule = '─'.repeat(Math.max(3, 74 - title.length));
  out.addStatements((w) => {
    w.blankLineIfLastNot();
    w.writeLine(`// ─── ${title} ${rule}`);
    for (const n of notes) w.writeLine(n === '' ? '//' : `// ${n}`);
    w.blankLine();
  });
}

/** `const name: type = initializer;` with a doc comment. */
export function constant(out: ProgramBuilder, name: string, initializer: string, doc: string, type?: string): void {
  out.addVariableStatement({
    declarationKind: 'const' as VariableDeclarationKind.Const, // the enum's value, without loading ts-morph (see KIND in program.ts)
    declarations: [type === undefined ? { name, initializer } : { name, type, initializer }],
    docs: [doc],
  });
}

export interface FunctionSpec {
  name: string;
  doc: string;
  params: [name: string, type: string][];
  returns: string;
  body: readonly string[];
  isAsync?: boolean;
}

/** A function declaration whose body is the given statements (comments and blank lines allowed). */
export function func(out: ProgramBuilder, spec: FunctionSpec): void {
  const parameters: OptionalKind<ParameterDeclarationStructure>[] = spec.params.map(([name, type]) => ({ name, type }));
  out.addFunction({
    name: spec.name,
    isAsync: spec.isAsync ?? false,
    docs: [spec.doc],
    parameters,
    returnType: spec.returns,
    statements: [...spec.body],
  });
}

/** An interface whose properties each carry a doc comment. */
export function record(out: ProgramBuilder, name: string, doc: string, fields: readonly { name: string; type: string; doc?: string }[]): void {
  out.addInterface({
    name,
    docs: [doc],
    properties: fields.map((f) => (f.doc === undefined ? { name: f.name, type: f.type } : { name: f.name, type: f.type, docs: [f.doc] })),
  });
}

/** A `type Name = …;` alias with a doc comment. */
export function alias(out: ProgramBuilder, name: string, type: string, doc: string): void {
  out.addTypeAlias({ name, type, docs: [doc] });
}
