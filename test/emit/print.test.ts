// The program printer lays text out exactly as ts-morph did (print the
// structures into a SourceFile, format it with TypeScript's formatter, tidy
// blank lines): ts-morph stays the reference for layout, checked here instead
// of paid on every compile.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { IndentationText, Project, QuoteKind, StructureKind, VariableDeclarationKind, type FormatCodeSettings } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { emitOptions } from '../../src/cli/emit-files.js';
import { buildProgram } from '../../src/emit/index.js';
import { printProgram, tidyBlankLines } from '../../src/emit/print.js';
import { KIND, ProgramBuilder, type ProgramStatement } from '../../src/emit/program.js';
import { compileSpecAt, specFiles } from '../../src/golden.js';

const root = join(import.meta.dirname, '..', '..');

/** The settings emission formatted with before it printed by itself. */
const FORMAT: FormatCodeSettings = {
  indentSize: 2,
  tabSize: 2,
  convertTabsToSpaces: true,
  newLineCharacter: '\n',
  insertSpaceAfterCommaDelimiter: true,
  insertSpaceAfterSemicolonInForStatements: true,
  insertSpaceBeforeAndAfterBinaryOperators: true,
  insertSpaceAfterKeywordsInControlFlowStatements: true,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
  placeOpenBraceOnNewLineForFunctions: false,
  placeOpenBraceOnNewLineForControlBlocks: false,
};

function project(): Project {
  return new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single, newLineKind: 1 },
  });
}

/** What emission did before: ts-morph prints the structures, TypeScript formats the file, blank lines are tidied. */
function viaTsMorph(statements: readonly ProgramStatement[]): string {
  const sf = project().createSourceFile('train.ts', { statements: statements as never });
  sf.formatText(FORMAT);
  return tidyBlankLines(sf.getFullText());
}

/** The text after TypeScript's formatter. */
function formatted(text: string): string {
  const sf = project().createSourceFile('train.ts', text);
  sf.formatText(FORMAT);
  return sf.getFullText();
}

describe('printProgram', () => {
  it('prints every kind the emitter builds as ts-morph and the formatter did', () => {
    const out = new ProgramBuilder();
    out.addStatements((w) => {
      w.writeLine('// header');
      w.blankLine();
      w.writeLine("import * as tf from '@tensorflow/tfjs-core';");
    });
    out.addStatements((w) => {
      w.blankLineIfLastNot();
      w.writeLine('// ─── Section ───');
      w.writeLine('// a note');
      w.blankLine();
    });
    out.addVariableStatement({ declarationKind: VariableDeclarationKind.Const, declarations: [{ name: 'A', initializer: '1' }], docs: ['One.'] });
    out.addVariableStatement({
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: 'CONFIG', type: 'Record<string, number>', initializer: '{\n  a: 1,\n  b: [\n    2,\n  ],\n}' }],
      docs: ['A literal over several lines.'],
    });
    out.addStatements('let K: number;');
    out.addInterface({ name: 'Batch', docs: ['A record.'], properties: [{ name: 'x', type: 'tf.Tensor', docs: ['The input.'] }, { name: 'y', type: 'tf.Tensor' }] });
    out.addInterface({ name: 'Empty', docs: ['Nothing in it.'], properties: [] });
    out.addTypeAlias({ name: 'Grads', type: "Record<'a' | 'b', tf.Tensor>", docs: ['An alias.'] });
    out.addFunction({
      name: 'step',
      docs: ['A step.'],
      parameters: [{ name: 'x', type: 'tf.Tensor' }, { name: 'training', type: 'boolean' }],
      returnType: 'tf.Tensor',
      statements: [
        '// line 3: h = dense(x, 8) # a comment ending in a brace: train { }',
        'const h = tf.relu(x);',
        '',
        'if (training) {',
        '  h.print();',
        '}',
        'for (const k of [1, 2]) {\n  console.log(k);\n}',
        'const r = { h };',
        'return r.h;',
      ],
    });
    out.addFunction({ name: 'nothing', docs: ['Empty body.'], parameters: [], returnType: 'void', statements: [] });
    out.addFunction({
      name: 'generic',
      isAsync: true,
      docs: ['Async with type parameters.'],
      typeParameters: [{ name: 'G', constraint: 'Record<string, tf.Tensor>' }, { name: 'H' }],
      parameters: [{ name: 'g', type: 'G' }],
      returnType: 'Promise<G>',
      statements: ['return g;'],
    });
    out.addStatements((w) => {
      w.blankLine();
      w.writeLine('export { step };');
    });
    expect(printProgram(out.statements)).toBe(viaTsMorph(out.statements));
  });

  it('refuses a structure field it does not print instead of dropping it', () => {
    const exported: ProgramStatement[] = [{ kind: StructureKind.Function, name: 'f', isExported: true, statements: [] }];
    expect(() => printProgram(exported)).toThrow(/does not print the isExported of a function/);
    const optional: ProgramStatement[] = [{ kind: StructureKind.Interface, name: 'I', properties: [{ name: 'p', type: 'number', hasQuestionToken: true }] }];
    expect(() => printProgram(optional)).toThrow(/does not print the hasQuestionToken of a property/);
  });

  it('uses ts-morph’s structure kinds without loading ts-morph (and TypeScript) when compiling', () => {
    expect(KIND).toEqual({
      Function: StructureKind.Function,
      Interface: StructureKind.Interface,
      TypeAlias: StructureKind.TypeAlias,
      VariableStatement: StructureKind.VariableStatement,
    });
    const script = [
      "import { createRequire } from 'node:module';",
      "await import('./src/cli/emit-files.ts');",
      "const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => /[\\/](ts-morph|typescript)[\\/]/.test(k));",
      'console.log(JSON.stringify(loaded));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });

  for (const spec of specFiles(root)) {
    it(`${spec}: the same text as ts-morph, already formatted`, () => {
      const { compiled, src } = compileSpecAt(root, spec);
      const statements = buildProgram(compiled.model, compiled.training, emitOptions(compiled, src.file, src.text)).statements;
      const text = printProgram(statements);
      expect(text).toBe(viaTsMorph(statements));
      expect(formatted(text)).toBe(text);
    });
  }
});
