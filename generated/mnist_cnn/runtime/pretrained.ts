// Strict import, load-time half: the trainer's `init from`. The same match as
// the compiler's (pretrained-match.ts) runs again here, because the source may
// have changed since compiling; any mismatch is a CheckpointError (exit 3)
// naming both sides. Sources: an nnc checkpoint (a directory's best.ckpt, or
// a .ckpt file) or a tfjs-layers model (model.json + its weight files).
import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import { locatePretrained, readPretrainedEntries } from './pretrained-header.js';
import { readLayersWeights } from './layers-format.js';
import { describeMatch, matchPretrained, type PretrainedPlan } from './pretrained-match.js';

/**
 * The pretrained tensor of every parameter in `plan.names`, by model parameter
 * name (the caller owns them). Throws CheckpointError when the source is
 * absent, unreadable, or does not match the plan.
 */
export async function loadPretrained(path: string, plan: PretrainedPlan): Promise<Record<string, tf.Tensor>> {
  const source = locatePretrained(path);
  if (source === null) throw new CheckpointError(`init from ${path}: no pretrained source there (looked for ${path}/best.ckpt, ${path}/model.json, or the file ${path})`);
  const entries = readPretrainedEntries(source);
  const match = matchPretrained(plan, entries);
  const problems = describeMatch(match, plan, entries);
  if (problems.length > 0) {
    throw new CheckpointError(`init from ${source.file} does not match this model:\n  ${problems.map((p) => p.message).join('\n  ')}`);
  }
  const tensors = source.kind === 'checkpoint' ? (await loadCheckpoint(source.file)).tensors : readLayersWeights(source.file);
  const out: Record<string, tf.Tensor> = {};
  for (const [name, params] of Object.entries(match.loads)) {
    const t = tensors[name]!;
    params.forEach((p, i) => (out[p] = i === 0 ? t : t.clone()));
  }
  // The source's other tensors (the replaced head, optimizer state) are not needed.
  for (const [name, t] of Object.entries(tensors)) if (match.loads[name] === undefined) t.dispose();
  return out;
}
