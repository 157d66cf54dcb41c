// Pod readiness as the workload controllers judge it (podutil.IsPodReady / IsPodAvailable).
import type { Pod as KPod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';

/** A Pod as the workload controllers read and write it. */
export type Pod = Omit<KPod, 'metadata' | 'status'> & KubeObject & { status?: KPod['status'] };

/** The Ready condition of a pod, if any. */
export function podReadyCondition(pod: Pod): { status?: string; lastTransitionTime?: string } | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Whether the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Whether the pod has been Ready for at least `minReadySeconds` at `nowMs`. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(podReadyCondition(pod)?.lastTransitionTime ?? '');
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= nowMs;
}

/** When an unavailable but ready pod turns available (ms from now), for requeueing; undefined when not waiting. */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, nowMs: number): number | undefined {
  if (!minReadySeconds || !isPodReady(pod)) return undefined;
  const since = Date.parse(podReadyCondition(pod)?.lastTransitionTime ?? '');
  if (!Number.isFinite(since)) return undefined;
  const left = since + minReadySeconds * 1000 - nowMs;
  return left > 0 ? left : undefined;
}

/** Whether the pod is being deleted. */
export function isTerminating(pod: KubeObject): boolean {
  return Boolean(pod.metadata?.deletionTimestamp);
}
