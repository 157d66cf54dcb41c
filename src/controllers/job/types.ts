// The Job controller's vocabulary: the batch/v1 Job and core/v1 Pod as it reads them, the finalizer, labels and
// annotations it writes, and small questions about pods (active, ready, failed, finished when).
import type { Job as KJob, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod as KPod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';
import type { ResourceRef } from '../../client/index.js';

/** A Job as the controller reads it. */
export type Job = KJob & KubeObject;
/** A Pod as the controller reads it. */
export type Pod = KPod & KubeObject;
/** One condition of a Job's status. */
export type { JobCondition };

/** The finalizer every Job pod carries until the controller has counted it. */
export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';
/** Annotation and label of an Indexed Job pod's completion index. */
export const jobCompletionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
/** How many times a pod's index failed before this pod (backoffLimitPerIndex). */
export const jobIndexFailureCountAnnotation = 'batch.kubernetes.io/job-index-failure-count';
/** How many failures of a pod's index the pod failure policy ignored before this pod. */
export const jobIndexIgnoredFailureCountAnnotation = 'batch.kubernetes.io/job-index-ignored-failure-count';
/** The environment variable an Indexed Job's containers read their index from. */
export const jobCompletionIndexEnvName = 'JOB_COMPLETION_INDEX';

/** The API resources the batch controllers use. */
export const resources = {
  jobs: { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true },
  cronjobs: { group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true },
  pods: { group: '', version: 'v1', plural: 'pods', namespaced: true },
} as const satisfies Record<string, ResourceRef>;

/** The index a pod was created for, or -1 when it has none (or a malformed one). */
export function completionIndexOf(pod: Pod): number {
  const v = pod.metadata?.annotations?.[jobCompletionIndexAnnotation];
  if (v === undefined || !/^\d+$/.test(v)) return -1;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : -1;
}

/** True for a Job with completionMode Indexed. */
export function isIndexedJob(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

/** True when the Job uses backoffLimitPerIndex (Indexed Jobs only). */
export function hasBackoffLimitPerIndex(job: Job): boolean {
  return isIndexedJob(job) && job.spec?.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null;
}

/** Only pods that reached phase Failed are replaced (podReplacementPolicy Failed, or a pod failure policy). */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
}

/** A pod still running or about to: neither finished nor being deleted (controller.FilterActivePods). */
export function isActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

/** A pod being deleted that has not finished yet. */
export function isTerminating(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !!pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** A pod whose Ready condition is True. */
export function isReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Whether the Job counts a pod as failed: phase Failed, or (unless only failed pods are replaced) deleted before it succeeded. */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  // Deleted pods count as failures: an orphaned pod may never reach the Failed phase.
  return !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/** True when the pod still carries the tracking finalizer (the Job has not counted it yet). */
export function hasTrackingFinalizer(pod: Pod): boolean {
  return (pod.metadata?.finalizers ?? []).includes(jobTrackingFinalizer);
}

/** When a pod finished: its last container termination, else its Ready=False transition, deletion, or creation. */
export function finishedTime(pod: Pod): number {
  let last: number | undefined;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const at = s.state?.terminated?.finishedAt;
    if (!at) continue;
    const t = Date.parse(at);
    if (!Number.isNaN(t) && (last === undefined || t > last)) last = t;
  }
  if (last !== undefined) return last;
  const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready' && c.status === 'False');
  if (ready?.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (pod.metadata?.deletionTimestamp) return Date.parse(pod.metadata.deletionTimestamp);
  return Date.parse(pod.metadata?.creationTimestamp ?? '') || 0;
}

/** The Complete or Failed condition that is True, if the Job has finished. */
export function finishedCondition(job: Job): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** True once the Job has a Complete or Failed condition. */
export function isJobFinished(job: Job): boolean {
  return finishedCondition(job) !== undefined;
}
