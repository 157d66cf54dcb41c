// The namespace controller's public surface.
export * from './namespace-controller.js';
export * from './conditions.js';
export * from './discovery.js';
