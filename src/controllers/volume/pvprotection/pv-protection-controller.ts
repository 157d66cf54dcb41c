// The PV protection controller: the `kubernetes.io/pv-protection` finalizer on every PersistentVolume, removed once
// the volume is being deleted and is not bound to a claim.
import type { KubeObject } from '../../../api/index.js';
import { isNotFound, type ApiClient, type ResourceRef } from '../../../client/index.js';
import type { Clock, Logger } from '../../../util/index.js';
import { Controller, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../../runtime/index.js';

/** The finalizer this controller owns. */
export const pvProtectionFinalizer = 'kubernetes.io/pv-protection';

const pvs: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false };

/** Adds or removes the finalizer of one volume (key: its name). */
export class PvProtectionReconciler implements Reconciler {
  constructor(private readonly client: ApiClient) {}

  async reconcile(name: string, signal: AbortSignal): Promise<ReconcileResult> {
    const volumes = this.client.resource(pvs);
    let pv: KubeObject;
    try {
      pv = await volumes.get(name, { signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const finalizers = pv.metadata?.finalizers ?? [];
    const has = finalizers.includes(pvProtectionFinalizer);
    if (!pv.metadata?.deletionTimestamp) {
      if (has) return;
      await volumes.update({ ...pv, metadata: { ...pv.metadata, finalizers: [...finalizers, pvProtectionFinalizer] } }, { signal });
      return;
    }
    if (!has || (pv['status'] as { phase?: string } | undefined)?.phase === 'Bound') return;
    try {
      await volumes.update({ ...pv, metadata: { ...pv.metadata, finalizers: finalizers.filter((f) => f !== pvProtectionFinalizer) } }, { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** Builds the controller: volumes enqueue themselves. */
export function newPvProtectionController(factory: SharedInformerFactory, opts: { client: ApiClient; clock?: Clock; logger?: Logger }): Controller {
  const c = new Controller({ name: 'persistentvolume-protection', reconciler: new PvProtectionReconciler(opts.client), ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  c.watch(factory.informerFor(pvs));
  return c;
}
