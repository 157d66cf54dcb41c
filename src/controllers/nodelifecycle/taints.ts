// Taints and tolerations as the node lifecycle and taint eviction controllers use them.
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

/** The taint of a node whose Ready condition is Unknown (the kubelet stopped posting). */
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
/** The taint of a node whose Ready condition is False. */
export const notReadyTaintKey = 'node.kubernetes.io/not-ready';

/** True when `tol` tolerates `taint` (v1 Toleration.ToleratesTaint). */
export function tolerates(tol: Toleration, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.operator === 'Exists') return !tol.key || tol.key === taint.key;
  return tol.key === taint.key && (tol.value ?? '') === (taint.value ?? '');
}

/**
 * How long a pod may stay on a node with these NoExecute taints: 0 when one is not tolerated, the smallest
 * tolerationSeconds of the tolerations used otherwise, or undefined (forever) when none sets a limit.
 */
export function minTolerationMs(taints: readonly Taint[], tolerations: readonly Toleration[]): number | undefined {
  let min: number | undefined;
  for (const taint of taints) {
    const used = tolerations.filter((t) => tolerates(t, taint));
    if (used.length === 0) return 0;
    for (const t of used) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      const ms = Math.max(0, t.tolerationSeconds) * 1000;
      if (min === undefined || ms < min) min = ms;
    }
  }
  return min;
}

/** The lifecycle taints a node should carry for its Ready condition status. */
export function lifecycleTaints(readyStatus: string | undefined): { key: string; effect: 'NoSchedule' | 'NoExecute' }[] {
  const key = readyStatus === 'False' ? notReadyTaintKey : readyStatus === 'Unknown' ? unreachableTaintKey : undefined;
  return key ? [{ key, effect: 'NoSchedule' }, { key, effect: 'NoExecute' }] : [];
}
