// StatefulSet pod identity, storage and revisions: ordinals and names, identity labels, claims from the claim
// templates, the claims' owner references under the retention policy, and the revision of a set.
import type { StatefulSet as KStatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim as KPersistentVolumeClaim, Volume } from 'kubernetes-types/core/v1.js';
import type { KubeObject, OwnerReference } from '../../api/index.js';
import { clone } from '../../machinery/index.js';
import { controllerRef, controllerRevisionHashLabel, templateOfRevision, templatePatch, type ControllerRevision, type Pod } from '../history/index.js';

/** A StatefulSet as the controller reads and writes it. */
export type StatefulSet = Omit<KStatefulSet, 'metadata' | 'status'> & KubeObject & { status?: KStatefulSet['status'] };
/** A PersistentVolumeClaim as the controller writes it. */
export type PersistentVolumeClaim = Omit<KPersistentVolumeClaim, 'metadata'> & KubeObject;

/** The label with a StatefulSet pod's name. */
export const statefulSetPodNameLabel = 'statefulset.kubernetes.io/pod-name';
/** The label with a StatefulSet pod's ordinal. */
export const podIndexLabel = 'apps.kubernetes.io/pod-index';
/** The label with the revision a StatefulSet pod was made from (the revision's name). */
export const statefulSetRevisionLabel = controllerRevisionHashLabel;

/** apps/v1 StatefulSet. */
export const statefulSetKind = { apiVersion: 'apps/v1', kind: 'StatefulSet' } as const;

/** The first ordinal (spec.ordinals.start, default 0). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** The last ordinal of the set's range (start + replicas - 1). */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + (set.spec?.replicas ?? 1) - 1;
}

/** The ordinal a pod name ends with after `<set>-`, or -1. */
export function ordinalOf(setName: string, podName: string): number {
  if (!podName.startsWith(`${setName}-`)) return -1;
  const rest = podName.slice(setName.length + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(rest)) return -1;
  const n = Number(rest);
  return Number.isSafeInteger(n) ? n : -1;
}

/** The ordinal of a pod of the set (parsed from the pod's name as `<parent>-<ordinal>`), or -1. */
export function podOrdinal(pod: KubeObject): number {
  const m = /^(.*)-(0|[1-9][0-9]*)$/.exec(pod.metadata?.name ?? '');
  if (!m) return -1;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? n : -1;
}

/** Whether a pod belongs to the set by name (its parent part is the set's name). */
export function isMemberOf(set: StatefulSet, pod: KubeObject): boolean {
  return ordinalOf(set.metadata?.name ?? '', pod.metadata?.name ?? '') >= 0;
}

/** Whether the pod's ordinal is within the set's current range. */
export function podInOrdinalRange(pod: KubeObject, set: StatefulSet): boolean {
  const o = podOrdinal(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

/** `<set>-<ordinal>`. */
export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

/** `<template>-<set>-<ordinal>`. */
export function claimName(set: StatefulSet, template: string, ordinal: number): string {
  return `${template}-${set.metadata?.name ?? ''}-${ordinal}`;
}

/** The claims a pod of the set needs, keyed by template name: template copies named for the pod, with the selector's labels. */
export function claimsForPod(set: StatefulSet, pod: KubeObject): Map<string, PersistentVolumeClaim> {
  const ordinal = podOrdinal(pod);
  const out = new Map<string, PersistentVolumeClaim>();
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const c = clone(t) as PersistentVolumeClaim;
    const template = t.metadata?.name ?? '';
    const { status: _s, ...rest } = c as PersistentVolumeClaim & { status?: unknown };
    const meta = { ...(rest.metadata ?? {}) };
    delete meta.resourceVersion;
    delete meta.uid;
    delete meta.creationTimestamp;
    out.set(template, {
      ...rest,
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { ...meta, name: claimName(set, template, ordinal), namespace: set.metadata?.namespace ?? '', labels: { ...(meta.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) } },
    });
  }
  return out;
}

/** Whether the pod's name, namespace and identity labels are those of its ordinal in the set. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = podOrdinal(pod);
  const labels = pod.metadata?.labels ?? {};
  return (
    ordinal >= 0 &&
    pod.metadata?.name === podName(set, ordinal) &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    labels[statefulSetPodNameLabel] === pod.metadata?.name &&
    labels[podIndexLabel] === String(ordinal)
  );
}

/** Sets the identity labels (pod name and index). */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = podOrdinal(pod);
  const meta = (pod.metadata ??= {});
  meta.name = podName(set, ordinal);
  meta.namespace = set.metadata?.namespace ?? '';
  meta.labels = { ...(meta.labels ?? {}), [statefulSetPodNameLabel]: meta.name, [podIndexLabel]: String(ordinal) };
}

/** Whether every claim template has a pod volume pointing at the pod's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const [template, claim] of claimsForPod(set, pod)) {
    if (volumes.get(template)?.persistentVolumeClaim?.claimName !== claim.metadata?.name) return false;
  }
  return true;
}

/** Points the pod's volumes at its claims (a template's volume replaces a pod volume of the same name). */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = claimsForPod(set, pod);
  if (claims.size === 0) return;
  const volumes: Volume[] = [];
  for (const [template, claim] of claims) volumes.push({ name: template, persistentVolumeClaim: { claimName: claim.metadata?.name ?? '' } });
  for (const v of pod.spec?.volumes ?? []) if (!claims.has(v.name)) volumes.push(v);
  if (pod.spec) pod.spec.volumes = volumes;
}

/** The pod of `ordinal` made from the set's template: controller reference, identity, hostname and subdomain, volumes. */
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const t = clone(set.spec?.template ?? {});
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(set, ordinal),
      namespace: set.metadata?.namespace ?? '',
      labels: { ...(t.metadata?.labels ?? {}) },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ...(t.metadata?.finalizers ? { finalizers: [...t.metadata.finalizers] } : {}),
      ownerReferences: [controllerRef(set, statefulSetKind.apiVersion, statefulSetKind.kind)],
    },
    spec: { ...(t.spec ?? { containers: [] }) },
  };
  updateIdentity(set, pod);
  pod.spec!.hostname = pod.metadata!.name!;
  if (set.spec?.serviceName) pod.spec!.subdomain = set.spec.serviceName;
  updateStorage(set, pod);
  return pod;
}

/** The revision name a pod carries. */
export function podRevision(pod: KubeObject): string {
  return pod.metadata?.labels?.[statefulSetRevisionLabel] ?? '';
}

/** Labels a pod with its revision. */
export function setPodRevision(pod: Pod, revision: string): void {
  const meta = (pod.metadata ??= {});
  meta.labels = { ...(meta.labels ?? {}), [statefulSetRevisionLabel]: revision };
}

/** What a StatefulSet revision records: a patch replacing spec.template. */
export function revisionData(set: StatefulSet): Record<string, unknown> {
  return templatePatch(set.spec?.template ?? {});
}

/** The set with the template of a revision (ApplyRevision). */
export function applyRevision(set: StatefulSet, rev: ControllerRevision): StatefulSet {
  const out = clone(set);
  const t = templateOfRevision(rev);
  if (t && out.spec) out.spec.template = t as NonNullable<StatefulSet['spec']>['template'];
  return out;
}

/** The retention policy with its defaults (Retain, Retain). */
export function retentionPolicy(set: StatefulSet): { whenDeleted: string; whenScaled: string } {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: p?.whenDeleted || 'Retain', whenScaled: p?.whenScaled || 'Retain' };
}

function hasRef(obj: KubeObject, owner: KubeObject): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((r) => r.uid === owner.metadata?.uid);
}

/**
 * The owner references a claim should have under the set's retention policy, or undefined when it has them:
 * whenDeleted=Delete makes the set the claim's controller; whenScaled=Delete makes the pod its controller once
 * the pod is scaled down (out of the ordinal range). A claim controlled by something else is left alone.
 */
export function claimOwnerRefsFor(claim: KubeObject, set: StatefulSet, pod: KubeObject): OwnerReference[] | undefined {
  const refs = claim.metadata?.ownerReferences ?? [];
  const setUid = set.metadata?.uid;
  const podUid = pod.metadata?.uid;
  const other = refs.find((r) => r.controller && r.uid !== setUid && r.uid !== podUid);
  if (other) return undefined;
  const policy = retentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  const wantSet = policy.whenDeleted === 'Delete' && (policy.whenScaled !== 'Delete' || !scaledDown);
  const wantPod = policy.whenScaled === 'Delete' && scaledDown && Boolean(podUid);
  const setOk = hasRef(claim, set) === wantSet && (!wantSet || refs.some((r) => r.uid === setUid && r.controller));
  const podOk = hasRef(claim, pod) === wantPod && (!wantPod || refs.some((r) => r.uid === podUid && r.controller));
  if (setOk && podOk) return undefined;
  const kept = refs.filter((r) => r.uid !== setUid && r.uid !== podUid);
  if (wantSet) kept.push(controllerRef(set, statefulSetKind.apiVersion, statefulSetKind.kind));
  if (wantPod) kept.push(controllerRef(pod, 'v1', 'Pod'));
  return kept;
}
