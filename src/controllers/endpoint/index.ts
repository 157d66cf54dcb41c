// The Endpoints controller's public surface.
export * from './subsets.js';
export * from './endpoints-controller.js';
