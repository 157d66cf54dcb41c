// The service load-balancer controller's public surface.
export * from './ip-pool.js';
export * from './service-lb-controller.js';
