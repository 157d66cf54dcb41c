// The controllers folder's public surface: the controller runtime (and, as they land, the controllers).
export * from './runtime/index.js';
export * from './known-finalizers.js';
