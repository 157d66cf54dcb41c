// The pod failure back-off of Jobs: after N failures since the last success the next pod waits
// 10 s × 2^(N-1), at most 10 minutes, counted from the last failure. Kept in memory per Job, as Kubernetes does.
import { finishedTime, type Pod } from './types.js';

/** The first back-off delay after a pod failure. */
export const defaultPodFailureBackoffMs = 10_000;
/** The longest back-off delay (Kubernetes' MaxJobPodFailureBackOff). */
export const maxPodFailureBackoffMs = 10 * 60_000;

/** Failures since the last success and when the last one happened. */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** How long to wait before creating a pod after `failures` failures, the last at `lastFailure` (0: create now). */
export function remainingBackoffMs(now: number, failures: number, lastFailure: number | undefined, baseMs = defaultPodFailureBackoffMs, maxMs = maxPodFailureBackoffMs): number {
  if (failures === 0 || lastFailure === undefined) return 0;
  let delay = baseMs;
  for (let i = 1; i < failures; i++) {
    delay *= 2;
    if (delay >= maxMs) {
      delay = maxMs;
      break;
    }
  }
  const elapsed = now - lastFailure;
  return delay < elapsed ? 0 : delay - elapsed;
}

/** The back-off records of every Job, by key. */
export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  /** The record after counting newly finished pods (not stored until `update`). */
  next(key: string, newSucceeded: Pod[], newFailed: Pod[]): BackoffRecord {
    const prev = this.records.get(key) ?? { failuresAfterLastSuccess: 0 };
    const failedTimes = newFailed.map(finishedTime).sort((a, b) => a - b);
    if (newSucceeded.length === 0) {
      if (failedTimes.length === 0) return { ...prev };
      return { failuresAfterLastSuccess: prev.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: failedTimes[failedTimes.length - 1]! };
    }
    // A success resets the count: only failures after the last success count.
    const lastSuccess = Math.max(...newSucceeded.map(finishedTime));
    const rec: BackoffRecord = { failuresAfterLastSuccess: 0 };
    for (let i = failedTimes.length - 1; i >= 0; i--) {
      const t = failedTimes[i]!;
      if (t <= lastSuccess) break;
      rec.lastFailureTime ??= t;
      rec.failuresAfterLastSuccess++;
    }
    return rec;
  }

  /** Stores a Job's record. */
  update(key: string, rec: BackoffRecord): void {
    this.records.set(key, rec);
  }

  /** Forgets a finished or deleted Job. */
  remove(key: string): void {
    this.records.delete(key);
  }
}
