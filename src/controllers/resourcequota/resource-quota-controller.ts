// The resource quota controller: keeps every ResourceQuota's status.hard equal to spec.hard and recomputes
// status.used from the objects in its namespace (admission adds to `used` as objects are created; this controller
// gives back what deleted and finished objects no longer use, and corrects any drift).
import type { KubeObject } from '../../api/index.js';
import { discover, isNotFound, type ApiClient, type ResourceRef } from '../../client/index.js';
import {
  addLists,
  countedResourceOf,
  evaluatorFor,
  formatResourceList,
  listsEqual,
  maskList,
  parseResourceList,
  quotaMatches,
  quotaScopes,
  zeroList,
  type ResourceList,
} from '../../machinery/quota/index.js';
import { systemClock, type Clock, type Logger } from '../../util/index.js';
import { Controller, keyOf, objectOfDelete, splitKey, type Reconciler, type ReconcileResult, type SharedInformer, type SharedInformerFactory } from '../runtime/index.js';

const quotas: ResourceRef = { group: '', version: 'v1', plural: 'resourcequotas', namespaced: true };

/** The resources whose changes this controller follows with informers (others are recounted on a timer). */
export const watchedResources: readonly ResourceRef[] = [
  { group: '', version: 'v1', plural: 'pods', namespaced: true },
  { group: '', version: 'v1', plural: 'services', namespaced: true },
  { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true },
  { group: '', version: 'v1', plural: 'configmaps', namespaced: true },
  { group: '', version: 'v1', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', plural: 'replicationcontrollers', namespaced: true },
  quotas,
];

const countedOnly = new Set(['configmaps', 'secrets']);

/** How often every quota is recounted in full (kube-controller-manager's default quota resync). */
export const fullResyncMs = 5 * 60_000;
/** How often a quota that counts resources without an informer here (`count/deployments.apps`) is recounted. */
export const uncoveredResyncMs = 30_000;

/** Where the reconciler reads a namespace's objects of one resource. */
export type ObjectSource = (r: { group: string; resource: string }, namespace: string, signal: AbortSignal) => Promise<{ objects: KubeObject[]; watched: boolean }>;

/** Recomputes one quota (key: `namespace/name`). */
export class ResourceQuotaReconciler implements Reconciler {
  constructor(
    private readonly client: ApiClient,
    private readonly source: ObjectSource,
    private readonly clock: Clock = systemClock,
  ) {}

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    const rqs = this.client.resource(quotas);
    let q: KubeObject;
    try {
      q = await rqs.get(name, { namespace, signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const spec = (q['spec'] ?? {}) as { hard?: Record<string, string> };
    const hard = parseResourceList(spec.hard);
    const hardNames = Object.keys(hard);
    const scopes = quotaScopes(q);
    // Every limited name has a figure, zero when nothing uses it.
    let used: ResourceList = zeroList(hardNames);
    const counted = new Map<string, { group: string; resource: string }>();
    for (const n of hardNames) {
      const r = countedResourceOf(n);
      if (r) counted.set(`${r.group}/${r.resource}`, r);
    }
    let allWatched = true;
    for (const r of counted.values()) {
      const e = evaluatorFor(r.group, r.resource);
      const { objects, watched } = await this.source(r, namespace ?? '', signal);
      allWatched &&= watched;
      const now = this.clock.now();
      for (const obj of objects) {
        if (!quotaMatches(e, hardNames, scopes, obj)) continue;
        used = addLists(used, maskList(e.usage(obj, now), hardNames));
      }
    }
    const status = (q['status'] ?? {}) as { hard?: Record<string, string>; used?: Record<string, string> };
    const again = { requeueAfterMs: allWatched ? fullResyncMs : uncoveredResyncMs };
    if (listsEqual(parseResourceList(status.hard), hard) && listsEqual(parseResourceList(status.used), used)) return again;
    await rqs.update({ ...q, status: { ...status, hard: formatResourceList(hard), used: formatResourceList(used) } }, { subresource: 'status', signal });
    return again;
  }
}

/** A source reading watched resources from informer caches and any other resource through the API (found by discovery). */
export function informerSource(client: ApiClient, informers: Map<string, SharedInformer>): ObjectSource {
  let found: Map<string, ResourceRef> | undefined;
  return async (r, namespace, signal) => {
    const inf = informers.get(`${r.group}/${r.resource}`);
    if (inf) return { objects: inf.store.listInNamespace(namespace), watched: true };
    const key = `${r.group}/${r.resource}`;
    if (!found?.has(key)) {
      found = new Map();
      for (const res of (await discover(client, signal)).resources) if (res.preferred) found.set(`${res.group}/${res.plural}`, res);
    }
    const ref = found.get(key);
    if (!ref) return { objects: [], watched: false };
    return { objects: (await client.resource(ref).list({ namespace, signal })).items, watched: false };
  };
}

/** Whether a change of an object can change what quota counts for it (a pod's status moves often; only its end counts). */
function usageChanged(oldObj: KubeObject, newObj: KubeObject): boolean {
  if (oldObj === newObj) return true;
  const a = oldObj as { spec?: unknown; status?: { phase?: string }; metadata?: { deletionTimestamp?: string } };
  const b = newObj as typeof a;
  if (a.status?.phase !== b.status?.phase || a.metadata?.deletionTimestamp !== b.metadata?.deletionTimestamp) return true;
  return JSON.stringify(a.spec) !== JSON.stringify(b.spec);
}

/** Builds the controller: quotas enqueue themselves; adds, deletes and usage changes of counted objects enqueue their namespace's quotas. */
export function newResourceQuotaController(factory: SharedInformerFactory, opts: { client: ApiClient; clock?: Clock; logger?: Logger }): Controller {
  const informers = new Map<string, SharedInformer>();
  // ConfigMaps and Secrets are only counted: their metadata is enough, and every write of one would otherwise be
  // parsed whole by this informer.
  for (const r of watchedResources) informers.set(`${r.group}/${r.plural}`, factory.informerFor(r, countedOnly.has(r.plural) ? { metadataOnly: true } : {}));
  const quotaInformer = informers.get('/resourcequotas')!;
  const reconciler = new ResourceQuotaReconciler(opts.client, informerSource(opts.client, informers), opts.clock);
  const c = new Controller({ name: 'resourcequota', reconciler, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  c.watch(quotaInformer, (o) => [keyOf(o)]);
  const quotasOf = (o: KubeObject) => {
    for (const q of quotaInformer.store.listInNamespace(o.metadata?.namespace ?? '')) c.enqueue(keyOf(q));
  };
  for (const r of watchedResources) {
    if (r === quotas) continue;
    const inf = informers.get(`${r.group}/${r.plural}`)!;
    // Registered with the controller (so it waits for the cache) without keys of its own; the handler below enqueues.
    c.watch(inf, () => []);
    inf.addEventHandler({
      onAdd: (o) => quotasOf(o),
      onUpdate: (oldObj, newObj) => {
        // Most namespaces have no quota: look that up before comparing the objects.
        if (quotaInformer.store.listInNamespace(newObj.metadata?.namespace ?? '').length && usageChanged(oldObj, newObj)) quotasOf(newObj);
      },
      onDelete: (o) => quotasOf(objectOfDelete(o)),
    });
  }
  return c;
}
