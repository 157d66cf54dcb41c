// Pods: the strategy, and the pod-spec helpers that every workload kind (apps, batch) reuses.
export { defaultPodSpec, defaultPodTemplateSpec, defaultPod, defaultContainer, defaultVolume, defaultPullPolicy } from './defaults.js';
export { validatePodSpec, validatePodTemplateSpec, validatePodSpecWith, validateTolerations, type PodSpecValidation } from './validate-spec.js';
