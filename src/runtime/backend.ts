// Backend selection: tfjs-node (native TensorFlow) when it loads, else wasm,
// else the pure-JS cpu backend.
export type BackendName = 'node' | 'wasm' | 'cpu';

export async function initBackend(requested?: BackendName, log: (line: string) => void = (l) => console.log(l)): Promise<BackendName> {
  void requested;
  void log;
  throw new Error('runtime: initBackend not implemented yet');
}
