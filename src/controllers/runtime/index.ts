// The controller runtime's public surface: informers and their factory, the work queue, the Reconciler seam and
// Controller, the Manager, leader election.
export * from './keys.js';
export * from './store.js';
export * from './informer.js';
export * from './informer-factory.js';
export * from './rate-limiter.js';
export * from './work-queue.js';
export * from './controller.js';
export * from './manager.js';
export * from './lease-lock.js';
export * from './leader-election.js';
export { sleep } from './sleep.js';
export * from './events.js';
