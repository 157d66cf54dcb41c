// The StatefulSet control loop (one pass): revisions, then pods in ordinal order (OrderedReady: one at a time,
// each Running and Ready before the next; Parallel: all at once), scale down from the highest ordinal, claims'
// owner references, then the rolling update from the highest ordinal down to the partition.
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Clock } from '../../util/index.js';
import {
  ControllerHistory,
  isPodAvailable,
  isPodReady,
  isTerminating,
  msUntilAvailable,
  nextRevision,
  RevisionCollisionError,
  sortControllerRevisions,
  equalRevision,
  newControllerRevision,
  type ControllerRevision,
  type Pod,
} from '../history/index.js';
import { StatefulPodControl } from './stateful-pod-control.js';
import {
  applyRevision,
  endOrdinal,
  identityMatches,
  newStatefulSetPod,
  podInOrdinalRange,
  podOrdinal,
  podRevision,
  revisionData,
  setPodRevision,
  startOrdinal,
  statefulSetKind,
  storageMatches,
  type StatefulSet,
} from './stateful-set-utils.js';

/** A writable StatefulSet status. */
export type Status = { -readonly [K in keyof StatefulSetStatus]: StatefulSetStatus[K] } & { replicas: number };

/** What one pass computed: the status to record, and when to look again (a pod waiting out minReadySeconds). */
export interface SyncOutcome {
  status: Status;
  current: ControllerRevision;
  update: ControllerRevision;
  requeueAfterMs?: number;
}

const isCreated = (p: Pod) => Boolean(p.status?.phase);
const isFailed = (p: Pod) => p.status?.phase === 'Failed';
const isSucceeded = (p: Pod) => p.status?.phase === 'Succeeded';
const isRunningAndReady = (p: Pod) => p.status?.phase === 'Running' && isPodReady(p);

/** Computes replicas, ready, available, current and updated counts of pods. */
export function replicaCounts(pods: readonly Pod[], minReadySeconds: number, nowMs: number, current: string, update: string): Pick<Status, 'replicas' | 'readyReplicas' | 'availableReplicas' | 'currentReplicas' | 'updatedReplicas'> {
  const s = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const p of pods) {
    if (isCreated(p)) s.replicas++;
    if (isRunningAndReady(p)) {
      s.readyReplicas++;
      if (isPodAvailable(p, minReadySeconds, nowMs)) s.availableReplicas++;
    }
    if (isCreated(p) && !isTerminating(p)) {
      const r = podRevision(p);
      if (r === current) s.currentReplicas++;
      if (r === update) s.updatedReplicas++;
    }
  }
  return s;
}

/** Runs `fn` over `n` items in growing batches (1, 2, 4, ...) until one fails, as Kubernetes' slowStartBatch. */
async function slowStartBatch(n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let done = 0;
  for (let size = Math.min(1, n); size > 0; size = Math.min(2 * size, n - done, 500)) {
    const results = await Promise.allSettled(Array.from({ length: size }, (_, k) => fn(done + k)));
    done += size;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/** One StatefulSet pass; the controller calls `sync` with the set, its pods and its revisions. */
export class StatefulSetControl {
  constructor(
    private readonly pods: StatefulPodControl,
    private readonly history: ControllerHistory,
    private readonly clock: Clock,
  ) {}

  /** The current and update revisions (creating or renumbering the update revision) and the collision count. */
  async revisions(set: StatefulSet, revisions: ControllerRevision[], signal: AbortSignal): Promise<{ current: ControllerRevision; update: ControllerRevision; collisionCount: number }> {
    sortControllerRevisions(revisions);
    let collisionCount = set.status?.collisionCount ?? 0;
    const next = nextRevision(revisions);
    const opts = { ...statefulSetKind, templateLabels: set.spec?.template?.metadata?.labels, data: revisionData(set), revision: next, ...(set.metadata?.annotations ? { annotations: set.metadata.annotations } : {}) };
    const candidate = newControllerRevision(set, { ...opts, collisionCount });
    const equal = revisions.filter((r) => equalRevision(r, candidate));
    const last = revisions[revisions.length - 1];
    let update: ControllerRevision;
    if (equal.length > 0 && last && equalRevision(last, candidate)) update = last;
    else if (equal.length > 0) update = await this.history.updateRevision(equal[equal.length - 1]!, next, signal);
    else {
      for (;;) {
        try {
          update = await this.history.create(set, { ...opts, collisionCount }, signal);
          break;
        } catch (e) {
          if (!(e instanceof RevisionCollisionError)) throw e;
          collisionCount++;
        }
      }
    }
    const current = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  /** One pass: makes pods and claims converge one step and returns the status to record. */
  async sync(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], signal: AbortSignal): Promise<SyncOutcome> {
    const { current, update, collisionCount } = await this.revisions(set, revisions, signal);
    const now = this.clock.now();
    const minReady = set.spec?.minReadySeconds ?? 0;
    const currentSet = applyRevision(set, current);
    const updateSet = applyRevision(set, update);
    const status: Status = {
      observedGeneration: set.metadata?.generation ?? 0,
      currentRevision: current.metadata?.name ?? '',
      updateRevision: update.metadata?.name ?? '',
      collisionCount,
      replicas: 0,
    };
    const recount = (...lists: Pod[][]) => Object.assign(status, replicaCounts(lists.flat(), minReady, now, status.currentRevision ?? '', status.updateRevision ?? ''));
    recount(pods);
    const outcome: SyncOutcome = { status, current, update };
    const waitAvailable = (list: Pod[]) => {
      for (const p of list) {
        const ms = msUntilAvailable(p, minReady, now);
        if (ms !== undefined) outcome.requeueAfterMs = Math.min(outcome.requeueAfterMs ?? ms, ms);
      }
    };

    const start = startOrdinal(set);
    const end = endOrdinal(set);
    const replicas: Pod[] = [];
    const condemned: Pod[] = [];
    for (const p of pods) {
      if (podInOrdinalRange(p, set)) replicas[podOrdinal(p) - start] = p;
      else if (podOrdinal(p) >= 0) condemned.push(p);
    }
    const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    for (let ord = start; ord <= end; ord++) {
      if (replicas[ord - start]) continue;
      // Ordinals below the partition are made at the current revision; the others at the update revision.
      const atCurrent = rolling && ord < start + partition;
      const pod = newStatefulSetPod(atCurrent ? currentSet : updateSet, ord);
      setPodRevision(pod, (atCurrent ? current : update).metadata?.name ?? '');
      replicas[ord - start] = pod;
    }
    condemned.sort((a, b) => podOrdinal(b) - podOrdinal(a));
    const unavailable = (p: Pod) => !isRunningAndReady(p) || isTerminating(p) || !isPodAvailable(p, minReady, now);
    let firstUnavailable: Pod | undefined = replicas.find(unavailable);
    for (let i = condemned.length - 1; i >= 0 && !firstUnavailable; i--) if (unavailable(condemned[i]!)) firstUnavailable = condemned[i];
    waitAvailable(pods);
    if (set.metadata?.deletionTimestamp) return outcome;

    const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
    const runForAll = async (list: Pod[], fn: (i: number) => Promise<boolean>): Promise<boolean> => {
      if (monotonic) {
        for (let i = 0; i < list.length; i++) if (await fn(i)) return true;
        return false;
      }
      await slowStartBatch(list.length, fn);
      return false;
    };
    const stop = () => {
      recount(replicas, condemned);
      return outcome;
    };

    const processReplica = async (i: number): Promise<boolean> => {
      const pod = replicas[i]!;
      if (isFailed(pod) || isSucceeded(pod)) {
        // A finished pod is replaced: delete it now, make the new one once it is gone.
        if (!isTerminating(pod)) await this.pods.deletePod(set, pod, signal);
        return true;
      }
      if (!isCreated(pod)) {
        if (this.pods.claimIsStale(set, pod)) return true;
        const created = await this.pods.createPod(set, pod, signal);
        if (monotonic || !created) return true;
        return false;
      }
      if (pod.status?.phase === 'Pending') await this.pods.createMissingClaims(set, pod, signal);
      if (isTerminating(pod) && monotonic) return true;
      if (!isRunningAndReady(pod) && monotonic) return true;
      if (!isPodAvailable(pod, minReady, now) && monotonic) return true;
      if (identityMatches(set, pod) && storageMatches(set, pod) && this.pods.claimsMatchRetentionPolicy(updateSet, pod)) return false;
      await this.pods.updatePod(updateSet, pod, signal);
      return false;
    };
    if (await runForAll(replicas, processReplica)) return stop();

    const fixClaims = async (i: number): Promise<boolean> => {
      const pod = condemned[i]!;
      if (!this.pods.claimsMatchRetentionPolicy(updateSet, pod)) await this.pods.updateClaimsForRetention(updateSet, pod, signal);
      return false;
    };
    if (await runForAll(condemned, fixClaims)) return stop();

    const processCondemned = async (i: number): Promise<boolean> => {
      const pod = condemned[i]!;
      if (isTerminating(pod)) return monotonic;
      if (monotonic && pod !== firstUnavailable && (!isRunningAndReady(pod) || !isPodAvailable(pod, minReady, now))) return true;
      await this.pods.deletePod(set, pod, signal);
      return true;
    };
    if (await runForAll(condemned, processCondemned)) return stop();
    recount(replicas, condemned);

    if (!rolling) return outcome;
    const replicaCount = set.spec?.replicas ?? 1;
    const maxUnavailable = resolveMaxUnavailable(set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, replicaCount);
    const unavailablePods = replicas.filter(unavailable).length;
    if (unavailablePods > maxUnavailable) return outcome;
    // Delete (maxUnavailable - unavailable) outdated pods, highest ordinal first, down to the partition.
    let deleted = 0;
    for (let target = replicas.length - 1; target >= partition && deleted < maxUnavailable - unavailablePods; target--) {
      const pod = replicas[target]!;
      if (podRevision(pod) === update.metadata?.name || isTerminating(pod)) continue;
      await this.pods.deletePod(set, pod, signal);
      deleted++;
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
    }
    return outcome;
  }
}

/** maxUnavailable of a rolling update resolved against the replica count (percentages round down), at least 1. */
export function resolveMaxUnavailable(v: number | string | undefined, replicas: number): number {
  if (v === undefined) return 1;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (v.endsWith('%')) n = Math.floor((Number(v.slice(0, -1)) * replicas) / 100);
  else n = Number(v);
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

/** Marks a rolling update complete: every replica updated and ready, so the update revision becomes current. */
export function completeRollingUpdate(set: StatefulSet, status: Status): void {
  const replicas = set.spec?.replicas ?? 1;
  if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && status.updatedReplicas === replicas && status.readyReplicas === replicas && status.replicas === replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision ?? '';
  }
}
