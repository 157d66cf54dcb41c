// The admission folder's public surface: the plugin seam, the ordered chain and the built-in plugins.
export * from './interfaces.js';
export * from './errors.js';
export * from './chain.js';
export * from './builtin.js';
export { checkNamespaceOpen, immortalNamespaces, namespaceLifecycle } from './plugins/namespace-lifecycle.js';
export { serviceAccountPlugin, tokenVolumeSource, defaultAPITokenMountPath, serviceAccountVolumeName } from './plugins/service-account.js';
export { limitRangerPlugin, limitRangerAnnotation } from './plugins/limit-ranger.js';
export { resourceQuotaPlugin } from './plugins/resource-quota.js';
export { priorityPlugin } from './plugins/priority.js';
export { defaultTolerationSecondsPlugin, defaultTolerationSeconds } from './plugins/default-toleration-seconds.js';
export { defaultStorageClassPlugin, defaultStorageClass, isDefaultClassAnnotation } from './plugins/default-storage-class.js';
