// The StatefulSet controller: a Reconciler per set (claim pods and revisions, one control pass, status,
// history truncation) and the informers that wake it.
import type { KubeObject } from '../../api/index.js';
import { isConflict, isNotFound, type ApiClient, type ResourceClient, type ResourceRef } from '../../client/index.js';
import { deepEqual, matchesLabels, tryLabelSelectorFromObject } from '../../machinery/index.js';
import { systemClock, type Clock, type Logger } from '../../util/index.js';
import { claimObjects, controllerRef, controllerRefOf, ControllerHistory, ownerOrSelecting, controllerRevisionsRef, type ControllerRevision, type Pod } from '../history/index.js';
import { Controller, makeKey, TerminalError, type EventRecorder, type Lister, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';
import { StatefulPodControl } from './stateful-pod-control.js';
import { completeRollingUpdate, StatefulSetControl, type Status } from './stateful-set-control.js';
import { isMemberOf, podRevision, statefulSetKind, type PersistentVolumeClaim, type StatefulSet } from './stateful-set-utils.js';

/** The StatefulSet resource. */
export const statefulSetsRef: ResourceRef = { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true };
const podsRef: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const claimsRef: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };

/** What the reconciler reads from and writes through. */
export interface StatefulSetReconcilerOptions {
  client: ApiClient;
  sets: Lister<StatefulSet>;
  pods: Lister<Pod>;
  revisions: Lister<ControllerRevision>;
  claims: Lister<PersistentVolumeClaim>;
  recorder: EventRecorder;
  clock?: Clock;
}

/** Reconciles one StatefulSet (key `namespace/name`). */
export class StatefulSetReconciler implements Reconciler {
  private readonly setsClient: ResourceClient<StatefulSet>;
  private readonly podsClient: ResourceClient<Pod>;
  private readonly history: ControllerHistory;
  private readonly control: StatefulSetControl;

  constructor(private readonly o: StatefulSetReconcilerOptions) {
    this.setsClient = o.client.resource<StatefulSet>(statefulSetsRef);
    this.podsClient = o.client.resource<Pod>(podsRef);
    this.history = new ControllerHistory(o.client, o.revisions);
    const clock = o.clock ?? systemClock;
    this.control = new StatefulSetControl(new StatefulPodControl(o.client, o.recorder, o.claims, clock), this.history, clock);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const cached = this.o.sets.get(key);
    if (!cached) return;
    const set = structuredClone(cached);
    const sel = tryLabelSelectorFromObject(set.spec?.selector);
    if (typeof sel === 'string') throw new TerminalError(`invalid selector of StatefulSet ${key}: ${sel}`);
    const ns = set.metadata?.namespace ?? '';
    const ref = controllerRef(set, statefulSetKind.apiVersion, statefulSetKind.kind);
    // A pod is adopted only when its name says it belongs to this set, as Kubernetes' isMemberOf filter does.
    const candidates = this.o.pods.listInNamespace(ns).filter((p) => controllerRefOf(p) || isMemberOf(set, p));
    const pods = await claimObjects(candidates, { owner: set, ref, selector: sel, client: this.podsClient, signal });
    const revisions = await this.history.list(set, { ...statefulSetKind, selector: sel, signal });
    const outcome = await this.control.sync(set, pods.map((p) => structuredClone(p)), revisions, signal);
    await this.truncateHistory(set, pods, revisions, [outcome.current, outcome.update], signal);
    await this.writeStatus(set, outcome.status, signal);
    return outcome.requeueAfterMs !== undefined ? { requeueAfterMs: outcome.requeueAfterMs } : undefined;
  }

  /** Deletes the oldest revisions no pod uses beyond spec.revisionHistoryLimit. */
  private async truncateHistory(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], live: ControllerRevision[], signal: AbortSignal): Promise<void> {
    const liveNames = new Set<string>(live.map((r) => r.metadata?.name ?? ''));
    for (const p of pods) liveNames.add(podRevision(p));
    const old = revisions.filter((r) => !liveNames.has(r.metadata?.name ?? ''));
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    if (limit < 0 || old.length <= limit) return;
    for (const r of old.slice(0, old.length - limit)) await this.history.delete(r, signal);
  }

  /** Writes status when it differs (after completing a finished rolling update), retrying once on a conflict. */
  private async writeStatus(set: StatefulSet, status: Status, signal: AbortSignal): Promise<void> {
    completeRollingUpdate(set, status);
    const old = (set.status ?? {}) as Status;
    const next: Status = { ...old, ...status };
    if ((old.observedGeneration ?? 0) >= (status.observedGeneration ?? 0) && deepEqual(old, next)) return;
    let target: StatefulSet = set;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.setsClient.update({ ...target, status: { ...(target.status ?? {}), ...status } }, { subresource: 'status', signal });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e) || attempt > 0) throw e;
        target = await this.setsClient.get(set.metadata?.name ?? '', { namespace: set.metadata?.namespace ?? '', signal });
      }
    }
  }
}

/** Options of `newStatefulSetController`. */
export interface StatefulSetControllerOptions {
  client: ApiClient;
  recorder: EventRecorder;
  clock?: Clock;
  logger?: Logger;
  workers?: number;
}

/** Builds the controller: sets enqueue themselves; pods, revisions and claims enqueue their set (orphan pods: every set whose selector matches). */
export function newStatefulSetController(factory: SharedInformerFactory, opts: StatefulSetControllerOptions): Controller {
  const sets = factory.informerFor<StatefulSet>(statefulSetsRef);
  const pods = factory.informerFor<Pod>(podsRef);
  const revisions = factory.informerFor<ControllerRevision>(controllerRevisionsRef);
  const claims = factory.informerFor<PersistentVolumeClaim>(claimsRef);
  const reconciler = new StatefulSetReconciler({
    client: opts.client,
    sets: sets.store,
    pods: pods.store,
    revisions: revisions.store,
    claims: claims.store,
    recorder: opts.recorder,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const c = new Controller({ name: 'statefulset', reconciler, workers: opts.workers ?? 5, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  const ownerOrMatching = ownerOrSelecting('StatefulSet', sets.store);
  c.watch(sets);
  c.watch(pods, ownerOrMatching);
  c.watch(revisions, ownerOrMatching);
  c.watch(claims, (pvc) => (pvc.metadata?.ownerReferences ?? []).filter((r) => r.kind === 'StatefulSet').map((r) => makeKey(pvc.metadata?.namespace, r.name)));
  return c;
}

