// The node lifecycle controller's public surface: node health monitoring, lifecycle taints, taint eviction.
export * from './taints.js';
export * from './node-lifecycle-controller.js';
export * from './taint-eviction.js';
