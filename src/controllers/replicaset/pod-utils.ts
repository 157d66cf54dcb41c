// Pod helpers shared by the workload controllers: activity, readiness and availability, owner references, pods made
// from a template, and the order in which surplus pods are deleted (kin's reading of Kubernetes' controller utils).
import type { Pod as KPod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject, OwnerReference } from '../../api/index.js';

/** A Pod as the controllers read it. */
export type Pod = KPod & KubeObject;

/** A parsed RFC 3339 timestamp in ms since the epoch; 0 for an absent or unreadable one (Go's zero time). */
export function timeOf(t: string | undefined): number {
  if (!t) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
}

/** A pod that still counts: not Succeeded or Failed and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

/** The pod's Ready condition, if any. */
export function podReadyCondition(pod: Pod): { status: string; lastTransitionTime?: string } | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Ready for at least `minReadySeconds` by `nowMs` (IsPodAvailable). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True') return false;
  if (minReadySeconds === 0) return true;
  const since = timeOf(c.lastTransitionTime);
  return since !== 0 && since + minReadySeconds * 1000 < nowMs;
}

/** When a ready pod becomes available (ms), for requeueing; undefined when it is not ready or already counted. */
export function availableAt(pod: Pod, minReadySeconds: number): number | undefined {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True' || minReadySeconds === 0) return undefined;
  const since = timeOf(c.lastTransitionTime);
  return since === 0 ? undefined : since + minReadySeconds * 1000;
}

/** The managing owner reference (`controller: true`) of an object, if any. */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** The owner reference a controller puts on what it creates or adopts (NewControllerRef). */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The generateName of a controller's pods: `<name>-`, or the name alone when that would not be a valid pod name. */
export function podsPrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  // Checked as a pod name with its trailing dash masked (a dash may not end a name, but a prefix may end with one).
  const masked = `${controllerName}a`;
  return masked.length <= 253 && dns1123Subdomain.test(masked) ? prefix : controllerName;
}

/** A new pod from a template (GetPodFromTemplate): labels, annotations and finalizers copied, spec deep-copied. */
export function podFromTemplate(template: PodTemplateSpec | undefined, parent: KubeObject, controllerRef?: OwnerReference): Pod {
  const meta = template?.metadata ?? {};
  const metadata: NonNullable<Pod['metadata']> = { generateName: podsPrefix(parent.metadata?.name ?? '') };
  if (parent.metadata?.namespace) metadata.namespace = parent.metadata.namespace;
  metadata.labels = { ...(meta.labels ?? {}) };
  if (meta.annotations) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers?.length) metadata.finalizers = [...meta.finalizers];
  if (controllerRef) metadata.ownerReferences = [controllerRef];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template?.spec ?? { containers: [] }) };
}

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Pod): number {
  const v = pod.metadata?.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  if (v === undefined || !/^[-+]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n < -2147483648 || n > 2147483647 ? 0 : n;
}

function readyTime(pod: Pod): number {
  const c = podReadyCondition(pod);
  return c?.status === 'True' ? timeOf(c.lastTransitionTime) : 0;
}

function maxRestarts(pod: Pod): number {
  let max = 0;
  for (const c of pod.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  return max;
}

// Go's int64(math.Log2(duration in ns)); -1 for a time not in the past.
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

// A zero time sorts first, then the later time (afterOrZero).
function afterOrZero(a: number, b: number): boolean {
  if (a === 0 || b === 0) return a === 0;
  return a > b;
}

function timeLess(a: number, b: number, now: number, ua: string, ub: string): boolean {
  if (now === 0 || a === 0 || b === 0) return afterOrZero(a, b);
  const diff = logRank(a, now) - logRank(b, now);
  return diff === 0 ? ua < ub : diff < 0;
}

/**
 * True when pod `a` should be deleted before pod `b` (ActivePodsWithRanks.Less with LogarithmicScaleDown, on by
 * default): unscheduled, then pending before unknown before running, not ready, lower deletion cost, more
 * colocated related pods, ready for less time, more restarts, newer.
 */
export function deleteBefore(a: { pod: Pod; rank: number }, b: { pod: Pod; rank: number }, nowMs: number): boolean {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  const oa = phaseOrdinal[pa.status?.phase ?? ''] ?? 0;
  const ob = phaseOrdinal[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa < ob;
  const ra = isPodReady(pa);
  if (ra !== isPodReady(pb)) return !ra;
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca < cb;
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (ra) {
    const ta = readyTime(pa);
    const tb = readyTime(pb);
    if (ta !== tb) return timeLess(ta, tb, nowMs, pa.metadata?.uid ?? '', pb.metadata?.uid ?? '');
  }
  const xa = maxRestarts(pa);
  const xb = maxRestarts(pb);
  if (xa !== xb) return xa > xb;
  const cra = timeOf(pa.metadata?.creationTimestamp);
  const crb = timeOf(pb.metadata?.creationTimestamp);
  if (cra !== crb) return timeLess(cra, crb, nowMs, pa.metadata?.uid ?? '', pb.metadata?.uid ?? '');
  return false;
}

/**
 * The `diff` pods to delete first (getPodsToDelete): each pod is ranked by how many active related pods (pods of
 * the controller's siblings too) share its node, then ordered by `deleteBefore`.
 */
export function podsToDelete(pods: Pod[], related: Pod[], diff: number, nowMs: number): Pod[] {
  if (diff >= pods.length) return pods.slice();
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(p.spec?.nodeName ?? '', (onNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => (deleteBefore(x, y, nowMs) ? -1 : deleteBefore(y, x, nowMs) ? 1 : 0));
  return ranked.slice(0, diff).map((r) => r.pod);
}

/** The index of objects by their managing owner's uid; orphans are filed under `orphan/<namespace>`. */
export const controllerUidIndex = 'kin-controller-uid';

/** Files an object under its controller's uid, or as an orphan of its namespace (one function, shared by informers). */
export function indexByControllerUid(obj: KubeObject): string[] {
  const ref = controllerRefOf(obj);
  return [ref ? ref.uid : orphanIndexValue(obj.metadata?.namespace ?? '')];
}

/** The index value of the orphans of a namespace in `controllerUidIndex`. */
export function orphanIndexValue(namespace: string): string {
  return `orphan/${namespace}`;
}
