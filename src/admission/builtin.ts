// The built-in plugins kin registers, and the chain kin runs by default.
import { AdmissionChain, newAdmissionChain, PluginRegistry } from './chain.js';
import type { PluginDeps } from './interfaces.js';
import { defaultStorageClassPlugin } from './plugins/default-storage-class.js';
import { defaultTolerationSecondsPlugin } from './plugins/default-toleration-seconds.js';
import { limitRangerPlugin } from './plugins/limit-ranger.js';
import { namespaceLifecycle } from './plugins/namespace-lifecycle.js';
import { priorityPlugin } from './plugins/priority.js';
import { resourceQuotaPlugin } from './plugins/resource-quota.js';
import { serviceAccountPlugin } from './plugins/service-account.js';

/** A registry holding every built-in plugin under its Kubernetes name. */
export function builtinPlugins(): PluginRegistry {
  return new PluginRegistry()
    .register('NamespaceLifecycle', namespaceLifecycle)
    .register('LimitRanger', limitRangerPlugin)
    .register('ServiceAccount', serviceAccountPlugin)
    .register('Priority', priorityPlugin)
    .register('DefaultTolerationSeconds', defaultTolerationSecondsPlugin)
    .register('DefaultStorageClass', defaultStorageClassPlugin)
    .register('ResourceQuota', resourceQuotaPlugin);
}

/** The default chain: every built-in plugin, in kube-apiserver's order, minus `disabled`. */
export function defaultAdmissionChain(deps: PluginDeps, disabled: readonly string[] = []): AdmissionChain {
  return newAdmissionChain({ registry: builtinPlugins(), deps, disabled });
}
