// Helpers shared by the core/v1 strategies (private to src/registry/core).
export * from './names.js';
export * from './quantity.js';
export * from './objects.js';
export * from './checks.js';
export * from './resources.js';
export * from './strategy-kit.js';
