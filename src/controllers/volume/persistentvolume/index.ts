// The PersistentVolume binder and provisioner's public surface.
export * from './matching.js';
export * from './binder.js';
