// Job conditions as the Job controller writes them, with Kubernetes' reasons and messages.
import { rfc3339 } from '../../util/index.js';
import type { Job, JobCondition } from './types.js';

/** Reasons of the Job conditions (batch/v1 JobReason*). */
export const jobReasons = {
  podFailurePolicy: 'PodFailurePolicy',
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  maxFailedIndexesExceeded: 'MaxFailedIndexesExceeded',
  failedIndexes: 'FailedIndexes',
  successPolicy: 'SuccessPolicy',
  completionsReached: 'CompletionsReached',
} as const;

/** The messages that go with them. */
export const jobMessages = {
  backoffLimitExceeded: 'Job has reached the specified backoff limit',
  deadlineExceeded: 'Job was active longer than specified deadline',
  maxFailedIndexesExceeded: 'Job has exceeded the specified maximal number of failed indexes',
  failedIndexes: 'Job has failed indexes',
  completionsReached: 'Reached expected number of succeeded pods',
} as const;

/** A new condition stamped with `now`. */
export function newCondition(type: string, status: 'True' | 'False', reason: string, message: string, now: number): JobCondition {
  const c: JobCondition = { type, status, lastProbeTime: rfc3339(now), lastTransitionTime: rfc3339(now) };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** The condition of a type, if present. */
export function findCondition(job: Job, type: string): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c) => c.type === type);
}

/** The condition of a type when its status is True. */
export function trueCondition(job: Job, type: string): JobCondition | undefined {
  const c = findCondition(job, type);
  return c?.status === 'True' ? c : undefined;
}

/**
 * Sets a condition's status, reason and message (a new one is added only when True); returns whether anything
 * changed. Mutates `job.status.conditions`.
 */
export function ensureCondition(job: Job, type: string, status: 'True' | 'False', reason: string, message: string, now: number): boolean {
  const st = (job.status ??= {});
  const list = st.conditions ?? [];
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i]!;
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return false;
    list[i] = newCondition(type, status, reason, message, now);
    return true;
  }
  if (status === 'False') return false;
  st.conditions = [...list, newCondition(type, status, reason, message, now)];
  return true;
}
