// Collects the program's statements as ts-morph structures, so the file is
// printed once from all of them (print.ts).
import {
  StructureKind,
  type FunctionDeclarationStructure,
  type InterfaceDeclarationStructure,
  type OptionalKind,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
  type VariableStatementStructure,
} from 'ts-morph';

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
    this.statements.push({ ...s, kind: StructureKind.Function });
  }

  addInterface(s: OptionalKind<InterfaceDeclarationStructure>): void {
    this.statements.push({ ...s, kind: StructureKind.Interface });
  }

  addTypeAlias(s: OptionalKind<TypeAliasDeclarationStructure>): void {
    this.statements.push({ ...s, kind: StructureKind.TypeAlias });
  }

  addVariableStatement(s: OptionalKind<VariableStatementStructure>): void {
    this.statements.push({ ...s, kind: StructureKind.VariableStatement });
  }
}
