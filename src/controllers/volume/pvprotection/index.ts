// The PV protection controller's public surface.
export * from './pv-protection-controller.js';
