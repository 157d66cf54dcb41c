// The Deployment controller's public surface, with the deployment helpers (revisions, hashes, status rules).
export * from './hash.js';
export * from './util.js';
export * from './status.js';
export * from './sync.js';
export * from './rolling.js';
export * from './recreate.js';
export * from './deployment-controller.js';
