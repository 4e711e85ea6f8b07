// Collects the program's statements as ts-morph structures, so the file is
// printed once from all of them (adding to a live SourceFile one node at a
// time re-prints it at every step and is quadratic in the program's size).
import {
  StructureKind,
  type FunctionDeclarationStructure,
  type InterfaceDeclarationStructure,
  type OptionalKind,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
  type VariableStatementStructure,
  type WriterFunction,
} from 'ts-morph';

export type ProgramStatement = string | WriterFunction | StatementStructures;

export class ProgramBuilder {
  readonly statements: ProgramStatement[] = [];

  addStatements(s: string | WriterFunction): void {
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
