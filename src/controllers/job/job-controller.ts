// The Job controller (pkg/controller/job): runs a Job's pods to completion. Pods carry the job-tracking finalizer
// until they are counted through status.uncountedTerminatedPods; the Job fails on backoffLimit, activeDeadlineSeconds,
// a FailJob rule of its pod failure policy or failed indexes, and completes on completions or its success policy,
// each first written as the interim FailureTarget / SuccessCriteriaMet condition.
import { isNotFound, type ApiClient, type ResourceClient } from '../../client/index.js';
import { labelSelectorFromObject, labelSelectorToString, matchesLabels } from '../../machinery/index.js';
import { rfc3339 as rfc, silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import { Controller, enqueueOwner, splitKey, type EventRecorder, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';
import { BackoffStore, remainingBackoffMs, type BackoffRecord } from './backoff.js';
import { ensureCondition, jobMessages, jobReasons, newCondition, trueCondition } from './conditions.js';
import type { IndexSet } from './indexes.js';
import { failedIndexes, firstPendingIndexes, matchSuccessPolicy, newIndexFailureCounts, podsWithDelayedDeletion, remainingIndexBackoffMs, succeededIndexes } from './indexed.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { podFromTemplate, PodControl, type PodSlot } from './pod-control.js';
import { activePodsForRemoval, pastBackoffLimitOnFailure } from './pod-order.js';
import {
  completionIndexOf,
  hasBackoffLimitPerIndex,
  hasTrackingFinalizer,
  isActive,
  isIndexedJob,
  isJobFinished,
  isPodFailed,
  isReady,
  isTerminating,
  onlyReplaceFailedPods,
  resources,
  type Job,
  type JobCondition,
  type Pod,
} from './types.js';

/** The longest wait asked of the queue: Node timers cannot wait past 2^31-1 ms, so long deadlines are looked at again daily. */
export const maxRequeueMs = 24 * 3_600_000;
/** The spec.managedBy value of Jobs this controller runs (the default). */
export const jobControllerName = 'kubernetes.io/job-controller';
/** At most this many pod UIDs wait in status.uncountedTerminatedPods (keeps the status small). */
export const maxUncountedPods = 500;
/** At most this many pods are created or deleted in one sync. */
export const maxPodCreateDeletePerSync = 500;

/** What one sync knows about a Job. */
interface SyncCtx {
  key: string;
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  ready: number;
  terminating: number;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  succeeded: number;
  newBackoff: BackoffRecord;
  finished?: JobCondition | undefined;
  prevSucceededIndexes?: IndexSet;
  succeededIndexes?: IndexSet;
  failedIndexes?: IndexSet | undefined;
  delayed: Map<number, Pod>;
  requeueMs?: number;
}

/** How the Job reconciler is built. */
export interface JobReconcilerOptions {
  client: ApiClient;
  recorder: EventRecorder;
  clock?: Clock;
  logger?: Logger;
}

/** Syncs one Job (key `namespace/name`). */
export class JobReconciler implements Reconciler {
  private readonly jobs: ResourceClient<Job>;
  private readonly podControl: PodControl;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly backoff = new BackoffStore();

  constructor(private readonly opts: JobReconcilerOptions) {
    this.jobs = opts.client.resource<Job>(resources.jobs);
    this.podControl = new PodControl(opts.client, opts.recorder);
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? silentLogger;
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    let job: Job;
    try {
      job = await this.jobs.get(name, { namespace, signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.backoff.remove(key);
      await this.releaseOrphans(namespace, (p) => ownerName(p) === name, signal);
      return;
    }
    // Jobs that name another controller in spec.managedBy are that controller's business.
    const managedBy = job.spec?.managedBy;
    if (managedBy != null && managedBy !== jobControllerName) return;
    const uid = job.metadata?.uid;
    if (isJobFinished(job)) {
      this.backoff.remove(key);
      // Pods still carrying the finalizer (counted before a crash, or orphaned): only those the selector finds.
      const sel = labelSelectorFromObject(job.spec?.selector);
      if (!sel.nothing) await this.releaseOrphans(namespace, (p) => ownerUid(p) === uid, signal, labelSelectorToString(sel));
      return;
    }
    const mode = job.spec?.completionMode;
    if (mode && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.opts.recorder.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const ctx = await this.newCtx(key, job, signal);
    return this.sync(ctx, signal);
  }

  private async newCtx(key: string, job: Job, signal: AbortSignal): Promise<SyncCtx> {
    const pods = await this.podsOf(job, signal);
    const activePods = pods.filter(isActive);
    const st = (job.status ??= {});
    const uncounted = (st.uncountedTerminatedPods ??= {});
    return {
      key,
      job,
      pods,
      activePods,
      ready: activePods.filter(isReady).length,
      terminating: pods.filter(isTerminating).length,
      uncountedSucceeded: new Set(uncounted.succeeded ?? []),
      uncountedFailed: new Set(uncounted.failed ?? []),
      succeeded: 0,
      newBackoff: { failuresAfterLastSuccess: 0 },
      delayed: new Map(),
    };
  }

  /** The Job's pods: those it controls, plus orphans matching its selector, adopted. */
  private async podsOf(job: Job, signal: AbortSignal): Promise<Pod[]> {
    const sel = labelSelectorFromObject(job.spec?.selector);
    if (sel.nothing) return [];
    const namespace = job.metadata?.namespace ?? '';
    const { items } = await this.podControl.pods.list({ namespace, labelSelector: labelSelectorToString(sel), signal });
    const uid = job.metadata?.uid;
    const out: Pod[] = [];
    for (const p of items) {
      const ref = (p.metadata?.ownerReferences ?? []).find((r) => r.controller);
      if (ref) {
        if (ref.uid === uid) out.push(p);
        continue;
      }
      // An orphan: adopt it unless the Job or the pod is going away.
      if (job.metadata?.deletionTimestamp || p.metadata?.deletionTimestamp || !matchesLabels(sel, p.metadata?.labels)) continue;
      try {
        out.push(await this.podControl.adopt(job, p, signal));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return out;
  }

  /** Drops the tracking finalizer of pods whose Job is gone or finished. */
  private async releaseOrphans(namespace: string, owned: (p: Pod) => boolean, signal: AbortSignal, labelSelector?: string): Promise<void> {
    const { items } = await this.podControl.pods.list({ namespace, signal, ...(labelSelector ? { labelSelector } : {}) });
    for (const p of items) if (hasTrackingFinalizer(p) && owned(p)) await this.podControl.removeFinalizer(p, signal);
  }

  private async sync(ctx: SyncCtx, signal: AbortSignal): Promise<ReconcileResult> {
    const job = ctx.job;
    const spec = job.spec ?? { template: {} };
    const st = job.status!;
    const now = this.clock.now();
    let active = ctx.activePods.length;
    const { newSucceeded, newFailed } = newFinishedPods(ctx);
    ctx.succeeded = (st.succeeded ?? 0) + newSucceeded.length + ctx.uncountedSucceeded.size;
    const nonIgnoredFailed = newFailed.filter((p) => matchPodFailurePolicy(spec.podFailurePolicy, p).countFailed).length;
    const failed = (st.failed ?? 0) + nonIgnoredFailed + ctx.uncountedFailed.size;
    const suspended = !!spec.suspend;
    if (!st.startTime && !suspended) st.startTime = rfc(now);
    ctx.newBackoff = this.backoff.next(ctx.key, newSucceeded, newFailed);

    const failure = (reason: string, message: string) => newCondition('FailureTarget', 'True', reason, message, now);
    ctx.finished = trueCondition(job, 'SuccessCriteriaMet');
    if (!ctx.finished) {
      const target = trueCondition(job, 'FailureTarget');
      if (target) ctx.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      else {
        const msg = failJobMessage(job, ctx.pods);
        if (msg !== undefined) ctx.finished = failure(jobReasons.podFailurePolicy, msg);
      }
    }
    if (!ctx.finished) {
      if (failed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, ctx.pods)) ctx.finished = failure(jobReasons.backoffLimitExceeded, jobMessages.backoffLimitExceeded);
      else if (this.pastActiveDeadline(job)) ctx.finished = failure(jobReasons.deadlineExceeded, jobMessages.deadlineExceeded);
      else if (spec.activeDeadlineSeconds != null && !suspended && st.startTime) {
        ctx.requeueMs = Math.max(0, spec.activeDeadlineSeconds * 1000 - (now - Date.parse(st.startTime)));
      }
    }
    if (isIndexedJob(job)) {
      const { prev, all } = succeededIndexes(job, ctx.pods);
      ctx.prevSucceededIndexes = prev;
      ctx.succeededIndexes = all;
      ctx.succeeded = all.total();
      if (hasBackoffLimitPerIndex(job)) {
        const fi = failedIndexes(job, ctx.pods);
        ctx.failedIndexes = fi;
        if (!ctx.finished) {
          if (spec.maxFailedIndexes != null && fi.total() > spec.maxFailedIndexes) ctx.finished = failure(jobReasons.maxFailedIndexesExceeded, jobMessages.maxFailedIndexesExceeded);
          else if (fi.total() > 0 && fi.total() + all.total() >= (spec.completions ?? 0)) ctx.finished = failure(jobReasons.failedIndexes, jobMessages.failedIndexes);
        }
        ctx.delayed = podsWithDelayedDeletion({ job, pods: ctx.pods, activePods: ctx.activePods, succeeded: all, failed: fi, uncountedFailed: ctx.uncountedFailed });
      }
      if (!ctx.finished) {
        const msg = matchSuccessPolicy(spec.successPolicy, spec.completions ?? 0, all);
        if (msg !== undefined) ctx.finished = newCondition('SuccessCriteriaMet', 'True', jobReasons.successPolicy, msg, now);
      }
    }

    let manageErr: unknown;
    let suspendChanged = false;
    if (ctx.finished) {
      // Finished: stop what still runs (finalizers stay until the pods are counted below).
      const { deleted, deletedReady, error } = await this.deletePods(job, ctx.activePods, false, signal);
      if (deleted !== active) ctx.finished = undefined;
      active -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageErr = error;
    } else {
      let managed = false;
      if (!job.metadata?.deletionTimestamp) {
        try {
          active = await this.manageJob(ctx, signal);
        } catch (e) {
          manageErr = e;
          active = ctx.activePods.length;
        }
        managed = true;
      }
      const complete = spec.completions == null ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= spec.completions && active === 0;
      if (complete) ctx.finished = newCondition('SuccessCriteriaMet', 'True', jobReasons.completionsReached, jobMessages.completionsReached, now);
      else if (managed) {
        if (suspended) {
          suspendChanged = ensureCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
          if (suspendChanged) this.opts.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
        } else {
          suspendChanged = ensureCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
          if (suspendChanged) {
            this.opts.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
            // activeDeadlineSeconds counts continuous activity: resuming starts the clock again.
            st.startTime = rfc(now);
          }
        }
      }
    }
    const needsUpdate = suspendChanged || active !== (st.active ?? 0) || ctx.ready !== st.ready || ctx.terminating !== st.terminating;
    st.active = active;
    st.ready = ctx.ready;
    st.terminating = ctx.terminating;
    await this.trackStatus(ctx, needsUpdate, signal);
    if (manageErr) throw manageErr;
    return ctx.requeueMs !== undefined ? { requeueAfterMs: Math.min(ctx.requeueMs, maxRequeueMs) } : undefined;
  }

  private pastActiveDeadline(job: Job): boolean {
    const ads = job.spec?.activeDeadlineSeconds;
    if (ads == null || !job.status?.startTime || job.spec?.suspend) return false;
    return this.clock.now() - Date.parse(job.status.startTime) >= ads * 1000;
  }

  private requeue(ctx: SyncCtx, ms: number): void {
    ctx.requeueMs = ctx.requeueMs === undefined ? ms : Math.min(ctx.requeueMs, ms);
  }

  /** Creates or deletes pods towards the wanted number of active pods; returns the new active count. */
  private async manageJob(ctx: SyncCtx, signal: AbortSignal): Promise<number> {
    const job = ctx.job;
    const spec = job.spec!;
    let active = ctx.activePods.length;
    if (spec.suspend) {
      const { deleted, deletedReady, error } = await this.deletePods(job, activePodsForRemoval(job, ctx.activePods, active), true, signal);
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      if (error) throw error;
      return active - deleted;
    }
    const parallelism = spec.parallelism ?? 1;
    let want: number;
    if (spec.completions == null) want = ctx.succeeded > 0 ? active : parallelism;
    else want = Math.max(0, Math.min(spec.completions - ctx.succeeded, parallelism));
    const toDelete = activePodsForRemoval(job, ctx.activePods, Math.max(0, active - want)).slice(0, maxPodCreateDeletePerSync);
    if (toDelete.length > 0) {
      // Deleting takes precedence: a sync either deletes or creates, never both.
      const { deleted, deletedReady, error } = await this.deletePods(job, toDelete, true, signal);
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      if (error) throw error;
      return active - deleted;
    }
    const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
    let diff = want - terminating - active;
    if (diff <= 0) return active;
    const now = this.clock.now();
    if (!hasBackoffLimitPerIndex(job)) {
      const wait = remainingBackoffMs(now, ctx.newBackoff.failuresAfterLastSuccess, ctx.newBackoff.lastFailureTime);
      if (wait > 0) {
        this.requeue(ctx, wait);
        return active;
      }
    }
    diff = Math.min(diff, maxPodCreateDeletePerSync);
    const slots: PodSlot[] = [];
    if (isIndexedJob(job)) {
      let indexes = firstPendingIndexes({ job, pods: ctx.pods, activePods: ctx.activePods, succeeded: ctx.succeededIndexes!, failed: ctx.failedIndexes }, diff);
      if (hasBackoffLimitPerIndex(job)) {
        const ready = indexes.filter((ix) => remainingIndexBackoffMs(now, ctx.delayed.get(ix)) === 0);
        if (ready.length === 0 && indexes.length > 0) {
          this.requeue(ctx, Math.min(...indexes.map((ix) => remainingIndexBackoffMs(now, ctx.delayed.get(ix)))));
          return active;
        }
        indexes = ready;
      }
      for (const ix of indexes) slots.push(hasBackoffLimitPerIndex(job) ? { index: ix, ...newIndexFailureCounts(job, ctx.delayed.get(ix)) } : { index: ix });
    } else for (let i = 0; i < diff; i++) slots.push({});
    // Slow start: batches of 1, 2, 4, ... so a failing create (quota, admission) is not repeated hundreds of times.
    let error: unknown;
    for (let batch = 1, i = 0; i < slots.length && !error; i += batch, batch *= 2) {
      const results = await Promise.allSettled(slots.slice(i, i + batch).map((slot) => this.podControl.create(job, podFromTemplate(job, slot), signal)));
      for (const r of results) {
        if (r.status === 'fulfilled') active++;
        else error ??= r.reason;
      }
    }
    if (error) throw error;
    return active;
  }

  /** Deletes pods (dropping their finalizer first when `dropFinalizer`); counts what was deleted. */
  private async deletePods(job: Job, pods: Pod[], dropFinalizer: boolean, signal: AbortSignal): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    let deleted = 0;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(
      pods.map(async (p) => {
        try {
          if (dropFinalizer) await this.podControl.removeFinalizer(p, signal);
          await this.podControl.delete(job, p, signal);
          deleted++;
          if (isReady(p)) deletedReady++;
        } catch (e) {
          error ??= e;
        }
      }),
    );
    return error === undefined ? { deleted, deletedReady } : { deleted, deletedReady, error };
  }

  /**
   * Counts finished pods: adds them to status.uncountedTerminatedPods, writes that, drops their finalizers, moves
   * them into succeeded/failed, and writes the finishing condition once nothing is left uncounted or terminating.
   */
  private async trackStatus(ctx: SyncCtx, needsFlushIn: boolean, signal: AbortSignal): Promise<void> {
    let needsFlush = needsFlushIn;
    const job = ctx.job;
    const st = job.status!;
    const indexed = isIndexedJob(job);
    const completions = job.spec?.completions ?? 0;
    if (indexed) ctx.pods.sort((a, b) => completionIndexOf(a) - completionIndexOf(b));
    const withFinalizer = new Set<string>();
    for (const p of ctx.pods) if (hasTrackingFinalizer(p)) withFinalizer.add(p.metadata?.uid ?? '');
    if (moveCountedPods(job, withFinalizer)) needsFlush = true;
    const uncounted = st.uncountedTerminatedPods!;
    const toRelease: Pod[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMax = false;
    for (const p of ctx.pods) {
      if (!hasTrackingFinalizer(p)) continue;
      const uid = p.metadata?.uid ?? '';
      const considerFailed = isPodFailed(p, job);
      if (!this.canRemoveFinalizer(ctx, p, considerFailed)) continue;
      toRelease.push(p);
      if (p.status?.phase === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
        if (indexed) {
          const ix = completionIndexOf(p);
          if (ix >= 0 && ix < completions && !ctx.prevSucceededIndexes!.has(ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!ctx.uncountedSucceeded.has(uid)) {
          (uncounted.succeeded ??= []).push(uid);
          needsFlush = true;
        }
      } else if (considerFailed || (ctx.finished && ctx.finished.type !== 'SuccessCriteriaMet')) {
        // Once the Job is failing, every pod not finished counts as failed.
        const ix = completionIndexOf(p);
        if (!ctx.uncountedFailed.has(uid) && (!indexed || (ix >= 0 && ix < completions))) {
          if (matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed) {
            (uncounted.failed ??= []).push(uid);
            needsFlush = true;
          }
        }
      }
      if (newSucceededIndexes.length + (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) >= maxUncountedPods) {
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      ctx.succeededIndexes = ctx.succeededIndexes!.with(newSucceededIndexes);
      const text = ctx.succeededIndexes.toString();
      if (text !== (st.completedIndexes ?? '')) needsFlush = true;
      st.succeeded = ctx.succeededIndexes.total();
      st.completedIndexes = text;
      const failedText = ctx.failedIndexes?.toString();
      if (failedText !== st.failedIndexes) {
        if (failedText === undefined) delete st.failedIndexes;
        else st.failedIndexes = failedText;
        needsFlush = true;
      }
    }
    const now = this.clock.now();
    if (ctx.finished?.type === 'FailureTarget') {
      (st.conditions ??= []).push(ctx.finished);
      needsFlush = true;
      ctx.finished = newCondition('Failed', 'True', ctx.finished.reason ?? '', ctx.finished.message ?? '', now);
    }
    if (ctx.finished?.type === 'SuccessCriteriaMet') {
      if (!trueCondition(job, 'SuccessCriteriaMet')) {
        (st.conditions ??= []).push(ctx.finished);
        needsFlush = true;
      }
      ctx.finished = newCondition('Complete', 'True', ctx.finished.reason ?? '', ctx.finished.message ?? '', now);
    }
    needsFlush = await this.flushAndRelease(ctx, toRelease, withFinalizer, needsFlush, signal);
    const finished = !reachedMax && this.enactFinished(ctx);
    if (!needsFlush && !finished) return;
    ctx.job = await this.updateStatus(ctx.job, signal);
    if (finished && ctx.finished) this.recordFinished(ctx.job, ctx.finished);
  }

  private canRemoveFinalizer(ctx: SyncCtx, pod: Pod, considerFailed: boolean): boolean {
    if (ctx.job.metadata?.deletionTimestamp || ctx.finished || pod.status?.phase === 'Succeeded') return true;
    if (!considerFailed) return false;
    if (hasBackoffLimitPerIndex(ctx.job)) {
      // The last failed pod of an index waits for its replacement, which inherits its failure count.
      const kept = ctx.delayed.get(completionIndexOf(pod));
      if (kept && kept.metadata?.uid === pod.metadata?.uid) return false;
    }
    return true;
  }

  private async flushAndRelease(ctx: SyncCtx, pods: Pod[], withFinalizer: Set<string>, needsFlushIn: boolean, signal: AbortSignal): Promise<boolean> {
    let needsFlush = needsFlushIn;
    if (needsFlush) {
      ctx.job = await this.updateStatus(ctx.job, signal);
      this.backoff.update(ctx.key, ctx.newBackoff);
      needsFlush = false;
    }
    let error: unknown;
    await Promise.all(
      pods.map(async (p) => {
        try {
          if (await this.podControl.removeFinalizer(p, signal)) withFinalizer.delete(p.metadata?.uid ?? '');
        } catch (e) {
          error ??= e;
        }
      }),
    );
    if (moveCountedPods(ctx.job, withFinalizer)) needsFlush = true;
    if (error !== undefined) {
      // Keep the partial progress before retrying.
      if (needsFlush) ctx.job = await this.updateStatus(ctx.job, signal);
      throw error;
    }
    return needsFlush;
  }

  private enactFinished(ctx: SyncCtx): boolean {
    const cond = ctx.finished;
    if (!cond) return false;
    const st = ctx.job.status!;
    const u = st.uncountedTerminatedPods;
    if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
    if (ctx.terminating > 0) return false;
    const now = this.clock.now();
    ensureCondition(ctx.job, cond.type, 'True', cond.reason ?? '', cond.message ?? '', now);
    if (cond.type === 'Complete') st.completionTime = rfc(now);
    return true;
  }

  private recordFinished(job: Job, cond: JobCondition): void {
    if (cond.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions != null && (job.status?.succeeded ?? 0) > completions) this.opts.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      this.opts.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else this.opts.recorder.event(job, 'Warning', cond.reason ?? '', cond.message ?? '');
  }

  private async updateStatus(job: Job, signal: AbortSignal): Promise<Job> {
    const updated = await this.jobs.update(job, { subresource: 'status', signal });
    const st = (updated.status ??= {});
    st.uncountedTerminatedPods ??= {};
    this.log.debug('job status written', { job: job.metadata?.name, active: st.active, succeeded: st.succeeded, failed: st.failed });
    return updated;
  }
}

/** Finished pods not yet counted (still carrying the finalizer, not in the uncounted lists). */
function newFinishedPods(ctx: SyncCtx): { newSucceeded: Pod[]; newFailed: Pod[] } {
  const job = ctx.job;
  const indexed = isIndexedJob(job);
  const completions = job.spec?.completions ?? 0;
  const valid = (p: Pod, uncounted: Set<string>) => {
    if (!hasTrackingFinalizer(p) || uncounted.has(p.metadata?.uid ?? '')) return false;
    const ix = completionIndexOf(p);
    return !indexed || (ix >= 0 && ix < completions);
  };
  return {
    newSucceeded: ctx.pods.filter((p) => valid(p, ctx.uncountedSucceeded) && p.status?.phase === 'Succeeded'),
    newFailed: ctx.pods.filter((p) => valid(p, ctx.uncountedFailed) && isPodFailed(p, job)),
  };
}

/** Moves uncounted pods whose finalizer is gone into status.succeeded / status.failed; true when anything moved. */
function moveCountedPods(job: Job, withFinalizer: Set<string>): boolean {
  const st = job.status!;
  const u = (st.uncountedTerminatedPods ??= {});
  let changed = false;
  const keepS = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepS.length !== (u.succeeded?.length ?? 0)) {
    st.succeeded = (st.succeeded ?? 0) + (u.succeeded!.length - keepS.length);
    changed = true;
  }
  const keepF = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepF.length !== (u.failed?.length ?? 0)) {
    st.failed = (st.failed ?? 0) + (u.failed!.length - keepF.length);
    changed = true;
  }
  if (keepS.length) u.succeeded = keepS;
  else delete u.succeeded;
  if (keepF.length) u.failed = keepF;
  else delete u.failed;
  return changed;
}

/** The message of the first FailJob rule a failed pod matches. */
function failJobMessage(job: Job, pods: Pod[]): string | undefined {
  if (!job.spec?.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p);
    if (m.failJobMessage !== undefined) return m.failJobMessage;
  }
  return undefined;
}

function ownerRef(p: Pod) {
  return (p.metadata?.ownerReferences ?? []).find((r) => r.controller && r.kind === 'Job' && r.apiVersion.startsWith('batch/'));
}
function ownerName(p: Pod): string | undefined {
  return ownerRef(p)?.name;
}
function ownerUid(p: Pod): string | undefined {
  return ownerRef(p)?.uid;
}

/** Builds the Job controller: Jobs enqueue themselves, pods enqueue the Job that controls them. */
export function newJobController(factory: SharedInformerFactory, opts: JobReconcilerOptions & { workers?: number }): Controller {
  const c = new Controller({
    name: 'job',
    reconciler: new JobReconciler(opts),
    workers: opts.workers ?? 5,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  c.watch(factory.informerFor<Job>(resources.jobs));
  c.watch(factory.informerFor<Pod>(resources.pods), enqueueOwner('Job', { group: 'batch', onlyController: true }));
  return c;
}
