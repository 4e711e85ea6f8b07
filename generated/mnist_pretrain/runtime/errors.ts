// User-facing error types of generated trainers. Their `message` is the whole
// text shown to the user (no stack trace), so it names the file, the line or
// byte offset, what was expected and what was found.

/** Bad or missing training data: missing file, wrong IDX magic, ragged CSV row, label out of range, … */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/** Bad command-line flags; trainers exit with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A checkpoint that cannot be read, or whose tensors do not match the model. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

/** Training cannot go on (e.g. the loss became NaN/Inf). */
export class TrainingError extends Error {
  override readonly name = 'TrainingError';
}

/** Exit codes shared with `nnc train`: 0 ok, 2 usage, 3 training failure (data, checkpoint, NaN loss). */
export const EXIT_USAGE = 2;
export const EXIT_TRAINING_FAILURE = 3;

/** True for the errors above, whose message is meant for the user as is. */
export function isUserError(e: unknown): e is DataError | UsageError | CheckpointError | TrainingError {
  return e instanceof DataError || e instanceof UsageError || e instanceof CheckpointError || e instanceof TrainingError;
}

/**
 * Top-level handler for a trainer's `main().catch(exitOnError)`: user errors print
 * `error: <message>` and exit 2 (usage) or 3 (everything else); anything else is a bug
 * and keeps its stack trace.
 */
export function exitOnError(e: unknown): never {
  if (isUserError(e)) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(e instanceof UsageError ? EXIT_USAGE : EXIT_TRAINING_FAILURE);
  }
  process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(EXIT_TRAINING_FAILURE);
}

/** Throws a TrainingError when `value` is NaN or ±Inf, e.g. `checkFinite(loss, 'loss at epoch 3, step 120')`. */
export function checkFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) {
    throw new TrainingError(`${what} is ${value}; training stopped (the last good checkpoint is kept). Try a lower --lr.`);
  }
}
