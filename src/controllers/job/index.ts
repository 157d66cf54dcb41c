// The Job controller's public surface.
export * from './types.js';
export * from './indexes.js';
export * from './backoff.js';
export * from './conditions.js';
export * from './pod-failure-policy.js';
export { podFromTemplate, podGenerateName, jobControllerRef, type PodSlot } from './pod-control.js';
export { JobReconciler, newJobController, maxPodCreateDeletePerSync, maxRequeueMs, jobControllerName, type JobReconcilerOptions } from './job-controller.js';
export { maxUncountedPods } from './tracking.js';
