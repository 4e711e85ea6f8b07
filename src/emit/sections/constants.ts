// Section 1b: every scalar the step reads, uploaded once after the backend is
// chosen (uploading a scalar per step costs as much as a kernel).
import type { ProgramBuilder } from '../program.js';
import type { EmitContext } from '../context.js';
import { func, record, section } from '../build.js';
import { optimizerConstants } from './optimizer.js';

export function emitConstants(out: ProgramBuilder, ctx: EmitContext): void {
  // Every variant's constants (phases may differentiate different parts of the graph), once each.
  const graphConstants = new Map<string, { name: string; expr: string; doc: string | undefined }>();
  for (const v of ctx.variants) {
    for (const c of v.plan.constants) {
      if (!graphConstants.has(c.name)) graphConstants.set(c.name, { name: c.name, expr: c.expr, doc: c.value === null ? undefined : `${c.value}` });
    }
  }
  const all = [
    ...graphConstants.values(),
    ...optimizerConstants(ctx),
  ];
  section(out, 'Constants', ['Uploaded once, after the backend is chosen: a scalar uploaded every step costs as much as a kernel.']);
  record(
    out,
    'Constants',
    'Scalar constants of the training step.',
    all.map((c) => (c.doc === undefined ? { name: c.name, type: 'tf.Scalar' } : { name: c.name, type: 'tf.Scalar', doc: c.doc })),
  );
  out.addStatements((w) => {
    w.writeLine('/** Set once by `main` through `uploadConstants()`, after `rt.initBackend`. */');
    w.writeLine('let K: Constants;');
  });
  func(out, {
    name: 'uploadConstants',
    doc: 'Uploads the constants to the current backend (once per run); registered as constants a recorded graph step may read (rt.GraphStep).',
    params: [],
    returns: 'Constants',
    body: ['return rt.graphConstants({', ...all.map((c) => `  ${c.name}: ${c.expr},`), '});'],
  });
}
