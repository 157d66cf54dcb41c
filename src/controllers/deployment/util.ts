// Deployment helpers as Kubernetes' deployment util has them: revisions and the annotations copied to ReplicaSets,
// maxSurge/maxUnavailable resolution, finding the new and old ReplicaSets, replica counts and orderings.
import type { Deployment as KDeployment, ReplicaSet as KReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';
import { timeOf } from '../replicaset/index.js';
import { stableStringify } from './hash.js';

/** A Deployment as the controller reads it. */
export type Deployment = KDeployment & KubeObject;
/** A ReplicaSet as the Deployment controller reads it. */
export type ReplicaSet = KReplicaSet & KubeObject;

/** The label (on ReplicaSets, their selectors and pods) that tells a Deployment's templates apart. */
export const podTemplateHashLabel = 'pod-template-hash';
/** The revision of a Deployment or of one of its ReplicaSets. */
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
/** The revisions a ReplicaSet had before a rollback made it new again. */
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
/** The Deployment's replicas when the ReplicaSet was last scaled for it. */
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
/** The Deployment's replicas plus maxSurge when the ReplicaSet was last scaled for it. */
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** The longest revision-history annotation kept, in characters. */
export const maxRevHistoryLengthInChars = 2000;
/** A field that says "no limit" when it holds this (math.MaxInt32). */
export const maxInt32 = 2147483647;

const annotationsNotCopied = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** The replicas a Deployment or ReplicaSet asks for (defaulted to 1 by the API). */
export function specReplicas(o: { spec?: { replicas?: number } } | undefined): number {
  return o?.spec?.replicas ?? 1;
}

/** A ReplicaSet's revision number (0 when absent or unreadable). */
export function revisionOf(rs: KubeObject): number {
  const v = rs.metadata?.annotations?.[revisionAnnotation];
  if (v === undefined || !/^-?\d+$/.test(v)) return 0;
  return Number(v);
}

/** The highest revision among ReplicaSets. */
export function maxRevision(sets: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of sets) max = Math.max(max, revisionOf(rs));
  return max;
}

/** Older first, then by name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = timeOf(a.metadata?.creationTimestamp);
  const tb = timeOf(b.metadata?.creationTimestamp);
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Larger first; equal sizes older first (ReplicaSetsBySizeOlder, for scaling down). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(a) === specReplicas(b) ? byCreation(a, b) : specReplicas(b) - specReplicas(a);
}

/** Larger first; equal sizes newer first (ReplicaSetsBySizeNewer, for scaling up). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(a) === specReplicas(b) ? byCreation(b, a) : specReplicas(b) - specReplicas(a);
}

/** Lower revision first, then older (ReplicaSetsByRevision). */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  return ra === rb ? byCreation(a, b) : ra - rb;
}

// Informer objects never change, so a template's printed form is worth keeping while the object lives.
const printedTemplates = new WeakMap<object, string>();

/** The template printed without its pod-template-hash label (memoized per template object). */
function printedWithoutHash(t: PodTemplateSpec | undefined): string {
  if (!t) return stableStringify({});
  let s = printedTemplates.get(t);
  if (s === undefined) {
    const c = { ...t, metadata: { ...(t.metadata ?? {}) } };
    const labels = c.metadata.labels ? { ...c.metadata.labels } : undefined;
    if (labels) {
      delete labels[podTemplateHashLabel];
      if (Object.keys(labels).length === 0) delete c.metadata.labels;
      else c.metadata.labels = labels;
    }
    if (Object.keys(c.metadata).length === 0) delete (c as { metadata?: unknown }).metadata;
    s = stableStringify(c);
    printedTemplates.set(t, s);
  }
  return s;
}

/** Templates equal once the pod-template-hash label is ignored (EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return printedWithoutHash(a) === printedWithoutHash(b);
}

/** The ReplicaSet whose template is the Deployment's (the oldest such), if any. */
export function findNewReplicaSet(d: Deployment, sets: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...sets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every ReplicaSet but the new one. */
export function findOldReplicaSets(d: Deployment, sets: readonly ReplicaSet[]): ReplicaSet[] {
  const fresh = findNewReplicaSet(d, sets);
  return sets.filter((rs) => rs.metadata?.uid !== fresh?.metadata?.uid);
}

/** ReplicaSets asking for at least one pod. */
export function activeReplicaSets(sets: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return sets.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);
}

/** Sum of spec.replicas. */
export function replicaCount(sets: readonly (ReplicaSet | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs ? specReplicas(rs) : 0), 0);
}

/** Sum of status.replicas. */
export function actualReplicaCount(sets: readonly (ReplicaSet | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

/** Sum of status.readyReplicas. */
export function readyReplicaCount(sets: readonly (ReplicaSet | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

/** Sum of status.availableReplicas. */
export function availableReplicaCount(sets: readonly (ReplicaSet | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

/** An int-or-percent scaled against `total` (percent rounds up or down as asked); throws on a malformed string. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) {
    if (/^-?\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** True for the RollingUpdate strategy. */
export function isRollingUpdate(d: Deployment): boolean {
  return d.spec?.strategy?.type === 'RollingUpdate';
}

/** maxSurge and maxUnavailable as pod counts; both 0 resolves to an unavailability of 1 (ResolveFenceposts). */
export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  const desired = specReplicas(d);
  const surge = scaledValue(ru?.maxSurge, desired, true);
  let unavailable = scaledValue(ru?.maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** The surge allowed (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

/** The unavailability allowed, at most the replicas (0 for Recreate or no replicas). */
export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, replicas);
}

/** The replicas the new ReplicaSet may have now (NewRSNewReplicas). */
export function newRSNewReplicas(d: Deployment, all: readonly (ReplicaSet | undefined)[], rs: ReplicaSet): number {
  if (!isRollingUpdate(d)) return specReplicas(d);
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge, specReplicas(d), true);
  const current = replicaCount(all);
  const maxTotal = specReplicas(d) + surge;
  if (current >= maxTotal) return specReplicas(rs);
  const up = Math.min(maxTotal - current, specReplicas(d) - specReplicas(rs));
  return specReplicas(rs) + up;
}

/** A numeric annotation, or undefined when absent or unreadable. */
export function intAnnotation(o: KubeObject, key: string): number | undefined {
  const v = o.metadata?.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** Whether the desired-replicas and max-replicas annotations differ from these values. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[desiredReplicasAnnotation] !== String(desired) || a[maxReplicasAnnotation] !== String(max);
}

/** Sets the desired-replicas and max-replicas annotations; true when one changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const meta = (rs.metadata ??= {});
  const a = (meta.annotations ??= {});
  let changed = false;
  if (a[desiredReplicasAnnotation] !== String(desired)) {
    a[desiredReplicasAnnotation] = String(desired);
    changed = true;
  }
  if (a[maxReplicasAnnotation] !== String(max)) {
    a[maxReplicasAnnotation] = String(max);
    changed = true;
  }
  return changed;
}

/** The new ReplicaSet is at full size and fully available (IsSaturated). */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = intAnnotation(rs, desiredReplicasAnnotation);
  if (desired === undefined) return false;
  return specReplicas(rs) === specReplicas(d) && desired === specReplicas(d) && (rs.status?.availableReplicas ?? 0) === specReplicas(d);
}

/**
 * Copies the Deployment's annotations to the ReplicaSet (but kubectl's last-applied and the deployment ones) and
 * moves its revision to `newRevision` when that is higher, keeping the revisions it had in revision-history (a
 * rollback); a ReplicaSet about to be created also gets the replicas annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean): boolean {
  const meta = (rs.metadata ??= {});
  const a = (meta.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (annotationsNotCopied.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const had = Object.prototype.hasOwnProperty.call(a, revisionAnnotation);
  const oldRevision = a[revisionAnnotation] ?? '';
  let oldInt = 0;
  if (oldRevision !== '') {
    if (!/^-?\d+$/.test(oldRevision)) return changed;
    oldInt = Number(oldRevision);
  }
  if (!/^-?\d+$/.test(newRevision)) return changed;
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    a[revisionAnnotation] = newRevision;
    changed = true;
  }
  if (had && oldInt < newInt) {
    const history = a[revisionHistoryAnnotation] ?? '';
    const revisions = history.split(',');
    if ((revisions[0] ?? '').length === 0) a[revisionHistoryAnnotation] = oldRevision;
    else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > maxRevHistoryLengthInChars && start < revisions.length) {
        total -= (revisions[start] ?? '').length + 1;
        start++;
      }
      if (total <= maxRevHistoryLengthInChars) a[revisionHistoryAnnotation] = [...revisions.slice(start), oldRevision].join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** Sets the Deployment's revision annotation; true when it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const meta = (d.metadata ??= {});
  const a = (meta.annotations ??= {});
  if (a[revisionAnnotation] === revision) return false;
  a[revisionAnnotation] = revision;
  return true;
}

/** A progress deadline is set (and is not "forever"). */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== maxInt32;
}

/** A revision history limit is set (and is not "keep everything"). */
export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const l = d.spec?.revisionHistoryLimit;
  return l !== undefined && l !== maxInt32;
}

/** Labels with one more label (CloneAndAddLabel). */
export function withLabel(labels: Record<string, string> | undefined, key: string, value: string): Record<string, string> {
  return { ...(labels ?? {}), [key]: value };
}
