// Backend selection: tfjs-node (native TensorFlow) when it loads, else wasm,
// else the pure-JS cpu backend. Every backend registers itself into the one
// tfjs engine that `@tensorflow/tfjs-core` keeps in a global, so generated code
// importing `@tensorflow/tfjs-core` runs on whatever is selected here.
import * as tf from '@tensorflow/tfjs-core';

export type BackendName = 'node' | 'wasm' | 'cpu';

export const BACKENDS: readonly BackendName[] = ['node', 'wasm', 'cpu'];

/** The tfjs registry name of each backend. */
const TFJS_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

// Specifiers in variables: tfjs-node is an optional dependency, so the type
// checker must not require it to be installed.
const PACKAGE: Record<BackendName, string> = {
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/**
 * Loads and activates a backend. `requested` undefined = the best available
 * (node > wasm > cpu); a requested backend that cannot load falls back along the
 * same order, and the log says why. Prints one line, e.g.
 * `backend: tensorflow (tfjs-node, libtensorflow 2.21.0)`, through `log`.
 * Returns the backend actually in use.
 */
export async function initBackend(
  requested?: BackendName,
  log: (line: string) => void = (line) => console.log(line),
): Promise<BackendName> {
  const start = requested === undefined ? 0 : BACKENDS.indexOf(requested);
  if (start < 0) throw new Error(`unknown backend '${String(requested)}' (expected ${BACKENDS.join(', ')})`);
  const failures: string[] = [];
  for (const name of BACKENDS.slice(start)) {
    const why = await tryBackend(name);
    if (why === null) {
      const note = failures.length > 0 ? ` [${failures.join('; ')}]` : '';
      log(`backend: ${describe(name)}${note}`);
      return name;
    }
    failures.push(`${name} unavailable: ${why}`);
  }
  throw new Error(`no tfjs backend could be initialised: ${failures.join('; ')}`);
}

/** Loads `name` and makes it current; returns null on success, else the reason it failed. */
async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    // tfjs-node's TensorFlow logs startup chatter on stderr unless told otherwise.
    if (name === 'node') process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
    const specifier = PACKAGE[name];
    await import(specifier);
    const ok = await tf.setBackend(TFJS_NAME[name]);
    if (!ok || tf.getBackend() !== TFJS_NAME[name]) return 'it did not initialise';
    await tf.ready();
    // The cpu backend's first use prints a banner recommending tfjs-node; our backend line already says it.
    if (name === 'cpu') (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
    return null;
  } catch (e) {
    return firstLine(e);
  }
}

function describe(name: BackendName): string {
  switch (name) {
    case 'node': {
      const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
      return `tensorflow (tfjs-node${binding?.TF_Version ? `, libtensorflow ${binding.TF_Version}` : ''})`;
    }
    case 'wasm': {
      const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
      return `wasm (${simd ? 'SIMD' : 'no SIMD'})`;
    }
    case 'cpu':
      return 'cpu (pure JavaScript: slow)';
  }
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split('\n')[0] ?? text;
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
