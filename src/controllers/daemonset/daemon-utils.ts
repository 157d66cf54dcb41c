// DaemonSet pods and nodes: the tolerations every daemon pod gets, whether a node should run (or keep running) a
// daemon pod (nodeName, node selector, required node affinity, taints), and the pod made for a node.
import type { DaemonSet as KDaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Affinity, Node as KNode, NodeSelectorRequirement, NodeSelectorTerm, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';
import { clone } from '../../machinery/index.js';
import { controllerRef, controllerRevisionHashLabel, type Pod } from '../history/index.js';

/** A DaemonSet as the controller reads and writes it. */
export type DaemonSet = Omit<KDaemonSet, 'metadata' | 'status'> & KubeObject & { status?: KDaemonSet['status'] };
/** A Node as the controller reads it. */
export type Node = Omit<KNode, 'metadata'> & KubeObject;

/** apps/v1 DaemonSet. */
export const daemonSetKind = { apiVersion: 'apps/v1', kind: 'DaemonSet' } as const;
/** The label with the template generation a daemon pod was made from. */
export const podTemplateGenerationLabel = 'pod-template-generation';
/** The annotation the API server keeps the template generation in. */
export const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';
/** The label with the hash of the template a daemon pod was made from. */
export const daemonSetUniqueLabel = controllerRevisionHashLabel;

/** The tolerations Kubernetes adds to every daemon pod (network-unavailable only with hostNetwork). */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** Adds the daemon tolerations a pod spec lacks (same key, operator and effect count as present). */
export function addDaemonTolerations(tolerations: readonly Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(tolerations ?? [])];
  for (const t of daemonTolerations(hostNetwork)) {
    const i = out.findIndex((o) => o.key === t.key && o.effect === t.effect && (o.operator ?? 'Equal') === t.operator);
    if (i >= 0) out[i] = t;
    else out.push(t);
  }
  return out;
}

/** Whether a toleration tolerates a taint (v1helper ToleratesTaint). */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if ((t.operator ?? 'Equal') === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function untoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[], effects: readonly string[]): Taint | undefined {
  return (taints ?? []).find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => toleratesTaint(t, taint)));
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0]!)) return false;
      const a = Number(value);
      const b = Number(values[0]);
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** Whether a node matches a node selector term (all its expressions and fields; an empty term matches nothing). */
export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  for (const e of exprs) if (!requirementMatches(e, Object.hasOwn(labels, e.key) ? labels[e.key] : undefined)) return false;
  for (const f of fields) if (!requirementMatches(f, f.key === 'metadata.name' ? (node.metadata?.name ?? '') : undefined)) return false;
  return true;
}

/** Whether a node satisfies a pod's nodeSelector and required node affinity (any term). */
export function fitsNodeAffinity(spec: { nodeSelector?: Record<string, string>; affinity?: Affinity } | undefined, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return required.nodeSelectorTerms.some((t) => termMatches(t, node));
}

/**
 * Whether a daemon pod should run on a node (`shouldRun`) and whether one already there may stay
 * (`shouldContinueRunning`): nodeName, selector and affinity must fit; an untolerated NoSchedule or NoExecute
 * taint stops new pods, and only an untolerated NoExecute taint evicts running ones.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = ds.spec?.template?.spec;
  if (spec?.nodeName && spec.nodeName !== node.metadata?.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!fitsNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = addDaemonTolerations(spec?.tolerations, Boolean(spec?.hostNetwork));
  const taints = node.spec?.taints;
  if (!untoleratedTaint(taints, tolerations, ['NoSchedule', 'NoExecute'])) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !untoleratedTaint(taints, tolerations, ['NoExecute']) };
}

/** The required node affinity of a daemon pod for one node: a single term, `metadata.name In [node]`. */
export function replaceNodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const a = clone(affinity ?? {}) as { nodeAffinity?: Record<string, unknown> } & Affinity;
  const na = (a.nodeAffinity ?? {}) as Record<string, unknown>;
  na['requiredDuringSchedulingIgnoredDuringExecution'] = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] };
  return { ...a, nodeAffinity: na } as Affinity;
}

/** The node a daemon pod is bound or meant for: spec.nodeName, else its `metadata.name In [node]` affinity. */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** The template generation of a DaemonSet (its annotation), if set. */
export function templateGeneration(ds: DaemonSet): string | undefined {
  return ds.metadata?.annotations?.[templateGenerationAnnotation];
}

/** The daemon pod for a node: template labels plus hash and generation, daemon tolerations, the node affinity. */
export function newDaemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const t = clone(ds.spec?.template ?? {});
  const spec = { ...(t.spec ?? { containers: [] }) };
  spec.tolerations = addDaemonTolerations(spec.tolerations, Boolean(spec.hostNetwork));
  spec.affinity = replaceNodeNameAffinity(spec.affinity, nodeName);
  const labels: Record<string, string> = { ...(t.metadata?.labels ?? {}), [daemonSetUniqueLabel]: hash };
  const gen = templateGeneration(ds);
  if (gen !== undefined) labels[podTemplateGenerationLabel] = gen;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata?.name ?? ''}-`,
      namespace: ds.metadata?.namespace ?? '',
      labels,
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [controllerRef(ds, daemonSetKind.apiVersion, daemonSetKind.kind)],
    },
    spec,
  };
}

/** Whether a daemon pod is of the current template (hash label, or the generation label for old pods). */
export function isPodUpdated(pod: KubeObject, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  const byGeneration = generation !== undefined && labels[podTemplateGenerationLabel] === generation;
  return byGeneration || labels[daemonSetUniqueLabel] === hash;
}
