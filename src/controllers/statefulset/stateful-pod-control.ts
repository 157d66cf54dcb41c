// The writes of the StatefulSet controller: pods with their claims created first, pod identity and storage
// fixed, pods deleted, claims' owner references kept to the retention policy; each recorded as an Event.
import { isAlreadyExists, isNotFound, type ApiClient, type ResourceClient, type ResourceRef } from '../../client/index.js';
import type { EventRecorder } from '../runtime/index.js';
import { systemClock, type Clock } from '../../util/index.js';
import type { Pod } from '../history/index.js';
import type { Lister } from '../runtime/index.js';
import { claimOwnerRefsFor, claimsForPod, identityMatches, storageMatches, updateIdentity, updateStorage, type PersistentVolumeClaim, type StatefulSet } from './stateful-set-utils.js';

const podsRef: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const claimsRef: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Pod and claim writes of one StatefulSet controller. */
export class StatefulPodControl {
  private readonly pods: ResourceClient<Pod>;
  private readonly claims: ResourceClient<PersistentVolumeClaim>;
  // Pods deleted lately (uid → when): a pass working from a store that has not seen the deletion yet must not
  // delete (and report) them again.
  private readonly deleted = new Map<string, number>();

  constructor(
    client: ApiClient,
    private readonly recorder: EventRecorder,
    private readonly claimLister: Lister<PersistentVolumeClaim>,
    private readonly clock: Clock = systemClock,
  ) {
    this.pods = client.resource<Pod>(podsRef);
    this.claims = client.resource<PersistentVolumeClaim>(claimsRef);
  }

  private podEvent(verb: string, set: StatefulSet, pod: Pod, err?: unknown): void {
    const name = pod.metadata?.name ?? '';
    const setName = set.metadata?.name ?? '';
    const title = verb[0]!.toUpperCase() + verb.slice(1);
    if (err === undefined) this.recorder.event(set, 'Normal', `Successful${title}`, `${verb} Pod ${name} in StatefulSet ${setName} successful`);
    else this.recorder.event(set, 'Warning', `Failed${title}`, `${verb} Pod ${name} in StatefulSet ${setName} failed error: ${errText(err)}`);
  }

  private claimEvent(verb: string, set: StatefulSet, pod: Pod, claim: string, err?: unknown): void {
    const title = verb[0]!.toUpperCase() + verb.slice(1);
    const p = pod.metadata?.name ?? '';
    const s = set.metadata?.name ?? '';
    if (err === undefined) this.recorder.event(set, 'Normal', `Successful${title}`, `${verb} Claim ${claim} Pod ${p} in StatefulSet ${s} success`);
    else this.recorder.event(set, 'Warning', `Failed${title}`, `${verb} Claim ${claim} for Pod ${p} in StatefulSet ${s} failed error: ${errText(err)}`);
  }

  /** The claim of a name, from the store. */
  private claim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.claimLister.get(`${namespace}/${name}`);
  }

  /** Whether one of the pod's claims is being deleted: the pod must wait for it to go (PodClaimIsStale). */
  claimIsStale(set: StatefulSet, pod: Pod): boolean {
    for (const c of claimsForPod(set, pod).values()) {
      const have = this.claim(c.metadata?.namespace ?? '', c.metadata?.name ?? '');
      if (have?.metadata?.deletionTimestamp) return true;
    }
    return false;
  }

  /** Creates the pod's missing claims (with the owner references of the retention policy). */
  async createMissingClaims(set: StatefulSet, pod: Pod, signal: AbortSignal): Promise<void> {
    const errors: string[] = [];
    for (const c of claimsForPod(set, pod).values()) {
      const ns = c.metadata?.namespace ?? '';
      const name = c.metadata?.name ?? '';
      if (this.claim(ns, name)) continue;
      const refs = claimOwnerRefsFor(c, set, pod);
      if (refs && refs.length > 0) c.metadata = { ...c.metadata, ownerReferences: refs };
      try {
        await this.claims.create(c, { namespace: ns, signal });
        this.claimEvent('create', set, pod, name);
      } catch (e) {
        if (isAlreadyExists(e)) continue;
        this.claimEvent('create', set, pod, name, e);
        errors.push(`failed to create PVC ${name}: ${errText(e)}`);
      }
    }
    if (errors.length) throw new Error(errors.join('; '));
  }

  /** Creates a pod after its claims; false when it exists already (the store has not seen it yet). */
  async createPod(set: StatefulSet, pod: Pod, signal: AbortSignal): Promise<boolean> {
    try {
      await this.createMissingClaims(set, pod, signal);
    } catch (e) {
      this.podEvent('create', set, pod, e);
      throw e;
    }
    try {
      await this.pods.create(pod, { namespace: pod.metadata?.namespace ?? '', signal });
    } catch (e) {
      if (isAlreadyExists(e)) return false;
      this.podEvent('create', set, pod, e);
      throw e;
    }
    this.podEvent('create', set, pod);
    return true;
  }

  /** Fixes a pod's identity and storage and its claims' owner references; writes only what differs. */
  async updatePod(set: StatefulSet, live: Pod, signal: AbortSignal): Promise<void> {
    await this.updateClaimsForRetention(set, live, signal);
    if (identityMatches(set, live) && storageMatches(set, live)) return;
    const pod = structuredClone(live);
    updateIdentity(set, pod);
    if (!storageMatches(set, pod)) {
      updateStorage(set, pod);
      await this.createMissingClaims(set, pod, signal);
    }
    try {
      await this.pods.update(pod, { signal });
      this.podEvent('update', set, pod);
    } catch (e) {
      if (isNotFound(e)) return;
      this.podEvent('update', set, pod, e);
      throw e;
    }
  }

  /** Whether every claim of the pod has the owner references of the retention policy. */
  claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod): boolean {
    for (const c of claimsForPod(set, pod).values()) {
      const have = this.claim(c.metadata?.namespace ?? '', c.metadata?.name ?? '');
      if (have && claimOwnerRefsFor(have, set, pod)) return false;
    }
    return true;
  }

  /** Rewrites the owner references of the pod's claims that do not match the retention policy. */
  async updateClaimsForRetention(set: StatefulSet, pod: Pod, signal: AbortSignal): Promise<void> {
    for (const c of claimsForPod(set, pod).values()) {
      const have = this.claim(c.metadata?.namespace ?? '', c.metadata?.name ?? '');
      if (!have || have.metadata?.deletionTimestamp) continue;
      const refs = claimOwnerRefsFor(have, set, pod);
      if (!refs) continue;
      try {
        await this.claims.patch(have.metadata?.name ?? '', 'merge', { metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: have.metadata?.resourceVersion } }, { namespace: have.metadata?.namespace ?? '', signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  /** Deletes a pod (its claims stay, unless their owner references say otherwise). */
  async deletePod(set: StatefulSet, pod: Pod, signal: AbortSignal): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const now = this.clock.now();
    for (const [u, at] of this.deleted) if (now - at > 60_000) this.deleted.delete(u);
    if (uid && this.deleted.has(uid)) return;
    try {
      await this.pods.delete(pod.metadata?.name ?? '', { namespace: pod.metadata?.namespace ?? '', ...(uid ? { preconditions: { uid } } : {}), signal });
      if (uid) this.deleted.set(uid, now);
    } catch (e) {
      if (isNotFound(e)) return;
      this.podEvent('delete', set, pod, e);
      throw e;
    }
    this.podEvent('delete', set, pod);
  }
}
