// What an Indexed Job's pods say about its indexes: which succeeded, which failed for good (backoffLimitPerIndex),
// which to create next, the failed pod each index keeps until its replacement exists, and the success policy.
import type { SuccessPolicy } from 'kubernetes-types/batch/v1.js';
import { remainingBackoffMs } from './backoff.js';
import { IndexSet } from './indexes.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import {
  completionIndexOf,
  finishedTime,
  hasTrackingFinalizer,
  isPodFailed,
  isTerminating,
  jobIndexFailureCountAnnotation,
  jobIndexIgnoredFailureCountAnnotation,
  type Job,
  type Pod,
} from './types.js';

function completions(job: Job): number {
  return job.spec?.completions ?? 0;
}

function validIndex(job: Job, pod: Pod): number {
  const ix = completionIndexOf(pod);
  return ix >= 0 && ix < completions(job) ? ix : -1;
}

/** The indexes already recorded in status.completedIndexes, and those plus the succeeded pods not yet counted. */
export function succeededIndexes(job: Job, pods: Pod[]): { prev: IndexSet; all: IndexSet } {
  const prev = IndexSet.parse(job.status?.completedIndexes, completions(job));
  const fresh: number[] = [];
  for (const p of pods) {
    const ix = validIndex(job, p);
    if (p.status?.phase === 'Succeeded' && ix >= 0 && hasTrackingFinalizer(p)) fresh.push(ix);
  }
  return { prev, all: prev.with(fresh) };
}

function annotationCount(pod: Pod, name: string): number {
  const v = pod.metadata?.annotations?.[name];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 0;
}

/** How many failures of its index a pod's annotation records. */
export function indexFailureCount(pod: Pod): number {
  return annotationCount(pod, jobIndexFailureCountAnnotation);
}

/** Counted plus ignored failures of a pod's index before it. */
export function indexAbsoluteFailureCount(pod: Pod): number {
  return indexFailureCount(pod) + annotationCount(pod, jobIndexIgnoredFailureCountAnnotation);
}

/** True when a failed pod makes its index fail for good: a FailIndex rule, or the index's backoff limit reached. */
export function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  let counted = true;
  if (job.spec?.podFailurePolicy) {
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
    if (m.action === 'FailIndex') return true;
    counted = m.countFailed;
  }
  return counted && indexFailureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** status.failedIndexes plus the indexes failed by the pods now. */
export function failedIndexes(job: Job, pods: Pod[]): IndexSet {
  const prev = IndexSet.parse(job.status?.failedIndexes, completions(job));
  const fresh: number[] = [];
  for (const p of pods) {
    const ix = completionIndexOf(p);
    if (ix >= 0 && isIndexFailed(job, p)) fresh.push(ix);
  }
  return prev.with(fresh);
}

/** The indexes of these pods. */
export function indexesOf(pods: Pod[]): Set<number> {
  const out = new Set<number>();
  for (const p of pods) {
    const ix = completionIndexOf(p);
    if (ix >= 0) out.add(ix);
  }
  return out;
}

/** The lowest `count` indexes that neither succeeded, failed, run, nor (podReplacementPolicy Failed) terminate. */
export function firstPendingIndexes(opts: { job: Job; pods: Pod[]; activePods: Pod[]; succeeded: IndexSet; failed?: IndexSet | undefined }, count: number): number[] {
  const n = completions(opts.job);
  let nonPending = opts.succeeded.with(indexesOf(opts.activePods));
  if (opts.failed) nonPending = nonPending.merge(opts.failed);
  if (opts.job.spec?.podReplacementPolicy === 'Failed') nonPending = nonPending.with(indexesOf(opts.pods.filter(isTerminating)));
  const out: number[] = [];
  for (let ix = 0; ix < n && out.length < count; ix++) if (!nonPending.has(ix)) out.push(ix);
  return out;
}

/**
 * backoffLimitPerIndex: per pending index, the last failed pod not yet counted. Its finalizer stays until its
 * replacement exists, so the replacement can inherit the failure count.
 */
export function podsWithDelayedDeletion(opts: { job: Job; pods: Pod[]; activePods: Pod[]; succeeded: IndexSet; failed: IndexSet; uncountedFailed: Set<string> }): Map<number, Pod> {
  const active = indexesOf(opts.activePods);
  const out = new Map<number, Pod>();
  for (const p of opts.pods) {
    if (!hasTrackingFinalizer(p) || !isPodFailed(p, opts.job)) continue;
    const ix = validIndex(opts.job, p);
    if (ix < 0 || opts.succeeded.has(ix) || opts.failed.has(ix) || active.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (indexAbsoluteFailureCount(last) <= indexAbsoluteFailureCount(p) && finishedTime(p) >= finishedTime(last))) out.set(ix, p);
  }
  return out;
}

/** The failure counts a replacement pod of an index inherits from the pod it replaces. */
export function newIndexFailureCounts(job: Job, replaced: Pod | undefined): { failureCount: number; ignoredFailureCount: number } {
  if (!replaced) return { failureCount: 0, ignoredFailureCount: 0 };
  let failureCount = indexFailureCount(replaced);
  let ignoredFailureCount = annotationCount(replaced, jobIndexIgnoredFailureCountAnnotation);
  if (job.spec?.podFailurePolicy && !matchPodFailurePolicy(job.spec.podFailurePolicy, replaced).countFailed) ignoredFailureCount++;
  else failureCount++;
  return { failureCount, ignoredFailureCount };
}

/** The per-index back-off before recreating the pod of an index whose last pod is `last`. */
export function remainingIndexBackoffMs(now: number, last: Pod | undefined): number {
  if (!last) return 0;
  return remainingBackoffMs(now, indexAbsoluteFailureCount(last) + 1, finishedTime(last));
}

/** The success policy's verdict: the message "Matched rules at index N" when a rule is met. */
export function matchSuccessPolicy(policy: SuccessPolicy | undefined | null, completionCount: number, succeeded: IndexSet): string | undefined {
  if (!policy || succeeded.total() === 0) return undefined;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const required = IndexSet.parse(rule.succeededIndexes, completionCount);
      if (required.total() === 0) continue;
      let matched = 0;
      for (const ix of required.values()) if (succeeded.has(ix)) matched++;
      const need = rule.succeededCount ?? required.total();
      if (matched >= need) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && rule.succeededCount !== null && succeeded.total() >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
