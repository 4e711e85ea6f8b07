// Collects the program's statements as ts-morph structures, so the file is
// printed once from all of them (print.ts).
import type {
  StructureKind,
  FunctionDeclarationStructure,
  InterfaceDeclarationStructure,
  OptionalKind,
  StatementStructures,
  TypeAliasDeclarationStructure,
  VariableStatementStructure,
} from 'ts-morph';

/**
 * ts-morph's `StructureKind` values of the statements we build, written out so
 * that emitting never loads ts-morph (and with it TypeScript: ~0.5 s of every
 * `nnc compile`) at run time; test/emit/print.test.ts checks them against ts-morph's.
 */
export const KIND = {
  Function: 13 as StructureKind.Function,
  Interface: 19 as StructureKind.Interface,
  TypeAlias: 38 as StructureKind.TypeAlias,
  VariableStatement: 41 as StructureKind.VariableStatement,
} as const;

/** What a section writes free-form lines with (banners, imports); ts-morph's code writer has the same methods. */
export interface LineWriter {
  writeLine(text: string): void;
  blankLine(): void;
  /** A blank line unless the last line is one already. */
  blankLineIfLastNot(): void;
}

export type LineWriterFunction = (w: LineWriter) => void;

export type ProgramStatement = string | LineWriterFunction | StatementStructures;

export class ProgramBuilder {
  readonly statements: ProgramStatement[] = [];

  addStatements(s: string | LineWriterFunction): void {
    this.statements.push(s);
  }

  addFunction(s: OptionalKind<FunctionDeclarationStructure>): void {
    this.statements.push({ ...s, kind: KIND.Function });
  }

  addInterface(s: OptionalKind<InterfaceDeclarationStructure>): void {
    this.statements.push({ ...s, kind: KIND.Interface });
  }

  addTypeAlias(s: OptionalKind<TypeAliasDeclarationStructure>): void {
    this.statements.push({ ...s, kind: KIND.TypeAlias });
  }

  addVariableStatement(s: OptionalKind<VariableStatementStructure>): void {
    this.statements.push({ ...s, kind: KIND.VariableStatement });
  }
}
