// The pod garbage collector's public surface.
export * from './pod-gc-controller.js';
