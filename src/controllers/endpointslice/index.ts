// The EndpointSlice controller's public surface (its pod rules are shared with the Endpoints controller).
export * from './types.js';
export * from './pod-endpoints.js';
export * from './trigger-time.js';
export * from './slice-plan.js';
export * from './endpointslice-controller.js';
