// ControllerRevision history shared by the StatefulSet and DaemonSet controllers, claiming of dependents by
// selector, and the pod readiness rules those controllers share.
export * from './revision.js';
export * from './history.js';
export * from './controller-ref.js';
export * from './pod-state.js';
