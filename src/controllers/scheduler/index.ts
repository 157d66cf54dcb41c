// The scheduler's public surface: the Scheduler runnable, its framework, cache, queue and plugins.
export * from './types.js';
export * from './resources.js';
export * from './node-info.js';
export * from './cache.js';
export * from './fit-error.js';
export * from './framework.js';
export * from './queue.js';
export * from './nominator.js';
export * from './preemption.js';
export * from './preemption-actions.js';
export * from './scheduler.js';
export * from './plugins/index.js';
