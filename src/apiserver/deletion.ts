// Deleting one object: preconditions, finalizers, and namespaces (marked Terminating; the namespace controller empties them).
import type { KubeObject } from '../api/index.js';
import { conflict, forbidden } from '../machinery/index.js';
import type { GenericStore, ObjectRef } from '../registry/generic-store.js';
import type { Registry } from '../registry/registry.js';
import type { Logger } from '../util/index.js';
import type { DeleteRequest } from './resources.js';
import { crdCleanupFinalizer } from '../registry/apiextensions/index.js';

interface CrdCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** Sets a CRD's Terminating condition as kube-apiserver does when it first marks the CRD for deletion. */
function markCrdTerminating(crd: KubeObject): void {
  const status = (crd['status'] ??= {}) as { conditions?: CrdCondition[] };
  const conditions = (status.conditions ??= []);
  const cond: CrdCondition = {
    type: 'Terminating',
    status: 'True',
    lastTransitionTime: crd.metadata?.deletionTimestamp ?? '',
    reason: 'InstanceDeletionPending',
    message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
  };
  const i = conditions.findIndex((c) => c.type === 'Terminating');
  if (i < 0) conditions.push(cond);
  else conditions[i] = { ...cond, lastTransitionTime: (conditions[i]!.status === 'True' && conditions[i]!.lastTransitionTime) || (cond.lastTransitionTime ?? '') };
}

/** Namespaces that can never be deleted. */
export const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

/** A garbage-collection policy a resource deletes with when the request names none. */
export type GcPolicy = 'Background' | 'Orphan';

/**
 * The default policy of a resource, as kube-apiserver's strategies: ReplicationControllers in v1 and Jobs in batch/v1
 * (and the old extensions/v1beta1, apps/v1beta1 and apps/v1beta2 workloads) orphan; everything else deletes dependents.
 */
export function defaultGcPolicy(info: { group: string; version: string; plural: string }): GcPolicy {
  if (info.group === '' && info.plural === 'replicationcontrollers') return 'Orphan';
  if (info.group === 'batch' && info.version === 'v1' && info.plural === 'jobs') return 'Orphan';
  const oldWorkloads = ['deployments', 'replicasets', 'daemonsets', 'statefulsets'];
  if (oldWorkloads.includes(info.plural) && ((info.group === 'extensions' && info.version === 'v1beta1') || (info.group === 'apps' && (info.version === 'v1beta1' || info.version === 'v1beta2')))) {
    return 'Orphan';
  }
  return 'Background';
}

/**
 * The finalizers an object gets from a delete: `orphan` or `foregroundDeletion` (never both), chosen by the request's
 * orphanDependents, then its propagationPolicy, then the object's own finalizers, then the resource's default.
 */
export function gcFinalizers(existing: string[], opts: Pick<DeleteRequest, 'orphanDependents' | 'propagationPolicy'>, policy: GcPolicy): string[] {
  let orphan: boolean;
  let foreground: boolean;
  if (opts.orphanDependents !== undefined) {
    orphan = opts.orphanDependents;
    foreground = false;
  } else if (opts.propagationPolicy === 'Orphan' || opts.propagationPolicy === 'Background' || opts.propagationPolicy === 'Foreground') {
    orphan = opts.propagationPolicy === 'Orphan';
    foreground = opts.propagationPolicy === 'Foreground';
  } else {
    const first = existing.find((f) => f === 'orphan' || f === 'foregroundDeletion');
    orphan = first ? first === 'orphan' : policy === 'Orphan';
    foreground = first === 'foregroundDeletion';
  }
  const out = existing.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
  if (orphan) out.push('orphan');
  if (foreground) out.push('foregroundDeletion');
  return out;
}

type PodGrace = { kind: 'none' } | { kind: 'pending' } | { kind: 'graceful'; period: number; shorten: boolean };

/**
 * A pod's graceful deletion: the period comes from the request, else spec.terminationGracePeriodSeconds; a pod not
 * bound to a node or already finished goes at once. A pod already being deleted only takes a shorter period.
 */
function podGrace(pod: KubeObject, opts: DeleteRequest): PodGrace {
  const m = pod.metadata ?? {};
  if (m.deletionTimestamp) {
    const current = m.deletionGracePeriodSeconds;
    if (current === undefined || current === null || current === 0) return { kind: 'none' };
    if (opts.gracePeriodSeconds === undefined || opts.gracePeriodSeconds >= current) return { kind: 'pending' };
    return { kind: 'graceful', period: Math.max(0, opts.gracePeriodSeconds), shorten: true };
  }
  const spec = (pod['spec'] ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
  let period = opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 0;
  if (!spec.nodeName || phase === 'Failed' || phase === 'Succeeded') period = 0;
  if (period < 0) period = 1;
  return { kind: 'graceful', period, shorten: false };
}

/** The result of a delete: the object's last (or current) state, and whether it is still there for now. */
export interface DeleteResult {
  ref: ObjectRef;
  pending: boolean;
}

/**
 * Deletes objects the way the API server does: an object with finalizers is only marked (deletionTimestamp set)
 * and goes when its last finalizer is removed; a namespace is marked Terminating and the namespace controller
 * empties it and removes its `kubernetes` finalizer.
 */
export class Deleter {
  constructor(
    private readonly registry: Registry,
    private readonly logger: Logger,
  ) {}

  async delete(store: GenericStore, namespace: string | undefined, name: string, opts: DeleteRequest): Promise<DeleteResult> {
    const info = store.strategy.info;
    const target = { group: info.group, resource: info.plural, name };
    if (info.group === '' && info.plural === 'namespaces' && immortalNamespaces.has(name)) {
      throw forbidden(target, `namespaces "${name}" is forbidden: this namespace may not be deleted`);
    }
    const ref = await store.get(namespace, name);
    const obj = store.object(ref);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== obj.metadata?.uid) {
      throw conflict(target, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata?.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== String(ref.rv)) {
      throw conflict(target, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${ref.rv}`);
    }
    const isNamespace = info.group === '' && info.plural === 'namespaces';
    const meta = obj.metadata ?? {};
    const existing = meta.finalizers ?? [];
    const wanted = gcFinalizers(existing, opts, defaultGcPolicy(info));
    // A CRD's first delete adds the cleanup finalizer (its custom resources are removed before it goes), as
    // kube-apiserver's CRD storage does; a live CRD carries none.
    const isCrd = info.group === 'apiextensions.k8s.io' && info.plural === 'customresourcedefinitions';
    const crdFirstDelete = isCrd && !meta.deletionTimestamp;
    if (crdFirstDelete && !wanted.includes(crdCleanupFinalizer)) wanted.push(crdCleanupFinalizer);
    const finalizersChanged = wanted.length !== existing.length || wanted.some((f, i) => f !== existing[i]);
    const grace = info.group === '' && info.plural === 'pods' ? podGrace(obj, opts) : { kind: 'none' as const };
    // A pod whose graceful deletion is under way and is not shortened: nothing changes.
    if (grace.kind === 'pending') return { ref, pending: true };
    const nsFinalizers = (isNamespace && (obj['spec'] as { finalizers?: string[] } | undefined)?.finalizers) || [];
    const finalizers = [...wanted, ...nsFinalizers];
    const graceful = grace.kind === 'graceful';
    const period = graceful ? grace.period : 0;
    const stays = finalizers.length > 0 || (graceful && period > 0);
    if (!stays && !finalizersChanged && existing.length === 0) {
      return { ref: await store.delete(namespace, name, { dryRun: opts.dryRun, preconditions: undefined }), pending: false };
    }
    if (opts.dryRun) {
      if (stays) return { ref, pending: true };
      return { ref: await store.delete(namespace, name, { dryRun: true, preconditions: undefined }), pending: false };
    }
    if (meta.deletionTimestamp && !finalizersChanged && !graceful) {
      if (!stays) return { ref: await store.delete(namespace, name, { dryRun: false, preconditions: { uid: meta.uid } }), pending: false };
      return { ref, pending: true };
    }
    const marked = await store.markDeleting(namespace, name, period, (o) => {
      const m = (o.metadata ??= {});
      if (finalizersChanged) {
        if (wanted.length > 0) m.finalizers = wanted;
        else delete m.finalizers;
      }
      if (graceful && grace.shorten && m.deletionTimestamp && m.deletionGracePeriodSeconds !== undefined) {
        // Only a shorter grace period is taken: the deadline moves back by the difference.
        const start = Date.parse(m.deletionTimestamp) - m.deletionGracePeriodSeconds * 1000;
        m.deletionTimestamp = new Date(start + period * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        m.deletionGracePeriodSeconds = period;
      }
      if (isNamespace) ((o['status'] ??= {}) as { phase?: string }).phase = 'Terminating';
      if (crdFirstDelete) {
        // kube-apiserver sets no grace period on a CRD it marks.
        if (meta.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
        markCrdTerminating(o);
      }
    });
    if (!stays) return { ref: await store.delete(namespace, name, { dryRun: false, preconditions: { uid: meta.uid } }), pending: false };
    return { ref: marked, pending: true };
  }
}
