// The PVC protection controller: the `kubernetes.io/pvc-protection` finalizer on every PersistentVolumeClaim,
// removed once the claim is being deleted and no pod uses it.
import type { KubeObject } from '../../../api/index.js';
import { isNotFound, type ApiClient, type ResourceRef } from '../../../client/index.js';
import type { Clock, Logger } from '../../../util/index.js';
import { Controller, keyOf, makeKey, splitKey, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../../runtime/index.js';

/** The finalizer this controller owns. */
export const pvcProtectionFinalizer = 'kubernetes.io/pvc-protection';

const pvcs: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const pods: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };

interface PodVolume {
  name: string;
  persistentVolumeClaim?: { claimName?: string };
  ephemeral?: unknown;
}
interface Pod extends KubeObject {
  spec?: { nodeName?: string; volumes?: PodVolume[] };
  status?: { phase?: string };
}

/** The claims a pod references: `persistentVolumeClaim.claimName`, and `<pod>-<volume>` for ephemeral volumes. */
export function claimsOfPod(pod: Pod): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(`${pod.metadata?.name ?? ''}-${v.name}`);
  }
  return out;
}

/** Whether a pod holds its claims: it is scheduled (the kubelet only starts scheduled pods) and not shut down. */
export function podHoldsClaims(pod: Pod): boolean {
  if (!pod.spec?.nodeName) return false;
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** Adds or removes the finalizer of one claim (key: `namespace/name`). */
export class PvcProtectionReconciler implements Reconciler {
  constructor(private readonly client: ApiClient) {}

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    const claims = this.client.resource(pvcs);
    let pvc: KubeObject;
    try {
      pvc = await claims.get(name, { namespace, signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const finalizers = pvc.metadata?.finalizers ?? [];
    const has = finalizers.includes(pvcProtectionFinalizer);
    if (!pvc.metadata?.deletionTimestamp) {
      if (has) return;
      await claims.update({ ...pvc, metadata: { ...pvc.metadata, finalizers: [...finalizers, pvcProtectionFinalizer] } }, { signal });
      return;
    }
    if (!has) return;
    const { items } = await this.client.resource<Pod>(pods).list({ namespace, signal });
    if (items.some((p) => podHoldsClaims(p) && claimsOfPod(p).includes(name))) return;
    try {
      await claims.update({ ...pvc, metadata: { ...pvc.metadata, finalizers: finalizers.filter((f) => f !== pvcProtectionFinalizer) } }, { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** Builds the controller: claims enqueue themselves, pods enqueue the claims they reference. */
export function newPvcProtectionController(factory: SharedInformerFactory, opts: { client: ApiClient; clock?: Clock; logger?: Logger }): Controller {
  const c = new Controller({ name: 'persistentvolumeclaim-protection', reconciler: new PvcProtectionReconciler(opts.client), ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  c.watch(factory.informerFor(pvcs), (o) => [keyOf(o)]);
  c.watch(factory.informerFor<Pod>(pods), (p) => claimsOfPod(p).map((claim) => makeKey(p.metadata?.namespace, claim)));
  return c;
}
