// The namespace generated trainers import as `rt`: the runtime library and the
// op kernels that lowerings call (`rt.reluGrad`, `rt.softmaxCrossEntropy`, …),
// which `index.ts` does not re-export. Owned by the emitter (src/emit/).
export * from './index.js';
export * from './kernels.js';
export * from './fused-update.js';
export * from './graph-step.js';
