// Reads the runtime library that is copied beside every generated trainer.
// The only I/O of src/emit/, kept out of `emitTrainer` so emission stays pure:
// the CLI (and tests) call this, then pass the files in `runtimeFiles`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiler's own `src/runtime/` directory. */
export const RUNTIME_DIR = fileURLToPath(new URL('../runtime/', import.meta.url));

/** Every `.ts` file of the runtime directory (sorted, tests excluded), as `{ path, text }`. */
export function readRuntimeFiles(dir: string = RUNTIME_DIR): { path: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(join(dir, f), 'utf8') }));
}
