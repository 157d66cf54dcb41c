// The DaemonSet controller's public surface.
export * from './daemon-utils.js';
export * from './update.js';
export * from './expectations.js';
export * from './failed-pod-backoff.js';
export * from './daemon-controller.js';
