// The objects every cluster starts with: the four system namespaces, the `kubernetes` Service, the two system
// PriorityClasses and the bootstrap RBAC roles and bindings kube-apiserver creates at start-up.
import type { KubeObject } from '../api/index.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, bootstrapRoleBindings, bootstrapRoles } from '../auth/index.js';
import { StatusError } from '../machinery/index.js';
import type { Registry } from '../registry/registry.js';

/** The field manager of what the API server creates itself (managedFields name it, as on a real cluster). */
export const bootstrapFieldManager = 'kube-apiserver';

/** Namespaces that exist in every cluster. */
export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

async function ensure(registry: Registry, group: string, plural: string, namespace: string | undefined, obj: KubeObject): Promise<void> {
  const store = registry.find(group, 'v1', plural);
  if (!store) return;
  try {
    await store.get(namespace, obj.metadata!.name!);
    return;
  } catch (e) {
    if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e;
  }
  try {
    await store.create(namespace, obj, { fieldManager: bootstrapFieldManager });
  } catch (e) {
    if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
  }
}

/** The PriorityClasses every cluster has (system-node-critical ranks above system-cluster-critical). */
export const systemPriorityClasses: KubeObject[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-node-critical' },
    value: 2_000_001_000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-cluster-critical' },
    value: 2_000_000_000,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

const keyOf = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * Creates the objects of one resource that are missing (by namespace and name): one list, then every missing
 * object written at once (the storage commits concurrent writes together). Objects that exist are left as they
 * are. Returns the keys (`namespace/name`, `/name` when cluster-scoped) of those created.
 */
export async function ensureAll(registry: Registry, group: string, plural: string, objects: KubeObject[]): Promise<string[]> {
  const store = registry.find(group, 'v1', plural);
  if (!store) return [];
  const have = new Set<string>();
  for (const ref of (await store.list({})).items) have.add(keyOf(store.object(ref)));
  const missing = objects.filter((o) => !have.has(keyOf(o)));
  await Promise.all(
    missing.map((o) =>
      store.create(o.metadata?.namespace, o, { fieldManager: bootstrapFieldManager }).catch((e: unknown) => {
        if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
      }),
    ),
  );
  return missing.map(keyOf);
}

/** Creates the bootstrap ClusterRoles, ClusterRoleBindings, Roles and RoleBindings that are missing. */
export async function bootstrapRbac(registry: Registry): Promise<void> {
  await Promise.all([
    ensureAll(registry, 'rbac.authorization.k8s.io', 'clusterroles', bootstrapClusterRoles()),
    ensureAll(registry, 'rbac.authorization.k8s.io', 'clusterrolebindings', bootstrapClusterRoleBindings()),
    ensureAll(registry, 'rbac.authorization.k8s.io', 'roles', bootstrapRoles()),
    ensureAll(registry, 'rbac.authorization.k8s.io', 'rolebindings', bootstrapRoleBindings()),
  ]);
}

/** Creates what is missing of the bootstrap objects; safe to call on every start. */
export async function bootstrapObjects(registry: Registry, opts: { serviceIP?: string; port?: number } = {}): Promise<void> {
  const rbac = bootstrapRbac(registry);
  for (const name of systemNamespaces) {
    await ensure(registry, '', 'namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  await ensure(registry, '', 'services', 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: opts.serviceIP ?? '10.96.0.1',
      clusterIPs: [opts.serviceIP ?? '10.96.0.1'],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: opts.port ?? 6443 }],
      sessionAffinity: 'None',
    },
  });
  for (const pc of systemPriorityClasses) await ensure(registry, 'scheduling.k8s.io', 'priorityclasses', undefined, structuredClone(pc));
  await rbac;
}
