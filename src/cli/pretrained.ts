// The CLI's half of strict import: reads what an `init from` source holds
// (names and shapes only) so the checker can report mismatches at compile
// time. A source that does not exist yet is not an error here (it is often
// produced by a run still to come); the trainer checks again when it loads.
import type { PretrainedHeader } from '../check/init-from.js';
import { locatePretrained, readPretrainedEntries } from '../runtime/pretrained-header.js';
import { displayPath } from './source.js';

export function readPretrainedHeader(path: string): PretrainedHeader {
  const source = locatePretrained(path);
  if (source === null) return null;
  try {
    return { entries: readPretrainedEntries(source), file: displayPath(source.file) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
