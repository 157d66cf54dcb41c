// The Job controller (pkg/controller/job): runs a Job's pods to completion. Pods carry the job-tracking finalizer
// until they are counted through status.uncountedTerminatedPods; the Job fails on backoffLimit, activeDeadlineSeconds,
// a FailJob rule of its pod failure policy or failed indexes, and completes on completions or its success policy,
// each first written as the interim FailureTarget / SuccessCriteriaMet condition.
import { isNotFound, type ApiClient, type ResourceClient } from '../../client/index.js';
import { labelSelectorFromObject, labelSelectorToString, matchesLabels } from '../../machinery/index.js';
import { rfc3339 as rfc, silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import { Controller, enqueueOwner, splitKey, type EventRecorder, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';
import { BackoffStore, remainingBackoffMs } from './backoff.js';
import { ensureCondition, jobMessages, jobReasons, newCondition, trueCondition } from './conditions.js';
import { failedIndexes, firstPendingIndexes, matchSuccessPolicy, newIndexFailureCounts, podsWithDelayedDeletion, remainingIndexBackoffMs, succeededIndexes } from './indexed.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { podFromTemplate, PodControl, type PodSlot } from './pod-control.js';
import { activePodsForRemoval, pastBackoffLimitOnFailure } from './pod-order.js';
import { newFinishedPods, StatusTracker, type SyncCtx } from './tracking.js';
import {
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
  type Pod,
} from './types.js';

/** The longest wait asked of the queue: Node timers cannot wait past 2^31-1 ms, so long deadlines are looked at again daily. */
export const maxRequeueMs = 24 * 3_600_000;
/** The spec.managedBy value of Jobs this controller runs (the default). */
export const jobControllerName = 'kubernetes.io/job-controller';
/** At most this many pods are created or deleted in one sync. */
export const maxPodCreateDeletePerSync = 500;

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
  private readonly tracker: StatusTracker;

  constructor(private readonly opts: JobReconcilerOptions) {
    this.jobs = opts.client.resource<Job>(resources.jobs);
    this.podControl = new PodControl(opts.client, opts.recorder);
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? silentLogger;
    this.tracker = new StatusTracker({ jobs: this.jobs, podControl: this.podControl, backoff: this.backoff, clock: this.clock, recorder: opts.recorder, log: this.log });
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
    await this.tracker.track(ctx, needsUpdate, signal);
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
