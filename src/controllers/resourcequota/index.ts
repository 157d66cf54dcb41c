// The resource quota controller's public surface.
export * from './resource-quota-controller.js';
