// The ReplicaSet and ReplicationController controllers' public surface, with the pod helpers, expectations and
// controller reference manager other workload controllers share.
export * from './pod-utils.js';
export * from './expectations.js';
export * from './controller-ref-manager.js';
export * from './replica-set-status.js';
export * from './replica-set-controller.js';
