// The garbage collector's public surface.
export * from './garbage-collector.js';
export * from './graph.js';
export * from './discovery.js';
