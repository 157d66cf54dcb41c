// The PVC protection controller's public surface.
export * from './pvc-protection-controller.js';
