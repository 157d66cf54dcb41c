// Counting a Job's finished pods as Kubernetes does: a finished pod's UID goes into
// status.uncountedTerminatedPods (written first), then its job-tracking finalizer is removed, then it moves into
// status.succeeded / status.failed; the Complete or Failed condition follows once nothing is uncounted or terminating.
import type { ResourceClient } from '../../client/index.js';
import { rfc3339 as rfc, type Clock, type Logger } from '../../util/index.js';
import type { EventRecorder } from '../runtime/index.js';
import type { BackoffRecord, BackoffStore } from './backoff.js';
import { ensureCondition, newCondition, trueCondition } from './conditions.js';
import type { IndexSet } from './indexes.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import type { PodControl } from './pod-control.js';
import { completionIndexOf, hasBackoffLimitPerIndex, hasTrackingFinalizer, isIndexedJob, isPodFailed, type Job, type JobCondition, type Pod } from './types.js';

/** At most this many pod UIDs wait in status.uncountedTerminatedPods (keeps the status small). */
export const maxUncountedPods = 500;

/** What one sync knows about a Job. */
export interface SyncCtx {
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


/** What the tracker writes through. */
export interface StatusTrackerDeps {
  jobs: ResourceClient<Job>;
  podControl: PodControl;
  backoff: BackoffStore;
  clock: Clock;
  recorder: EventRecorder;
  log: Logger;
}

/** Writes a Job's status from one sync (trackJobStatusAndRemoveFinalizers). */
export class StatusTracker {
  constructor(private readonly deps: StatusTrackerDeps) {}

  /**
   * Counts finished pods: adds them to status.uncountedTerminatedPods, writes that, drops their finalizers, moves
   * them into succeeded/failed, and writes the finishing condition once nothing is left uncounted or terminating.
   */
  async track(ctx: SyncCtx, needsFlushIn: boolean, signal: AbortSignal): Promise<void> {
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
    const now = this.deps.clock.now();
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
      this.deps.backoff.update(ctx.key, ctx.newBackoff);
      needsFlush = false;
    }
    let error: unknown;
    await Promise.all(
      pods.map(async (p) => {
        try {
          if (await this.deps.podControl.removeFinalizer(p, signal)) withFinalizer.delete(p.metadata?.uid ?? '');
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
    const now = this.deps.clock.now();
    ensureCondition(ctx.job, cond.type, 'True', cond.reason ?? '', cond.message ?? '', now);
    if (cond.type === 'Complete') st.completionTime = rfc(now);
    return true;
  }

  private recordFinished(job: Job, cond: JobCondition): void {
    if (cond.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions != null && (job.status?.succeeded ?? 0) > completions) this.deps.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      this.deps.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else this.deps.recorder.event(job, 'Warning', cond.reason ?? '', cond.message ?? '');
  }

  private async updateStatus(job: Job, signal: AbortSignal): Promise<Job> {
    const updated = await this.deps.jobs.update(job, { subresource: 'status', signal });
    const st = (updated.status ??= {});
    st.uncountedTerminatedPods ??= {};
    this.deps.log.debug('job status written', { job: job.metadata?.name, active: st.active, succeeded: st.succeeded, failed: st.failed });
    return updated;
  }
}

/** Finished pods not yet counted (still carrying the finalizer, not in the uncounted lists). */
export function newFinishedPods(ctx: SyncCtx): { newSucceeded: Pod[]; newFailed: Pod[] } {
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

