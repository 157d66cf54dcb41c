// The StatefulSet controller's public surface.
export * from './stateful-set-utils.js';
export * from './stateful-pod-control.js';
export * from './stateful-set-control.js';
export * from './stateful-set-controller.js';
