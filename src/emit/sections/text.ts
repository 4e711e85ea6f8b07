// What a `text(vocab: N, length: L)` input adds to a trainer: the TEXT
// constant, token ids cast to int32 in `toBatch`, the vocabulary built from
// the training split after the splits (or read back from the checkpoint on
// --resume) and saved in every checkpoint's meta.
import type { EmitContext } from '../context.js';

export interface TextInputSpec {
  vocab: number;
  length: number;
}

/** The text input's settings, or null for models without one. */
export function textInput(ctx: EmitContext): TextInputSpec | null {
  for (const i of ctx.tg.inputs) {
    const attrs = ctx.tg.graph.nodes[i.id]!.attrs;
    if (i.role === 'input' && typeof attrs['vocab'] === 'number' && typeof attrs['length'] === 'number') {
      return { vocab: attrs['vocab'], length: attrs['length'] };
    }
  }
  return null;
}

/** `main`'s lines after `prepareData`: tokenise every set with the run's vocabulary. */
export function encodeTextLines(): string[] {
  return [
    '// Text: the vocabulary comes from the training split only (or, resuming, from the checkpoint).',
    'const savedVocabulary = flags.resume && flags.checkpointDir !== null ? await rt.checkpointVocabulary(flags.checkpointDir) : undefined;',
    'const vocabulary = rt.encodeTextData(data, TEXT, savedVocabulary);',
  ];
}
