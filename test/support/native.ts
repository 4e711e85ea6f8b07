// tfjs-node is an optional dependency: tests that compare against it (or run
// on it) load it here and skip those parts when it is not installed.
import * as tf from '@tensorflow/tfjs';

/** Registers the `tensorflow` backend if tfjs-node loads; true when it did. */
export async function loadNative(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-node');
    return tf.findBackend('tensorflow') !== null;
  } catch {
    return false;
  }
}
