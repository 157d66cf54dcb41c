// The kubelet's public surface: the workload runtime seam, the simulated runtime, one node's kubelet, and the
// pool that runs many simulated nodes in one process.
export * from './runtime.js';
export * from './simulated-runtime.js';
export * from './images.js';
export * from './pod-status.js';
export * from './container-slot.js';
export * from './pod-worker.js';
export * from './node-status.js';
export * from './write-queue.js';
export * from './admission.js';
export * from './kubelet.js';
export * from './node-pool.js';
