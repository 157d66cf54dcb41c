// The TTL-after-finished controller's public surface.
export * from './ttl-after-finished-controller.js';
