// DaemonSet rolling updates and history: which pods to delete and which nodes get a new pod in one pass of a
// RollingUpdate (maxUnavailable, or maxSurge), the current revision, and history cleanup.
import { isPodAvailable, isTerminating, type ControllerRevision, type Pod } from '../history/index.js';
import { daemonSetUniqueLabel, isPodUpdated, templateGeneration, type DaemonSet } from './daemon-utils.js';

/** An int-or-percent scaled against `total`, rounding up (intstr.GetScaledValueFromIntOrPercent with roundUp). */
export function scaledValue(v: number | string | undefined, total: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v === 'number') return v;
  if (v.endsWith('%')) return Math.ceil((Number(v.slice(0, -1)) * total) / 100);
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
}

/** maxSurge and maxUnavailable of a DaemonSet for `desired` nodes; both 0 becomes maxUnavailable 1. */
export function surgeAndUnavailable(ds: DaemonSet, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge, desired, 0);
  let maxUnavailable = scaledValue(ru?.maxUnavailable, desired, 1);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** The one new and one old pod on a node (ignoring deleted ones); `ok` false when there are more. */
export function findUpdatedPodsOnNode(ds: DaemonSet, pods: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  const gen = templateGeneration(ds);
  for (const p of pods) {
    if (isTerminating(p)) continue;
    if (isPodUpdated(p, hash, gen)) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}), ok: true };
}

/** What one rolling-update pass does. */
export interface RollingUpdatePlan {
  deletePods: Pod[];
  createOnNodes: string[];
}

/** Inputs of a rolling-update pass. */
export interface RollingUpdateInput {
  ds: DaemonSet;
  nodeToPods: Map<string, Pod[]>;
  hash: string;
  nowMs: number;
  /** Whether a node (by name) should run the daemon pod now. */
  shouldRun: (node: string) => boolean;
  desired: number;
}

/**
 * One pass of a RollingUpdate. Without surge: delete old pods (unavailable ones at once, available ones while
 * fewer than maxUnavailable are unavailable) and let the manage pass make the new ones. With surge: make a new
 * pod beside an old one (at once when the old one is unavailable, else up to maxSurge) and delete the old pod
 * once the new one is available.
 */
export function planRollingUpdate(i: RollingUpdateInput): RollingUpdatePlan {
  const { ds, hash, nowMs } = i;
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, nowMs);
  const { maxSurge, maxUnavailable } = surgeAndUnavailable(ds, i.desired);
  if (maxSurge === 0) {
    let numUnavailable = 0;
    const replace: Pod[] = [];
    const candidates: Pod[] = [];
    for (const pods of i.nodeToPods.values()) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) replace.push(oldPod);
        else if (numUnavailable < maxUnavailable) candidates.push(oldPod);
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { deletePods: [...replace, ...candidates.slice(0, room)], createOnNodes: [] };
  }
  const deletePods: Pod[] = [];
  const shouldNotRun: Pod[] = [];
  const candidates: string[] = [];
  const allowed: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const [node, pods] of i.nodeToPods) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!i.shouldRun(node)) deletePods.push(oldPod);
        else allowed.push(node);
      } else if (!i.shouldRun(node)) shouldNotRun.push(oldPod);
      else if (numSurge < maxSurge) candidates.push(node);
      continue;
    }
    if (!available(newPod)) numSurge++;
    else deletePods.push(oldPod);
  }
  // Pods on nodes that no longer fit go only once as many pods elsewhere are available as are desired.
  const deletable = Math.min(numAvailable - i.desired, shouldNotRun.length);
  if (deletable > 0) deletePods.push(...shouldNotRun.slice(0, deletable));
  const room = Math.min(Math.max(0, maxSurge - numSurge), candidates.length);
  return { deletePods, createOnNodes: [...allowed, ...candidates.slice(0, room)] };
}

/** The hash label of a revision (its name for revisions made before the label existed). */
export function revisionHash(rev: ControllerRevision): string {
  return rev.metadata?.labels?.[daemonSetUniqueLabel] ?? rev.metadata?.name ?? '';
}

/** The old revisions to delete: oldest first, beyond revisionHistoryLimit, skipping those live pods still use. */
export function historyToDelete(ds: DaemonSet, old: readonly ControllerRevision[], pods: readonly Pod[]): ControllerRevision[] {
  const keep = ds.spec?.revisionHistoryLimit ?? 10;
  let toKill = old.length - keep;
  if (toKill <= 0) return [];
  const live = new Set<string>();
  for (const p of pods) {
    const h = p.metadata?.labels?.[daemonSetUniqueLabel];
    if (h) live.add(h);
  }
  const out: ControllerRevision[] = [];
  for (const r of [...old].sort((a, b) => a.revision - b.revision)) {
    if (toKill <= 0) break;
    if (live.has(revisionHash(r))) continue;
    out.push(r);
    toKill--;
  }
  return out;
}
