// The ReplicaSet controller (and the ReplicationController controller, the same logic over another kind): keeps
// the number of pods a set asks for, claims pods by selector, and reports their counts in the set's status.
import type { KubeObject } from '../../api/index.js';
import { isForbidden, isNotFound, type ApiClient, type ResourceClient, type ResourceRef } from '../../client/index.js';
import { labelSelectorFromObject, matchesLabels, selectorFromSet, type LabelSelector } from '../../machinery/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import {
  Controller,
  keyOf,
  makeKey,
  objectOfDelete,
  type EventRecorder,
  type Lister,
  type Reconciler,
  type ReconcileResult,
  type SharedInformer,
  type SharedInformerFactory,
} from '../runtime/index.js';
import { claimObjects, recheckOwner } from './controller-ref-manager.js';
import { ControllerExpectations } from './expectations.js';
import {
  availableAt,
  controllerRefOf,
  controllerUidIndex,
  indexByControllerUid,
  isPodActive,
  newControllerRef,
  orphanIndexValue,
  podFromTemplate,
  podsToDelete,
  type Pod,
} from './pod-utils.js';
import { calculateStatus, statusUnchanged, type Replicated } from './replica-set-status.js';

/** The pods resource. */
export const podsResource: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };

/** What differs between the ReplicaSet and the ReplicationController controllers. */
export interface ReplicatedKind {
  kind: string;
  apiVersion: string;
  resource: ResourceRef;
  /** The controller's name (work queue, logs) and its events' component. */
  name: string;
  component: string;
  /** The set's selector; a string is why it is invalid. */
  selectorOf(obj: Replicated): LabelSelector | string;
}

/** apps/v1 ReplicaSets. */
export const replicaSetKind: ReplicatedKind = {
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  resource: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true },
  name: 'replicaset',
  component: 'replicaset-controller',
  selectorOf(rs) {
    try {
      return labelSelectorFromObject(rs.spec?.selector as Parameters<typeof labelSelectorFromObject>[0]);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  },
};

/** v1 ReplicationControllers: a plain label map as selector. */
export const replicationControllerKind: ReplicatedKind = {
  kind: 'ReplicationController',
  apiVersion: 'v1',
  resource: { group: '', version: 'v1', plural: 'replicationcontrollers', namespaced: true },
  name: 'replicationcontroller',
  component: 'replication-controller',
  selectorOf: (rc) => selectorFromSet((rc.spec?.selector as Record<string, string> | undefined) ?? {}),
};

/** At most this many pods are created or deleted in one sync (Kubernetes' BurstReplicas). */
export const burstReplicas = 500;

/** How a ReplicaSet reconciler is built. */
export interface ReplicaSetReconcilerOptions {
  client: ApiClient;
  kind?: ReplicatedKind;
  sets: Lister<Replicated>;
  /** The pod store; it must have the `controllerUidIndex` index. */
  pods: Lister<Pod>;
  recorder?: EventRecorder;
  clock?: Clock;
  logger?: Logger;
  expectations?: ControllerExpectations;
}

/** Reconciles one set (key `namespace/name`): claim pods, create or delete the difference, write the status. */
export class ReplicaSetReconciler implements Reconciler {
  readonly expectations: ControllerExpectations;
  private readonly kind: ReplicatedKind;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly setsClient: ResourceClient<Replicated>;
  private readonly podsClient: ResourceClient<Pod>;

  constructor(private readonly o: ReplicaSetReconcilerOptions) {
    this.kind = o.kind ?? replicaSetKind;
    this.clock = o.clock ?? systemClock;
    this.log = (o.logger ?? silentLogger).with({ controller: this.kind.name });
    this.expectations = o.expectations ?? new ControllerExpectations(this.clock);
    this.setsClient = o.client.resource<Replicated>(this.kind.resource);
    this.podsClient = o.client.resource<Pod>(podsResource);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const rs = this.o.sets.get(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const selector = this.kind.selectorOf(rs);
    if (typeof selector === 'string') {
      this.log.error('invalid selector', { key, error: selector });
      return;
    }
    const ns = rs.metadata?.namespace ?? '';
    const candidates = [...this.o.pods.byIndex(controllerUidIndex, rs.metadata?.uid ?? ''), ...this.o.pods.byIndex(controllerUidIndex, orphanIndexValue(ns))].filter(isPodActive);
    const pods = await claimObjects({
      owner: rs,
      ownerRef: newControllerRef(rs, this.kind.apiVersion, this.kind.kind),
      selector,
      candidates,
      client: this.podsClient,
      canAdopt: recheckOwner(this.kind.kind, rs, () => this.setsClient.get(rs.metadata?.name ?? '', { namespace: ns, signal })),
      signal,
    });
    let manageError: Error | undefined;
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(key, rs, pods, signal);
      } catch (e) {
        manageError = e instanceof Error ? e : new Error(String(e));
      }
    }
    const now = this.clock.now();
    const status = calculateStatus(rs, pods, manageError, now);
    const updated = await this.updateStatus(rs, status, signal);
    if (manageError) throw manageError;
    // Pods that are ready but not yet available count once minReadySeconds have passed: look again then.
    const minReady = updated.spec?.minReadySeconds ?? 0;
    if (minReady === 0) return;
    let next = Infinity;
    for (const p of pods) {
      const at = availableAt(p, minReady);
      if (at !== undefined && at >= now) next = Math.min(next, at);
    }
    // Timestamps have whole seconds and availability needs the time strictly passed: a second more.
    return Number.isFinite(next) ? { requeueAfterMs: next - now + 1000 } : undefined;
  }

  /** Creates or deletes pods so that `pods.length` moves to spec.replicas (at most `burstReplicas` at once). */
  private async manageReplicas(key: string, rs: Replicated, pods: Pod[], signal: AbortSignal): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    let diff = pods.length - want;
    if (diff < 0) {
      const n = Math.min(-diff, burstReplicas);
      // Expect every create before the first is sent: the informer may see a new pod before its create returns.
      this.expectations.expectCreations(key, n);
      const created = await this.slowStartBatch(n, () => this.createPod(rs, signal));
      if (created.error) {
        // Creates that were skipped will never be observed.
        for (let i = created.done; i < n; i++) this.expectations.creationObserved(key);
        throw created.error;
      }
      return;
    }
    if (diff === 0) return;
    diff = Math.min(diff, burstReplicas);
    const victims = podsToDelete(pods, this.relatedPods(rs), diff, this.clock.now());
    this.expectations.expectDeletions(key, victims.map((p) => keyOf(p)));
    const errors: Error[] = [];
    await Promise.all(
      victims.map(async (pod) => {
        try {
          await this.podsClient.delete(pod.metadata?.name ?? '', { namespace: pod.metadata?.namespace ?? '', signal });
          this.o.recorder?.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name ?? ''}`);
        } catch (e) {
          // The informer will not see this deletion.
          this.expectations.deletionObserved(key, keyOf(pod));
          if (isNotFound(e)) return;
          const msg = e instanceof Error ? e.message : String(e);
          this.o.recorder?.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${msg}`);
          errors.push(new Error(`unable to delete pods: ${msg}`));
        }
      }),
    );
    if (errors[0]) throw errors[0];
  }

  /** Runs `fn` count times in batches of 1, 2, 4, ...; stops after the first batch with a failure. */
  private async slowStartBatch(count: number, fn: () => Promise<void>): Promise<{ done: number; error?: Error }> {
    let remaining = count;
    let done = 0;
    for (let batch = Math.min(remaining, 1); batch > 0; batch = Math.min(2 * batch, remaining)) {
      const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      done += batch - failed.length;
      if (failed[0]) {
        const reason: unknown = failed[0].reason;
        return { done, error: reason instanceof Error ? reason : new Error(String(reason)) };
      }
      remaining -= batch;
    }
    return { done };
  }

  private async createPod(rs: Replicated, signal: AbortSignal): Promise<void> {
    const pod = podFromTemplate(rs.spec?.template, rs, newControllerRef(rs, this.kind.apiVersion, this.kind.kind));
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    try {
      const created = await this.podsClient.create(pod, { namespace: rs.metadata?.namespace ?? '', signal });
      this.o.recorder?.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      // A namespace being deleted refuses new pods: not worth an event, and not a failure of the set.
      if (isForbidden(e) && namespaceTerminating(e)) return;
      this.o.recorder?.event(rs, 'Warning', 'FailedCreate', `Error creating: ${msg}`);
      throw e;
    }
  }

  /** Pods of every set with the same managing owner (a Deployment's ReplicaSets), for ranking by node. */
  private relatedPods(rs: Replicated): Pod[] {
    const ref = controllerRefOf(rs);
    if (!ref) return [];
    const ns = rs.metadata?.namespace ?? '';
    const seen = new Set<string>();
    const out: Pod[] = [];
    const siblings = this.o.sets.listInNamespace(ns).filter((s) => controllerRefOf(s)?.uid === ref.uid);
    const inNamespace = siblings.length > 0 ? this.o.pods.listInNamespace(ns) : [];
    for (const s of siblings) {
      const sel = this.kind.selectorOf(s);
      if (typeof sel === 'string') continue;
      for (const p of inNamespace) {
        const uid = p.metadata?.uid ?? '';
        if (seen.has(uid) || !matchesLabels(sel, p.metadata?.labels)) continue;
        seen.add(uid);
        out.push(p);
      }
    }
    return out;
  }

  /** Writes the status when it changed (retrying once on a fresh copy); returns the set as last written or read. */
  private async updateStatus(rs: Replicated, status: NonNullable<Replicated['status']>, signal: AbortSignal): Promise<Replicated> {
    if (statusUnchanged(rs, status)) return rs;
    const next = { ...status, observedGeneration: rs.metadata?.generation ?? 0 };
    let current = rs;
    for (let i = 0; ; i++) {
      try {
        return await this.setsClient.update({ ...current, status: next }, { subresource: 'status', signal });
      } catch (e) {
        if (isNotFound(e) || i >= 1) throw e;
        current = await this.setsClient.get(rs.metadata?.name ?? '', { namespace: rs.metadata?.namespace ?? '', signal });
      }
    }
  }
}

function namespaceTerminating(e: unknown): boolean {
  const causes = (e as { status?: { details?: { causes?: { reason?: string }[] } } }).status?.details?.causes ?? [];
  return causes.some((c) => c.reason === 'NamespaceTerminating');
}

/** How the controller is built. */
export interface ReplicaSetControllerOptions {
  client: ApiClient;
  recorder?: EventRecorder;
  clock?: Clock;
  logger?: Logger;
  /** Parallel workers (default 5, as kube-controller-manager's --concurrent-replicaset-syncs). */
  workers?: number;
}

/** The controller and its reconciler (tests reach the expectations through it). */
export interface ReplicaSetControllerParts {
  controller: Controller;
  reconciler: ReplicaSetReconciler;
}

/** Builds the ReplicaSet controller. */
export function newReplicaSetController(factory: SharedInformerFactory, opts: ReplicaSetControllerOptions): Controller {
  return buildReplicatedController(factory, replicaSetKind, opts).controller;
}

/** Builds the ReplicationController controller. */
export function newReplicationControllerController(factory: SharedInformerFactory, opts: ReplicaSetControllerOptions): Controller {
  return buildReplicatedController(factory, replicationControllerKind, opts).controller;
}

/** Builds a controller of ReplicaSets or ReplicationControllers: sets enqueue themselves, pods their set. */
export function buildReplicatedController(factory: SharedInformerFactory, kind: ReplicatedKind, opts: ReplicaSetControllerOptions): ReplicaSetControllerParts {
  const setsInformer = factory.informerFor<Replicated>(kind.resource, { indexers: { [controllerUidIndex]: indexByControllerUid } });
  const podsInformer = factory.informerFor<Pod>(podsResource, { indexers: { [controllerUidIndex]: indexByControllerUid } });
  const reconciler = new ReplicaSetReconciler({
    client: opts.client,
    kind,
    sets: setsInformer.store,
    pods: podsInformer.store,
    ...(opts.recorder ? { recorder: opts.recorder } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  const controller = new Controller({
    name: kind.name,
    reconciler,
    workers: opts.workers ?? 5,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  controller.watch(setsInformer);
  controller.watch(podsInformer, (pod) => setsOfPod(kind, setsInformer, pod));
  observeExpectations(kind, podsInformer, reconciler.expectations);
  return { controller, reconciler };
}

/** The sets a pod event concerns: its managing set, or for an orphan every set whose selector matches it. */
function setsOfPod(kind: ReplicatedKind, sets: SharedInformer<Replicated>, pod: Pod): string[] {
  const ref = controllerRefOf(pod);
  const ns = pod.metadata?.namespace ?? '';
  if (ref) return ref.kind === kind.kind ? [makeKey(ns, ref.name)] : [];
  if (pod.metadata?.deletionTimestamp) return [];
  const keys: string[] = [];
  for (const rs of sets.store.listInNamespace(ns)) {
    const sel = kind.selectorOf(rs);
    if (typeof sel !== 'string' && matchesLabels(sel, pod.metadata?.labels)) keys.push(keyOf(rs));
  }
  return keys;
}

/** Lowers the expectations of a pod's set as the informer sees the pod appear or go. */
function observeExpectations(kind: ReplicatedKind, pods: SharedInformer<Pod>, exp: ControllerExpectations): void {
  const ownerKey = (pod: Pod): string | undefined => {
    const ref = controllerRefOf(pod);
    return ref && ref.kind === kind.kind ? makeKey(pod.metadata?.namespace, ref.name) : undefined;
  };
  const deleted = (pod: Pod) => {
    const key = ownerKey(pod);
    if (key) exp.deletionObserved(key, keyOf(pod));
  };
  pods.addEventHandler({
    onAdd(pod) {
      // A pod already being deleted when first seen (after a restart) counts as a deletion.
      if (pod.metadata?.deletionTimestamp) return deleted(pod);
      const key = ownerKey(pod);
      if (key) exp.creationObserved(key);
    },
    onUpdate(oldPod, pod) {
      if (pod.metadata?.deletionTimestamp) {
        deleted(pod);
        if (ownerKey(oldPod) !== ownerKey(pod)) deleted(oldPod);
      }
    },
    onDelete(obj) {
      deleted(objectOfDelete(obj));
    },
  });
}
