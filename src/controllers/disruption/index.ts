// The disruption controller's public surface.
export * from './pdb-status.js';
export * from './disruption-controller.js';
