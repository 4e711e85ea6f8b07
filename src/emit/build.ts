// Thin helpers over ts-morph so section emitters read as what they emit.
import { VariableDeclarationKind, type SourceFile, type OptionalKind, type ParameterDeclarationStructure } from 'ts-morph';

/** A section banner: a blank line, `// ─── Title ───`, and optional explanatory comment lines. */
export function section(sf: SourceFile, title: string, notes: readonly string[] = []): void {
  const rule = '─'.repeat(Math.max(3, 74 - title.length));
  sf.addStatements((w) => {
    w.blankLineIfLastNot();
    w.writeLine(`// ─── ${title} ${rule}`);
    for (const n of notes) w.writeLine(n === '' ? '//' : `// ${n}`);
  });
}

/** `const name: type = initializer;` with a doc comment. */
export function constant(sf: SourceFile, name: string, initializer: string, doc: string, type?: string): void {
  sf.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
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
export function func(sf: SourceFile, spec: FunctionSpec): void {
  const parameters: OptionalKind<ParameterDeclarationStructure>[] = spec.params.map(([name, type]) => ({ name, type }));
  sf.addFunction({
    name: spec.name,
    isAsync: spec.isAsync ?? false,
    docs: [spec.doc],
    parameters,
    returnType: spec.returns,
    statements: [...spec.body],
  });
}

/** An interface whose properties each carry a doc comment. */
export function record(sf: SourceFile, name: string, doc: string, fields: readonly { name: string; type: string; doc?: string }[]): void {
  sf.addInterface({
    name,
    docs: [doc],
    properties: fields.map((f) => (f.doc === undefined ? { name: f.name, type: f.type } : { name: f.name, type: f.type, docs: [f.doc] })),
  });
}

/** A `type Name = …;` alias with a doc comment. */
export function alias(sf: SourceFile, name: string, type: string, doc: string): void {
  sf.addTypeAlias({ name, type, docs: [doc] });
}
