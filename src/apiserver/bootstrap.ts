// The objects every cluster starts with: the four system namespaces, the `kubernetes` Service, the two system
// PriorityClasses and the bootstrap RBAC roles and bindings kube-apiserver creates at start-up.
import type { KubeObject } from '../api/index.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, bootstrapRoleBindings, bootstrapRoles, reconcileBinding, reconcileRole } from '../auth/index.js';
import { StatusError } from '../machinery/index.js';
import type { Registry } from '../registry/registry.js';
import { reconcileKubernetesService, type ApiServerEndpoint } from './kubernetes-endpoints.js';

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

/** The default StorageClass every kin cluster has (kind's `standard`, provisioned by kin itself). */
export const defaultStorageClass: KubeObject = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'kin.dev/hostpath',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
};

const keyOf = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** How an existing object is brought in line with its default: nothing, an update, or replacing it. */
export type Reconcile = (existing: KubeObject, expected: KubeObject) => { update: KubeObject } | { recreate: KubeObject } | undefined;

/**
 * Creates the objects of one resource that are missing (by namespace and name) and reconciles those that exist:
 * one list, then every write at once (the storage commits concurrent writes together). Returns the keys
 * (`namespace/name`, `/name` when cluster-scoped) of the objects created, updated or replaced.
 */
export async function ensureAll(registry: Registry, group: string, plural: string, objects: KubeObject[], reconcile?: Reconcile): Promise<string[]> {
  const store = registry.find(group, 'v1', plural);
  if (!store) return [];
  // The defaults' names (`system:basic-user`) need the resource's own name rules; a server assembled without
  // its strategies (some unit tests) starts without them.
  if (group === 'rbac.authorization.k8s.io' && !store.strategy.nameValidation) return [];
  const have = new Map<string, KubeObject>();
  for (const ref of (await store.list({})).items) {
    const o = store.object(ref);
    have.set(keyOf(o), o);
  }
  const opts = { fieldManager: bootstrapFieldManager };
  const tolerate = (reason: string) => (e: unknown) => {
    if (!(e instanceof StatusError && e.reason === reason)) throw e;
  };
  const writes: Promise<unknown>[] = [];
  const touched: string[] = [];
  for (const o of objects) {
    const key = keyOf(o);
    const existing = have.get(key);
    const ns = o.metadata?.namespace;
    const name = o.metadata!.name!;
    if (!existing) {
      writes.push(store.create(ns, o, opts).catch(tolerate('AlreadyExists')));
      touched.push(key);
      continue;
    }
    const r = reconcile?.(existing, o);
    if (!r) continue;
    touched.push(key);
    if ('update' in r) {
      writes.push(store.update(ns, name, (cur) => (cur ? ((reconcile!(cur, o) as { update?: KubeObject } | undefined)?.update ?? cur) : o), opts).catch(tolerate('NotFound')));
    } else {
      writes.push(store.delete(ns, name).catch(tolerate('NotFound')).then(() => store.create(ns, r.recreate, opts).catch(tolerate('AlreadyExists'))));
    }
  }
  await Promise.all(writes);
  return touched;
}

const roleUpdate: Reconcile = (existing, expected) => {
  const r = reconcileRole(existing, expected);
  return r && { update: r };
};

/**
 * Creates the bootstrap ClusterRoles, ClusterRoleBindings, Roles and RoleBindings that are missing, and brings
 * those that exist in line with the defaults as kube-apiserver does on every start (see reconcileRole).
 */
export async function bootstrapRbac(registry: Registry): Promise<void> {
  const g = 'rbac.authorization.k8s.io';
  await Promise.all([
    ensureAll(registry, g, 'clusterroles', bootstrapClusterRoles(), roleUpdate),
    ensureAll(registry, g, 'clusterrolebindings', bootstrapClusterRoleBindings(), reconcileBinding),
    ensureAll(registry, g, 'roles', bootstrapRoles(), roleUpdate),
    ensureAll(registry, g, 'rolebindings', bootstrapRoleBindings(), reconcileBinding),
  ]);
}

/**
 * Creates what is missing of the bootstrap objects (with `rbac: false`, all but the RBAC defaults); safe to call on
 * every start. With `endpoint` (where the API server listens), the `kubernetes` Service's ports, Endpoints and
 * EndpointSlice are also put right for it (unless `reconcilePorts` is false: then only what is missing is made).
 */
export async function bootstrapObjects(registry: Registry, opts: { serviceIP?: string; endpoint?: ApiServerEndpoint; rbac?: boolean; reconcilePorts?: boolean } = {}): Promise<void> {
  const rbac = opts.rbac === false ? undefined : bootstrapRbac(registry);
  // All at once: on a first start the writes then share a few commits (one fsync each) instead of one each.
  await Promise.all([
    ...systemNamespaces.map((name) => ensure(registry, '', 'namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    // The service-account controller gives every namespace its `default` account, but only after the ready line; a
    // pod created at once in a system namespace would meet ServiceAccount admission without one. On a real cluster
    // these exist long before a user comes: make them with the namespaces.
    ...systemNamespaces.map((namespace) => ensure(registry, '', 'serviceaccounts', namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } })),
    // The `kubernetes` Service (and, where the server listens is known, its endpoints), ports put right on start.
    reconcileKubernetesService(registry, { reconcilePorts: opts.reconcilePorts ?? !!opts.endpoint, ...(opts.serviceIP ? { serviceIP: opts.serviceIP } : {}), ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) }),
    ...systemPriorityClasses.map((pc) => ensure(registry, 'scheduling.k8s.io', 'priorityclasses', undefined, structuredClone(pc))),
    ensure(registry, 'storage.k8s.io', 'storageclasses', undefined, structuredClone(defaultStorageClass)),
  ]);
  await rbac;
}
