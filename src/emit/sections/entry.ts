// Section 12: the program's exports and its entry point. The trainer exports
// its pieces so a benchmark or a test can import it and drive single steps;
// `main` runs only when the file itself is the program being executed.
import type { ProgramBuilder } from '../program.js';
import type { EmitContext } from '../context.js';
import { func, section } from '../build.js';

export function emitEntry(out: ProgramBuilder, ctx: EmitContext): void {
  section(out, 'Entry point', ['Importing this file runs nothing: the benchmark imports the pieces below and times `trainStep`.']);
  func(out, {
    name: 'installConstants',
    doc: 'Uploads the step constants for a program that imports this file (`main` does it itself); call it after choosing the backend.',
    params: [],
    returns: 'void',
    body: ['K = uploadConstants();'],
  });
  const values = ['MODEL', 'OPTIMIZER', 'PARAM_NAMES', 'PARAM_SHAPES', 'TRAINABLE', 'initParams', 'initOptimizerState', 'disposeOptimizerState', 'syncOptimizerState', 'installConstants'];
  for (const v of ctx.variants) values.push(`forward${v.suffix}`, `backward${v.suffix}`, `applyUpdate${v.suffix}`, `trainStep${v.suffix}`);
  values.push('evaluate', 'main');
  out.addStatements((w) => {
    w.blankLine();
    w.writeLine(`export { ${values.join(', ')} };`);
    w.writeLine('export type { Batch, Forward, OptimizerState, Params, StepFn };');
    w.blankLine();
    w.writeLine('/** True when this file is the program node was asked to run (symlinks resolved), not a module someone imported. */');
    w.writeLine('function isEntryPoint(): boolean {');
    w.writeLine('  const script = process.argv[1];');
    w.writeLine('  if (script === undefined) return false;');
    w.writeLine('  try {');
    w.writeLine('    return import.meta.url === pathToFileURL(realpathSync(script)).href;');
    w.writeLine('  } catch {');
    w.writeLine('    return false;');
    w.writeLine('  }');
    w.writeLine('}');
    w.blankLine();
    w.writeLine('if (isEntryPoint()) main().catch(rt.exitOnError);');
  });
}
