// Pods: the strategy, and the pod-spec helpers that every workload kind (apps, batch) reuses.
export { defaultPodSpec, defaultPodTemplateSpec, defaultPod, defaultContainer, defaultVolume, defaultPullPolicy } from './defaults.js';
export { validatePodSpec, validatePodTemplateSpec, validatePodSpecWith, validateTolerations, validateAnnotations, type PodSpecValidation } from './validate-spec.js';
export { validateResourceRequirements, validatePortNumOrName } from './validate-containers.js';
export { podStrategy, applyDefaultTolerations, applyPriorityDefaults } from './strategy.js';
export { podPrinter, podStatusCells } from './printer.js';
export { computePodQOS } from './qos.js';
