// What the scheduler knows about each node and each pod on it: parsed once per object so a scheduling attempt
// touches numbers and prepared selectors, never raw quantities or selector objects.
import type { PodAffinityTerm, Taint, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { matchesLabels, tryLabelSelectorFromObject, type LabelSelector } from '../../machinery/index.js';
import { keyOf } from '../runtime/index.js';
import { emptyResource, nodeAllocatable, podRequests, type Resource } from './resources.js';
import type { Node, Pod } from './types.js';

/** A pod affinity term with its selectors compiled. */
export interface AffinityTerm {
  selector: LabelSelector;
  /** Namespaces listed (or the pod's own when neither namespaces nor namespaceSelector is given). */
  namespaces: ReadonlySet<string>;
  namespaceSelector: LabelSelector | undefined;
  topologyKey: string;
}

/** A preferred pod affinity term. */
export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** A host port a container asks for. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** A pod with everything the plugins need computed once. */
export interface PodInfo {
  key: string;
  pod: Pod;
  /** The node it is bound or assumed to ('' for a pending pod). */
  nodeName: string;
  namespace: string;
  labels: Record<string, string>;
  /** Requests as the pod declares them (fit, balanced allocation). */
  requests: Resource;
  /** True when the pod requests extended resources (requests.scalar is not empty). */
  hasScalarRequests: boolean;
  /** CPU and memory with defaults for containers without requests (least-allocated scoring). */
  nonZeroCPU: number;
  nonZeroMemory: number;
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
  hostPorts: HostPort[];
}

function compileTerm(t: PodAffinityTerm, podNamespace: string): AffinityTerm {
  const sel = tryLabelSelectorFromObject(t.labelSelector as never);
  const nsSel = t.namespaceSelector ? tryLabelSelectorFromObject(t.namespaceSelector as never) : undefined;
  const namespaces = new Set(t.namespaces ?? []);
  if (namespaces.size === 0 && !t.namespaceSelector) namespaces.add(podNamespace);
  return {
    selector: typeof sel === 'string' ? { requirements: [], nothing: true } : sel,
    namespaces,
    namespaceSelector: typeof nsSel === 'string' ? undefined : nsSel,
    topologyKey: t.topologyKey,
  };
}

function compileWeighted(ts: readonly WeightedPodAffinityTerm[] | undefined, ns: string): WeightedAffinityTerm[] {
  return (ts ?? []).map((w) => ({ ...compileTerm(w.podAffinityTerm, ns), weight: w.weight }));
}

/** Parses a pod once. */
export function newPodInfo(pod: Pod): PodInfo {
  const namespace = pod.metadata?.namespace ?? '';
  const aff = pod.spec?.affinity;
  const requests = podRequests(pod);
  const nonZero = podRequests(pod, true);
  const hostPorts: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if (p.hostPort) hostPorts.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
  }
  return {
    key: keyOf(pod),
    pod,
    nodeName: pod.spec?.nodeName ?? '',
    namespace,
    labels: (pod.metadata?.labels ?? {}) as Record<string, string>,
    requests,
    hasScalarRequests: Object.keys(requests.scalar).length > 0,
    nonZeroCPU: nonZero.milliCPU,
    nonZeroMemory: nonZero.memory,
    requiredAffinity: (aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, namespace)),
    requiredAntiAffinity: (aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, namespace)),
    preferredAffinity: compileWeighted(aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, namespace),
    preferredAntiAffinity: compileWeighted(aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, namespace),
    hostPorts,
  };
}

/** True when a term selects a pod: the pod's namespace is in the term's namespaces and its labels match. */
export function termMatches(term: AffinityTerm, pod: PodInfo, namespaceLabels: (ns: string) => Record<string, string> | undefined): boolean {
  if (!term.namespaces.has(pod.namespace)) {
    const ns = term.namespaceSelector;
    if (!ns || !matchesLabels(ns, namespaceLabels(pod.namespace) ?? {})) return false;
  }
  return matchesLabels(term.selector, pod.labels);
}

/** True when a pod has any affinity or anti-affinity term (required or preferred). */
export function hasAffinity(p: PodInfo): boolean {
  return p.requiredAffinity.length + p.requiredAntiAffinity.length + p.preferredAffinity.length + p.preferredAntiAffinity.length > 0;
}

function portKey(p: HostPort): string {
  return `${p.protocol}/${p.port}`;
}

/** One node with its pods and the sums the plugins need (kube-scheduler's NodeInfo). */
export class NodeInfo {
  readonly name: string;
  node!: Node;
  labels: Record<string, string> = {};
  allocatable: Resource = emptyResource();
  taints: readonly Taint[] = [];
  unschedulable = false;
  readonly pods = new Map<string, PodInfo>();
  readonly requested: Resource = emptyResource();
  nonZeroCPU = 0;
  nonZeroMemory = 0;
  /** Pods with any affinity term (inter-pod affinity scoring looks only at these). */
  readonly podsWithAffinity = new Set<PodInfo>();
  /** Pods with required anti-affinity (they may forbid the incoming pod). */
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();
  /** `key\0value` → the pods carrying that label (selectors with an equality requirement count through it). */
  readonly byLabel = new Map<string, Set<PodInfo>>();
  /** `protocol/port` → host IPs in use. */
  readonly usedPorts = new Map<string, string[]>();

  constructor(node: Node) {
    this.name = node.metadata?.name ?? '';
    this.setNode(node);
  }

  /** Takes a new version of the node object. */
  setNode(node: Node): void {
    this.node = node;
    this.labels = (node.metadata?.labels ?? {}) as Record<string, string>;
    this.allocatable = nodeAllocatable(node);
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = node.spec?.unschedulable === true;
  }

  /** A copy with the same pods, to add or remove pods on without touching the cache (preemption, nominated pods). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.node);
    for (const p of this.pods.values()) c.addPod(p);
    return c;
  }

  /** Adds a pod (replacing the pod of the same key). */
  addPod(p: PodInfo): void {
    this.removePod(p.key);
    this.pods.set(p.key, p);
    this.account(p, 1);
    if (hasAffinity(p)) this.podsWithAffinity.add(p);
    if (p.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity.add(p);
    for (const k in p.labels) {
      const lk = `${k}\u0000${p.labels[k]}`;
      let set = this.byLabel.get(lk);
      if (!set) this.byLabel.set(lk, (set = new Set()));
      set.add(p);
    }
    for (const hp of p.hostPorts) {
      const k = portKey(hp);
      this.usedPorts.set(k, [...(this.usedPorts.get(k) ?? []), hp.ip]);
    }
  }

  /** Removes the pod of a key; returns it. */
  removePod(key: string): PodInfo | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    this.pods.delete(key);
    this.account(p, -1);
    this.podsWithAffinity.delete(p);
    this.podsWithRequiredAntiAffinity.delete(p);
    for (const k in p.labels) {
      const lk = `${k}\u0000${p.labels[k]}`;
      const set = this.byLabel.get(lk);
      if (!set) continue;
      set.delete(p);
      if (set.size === 0) this.byLabel.delete(lk);
    }
    for (const hp of p.hostPorts) {
      const k = portKey(hp);
      const ips = [...(this.usedPorts.get(k) ?? [])];
      const i = ips.indexOf(hp.ip);
      if (i >= 0) ips.splice(i, 1);
      if (ips.length) this.usedPorts.set(k, ips);
      else this.usedPorts.delete(k);
    }
    return p;
  }

  private account(p: PodInfo, sign: 1 | -1): void {
    const r = this.requested;
    r.milliCPU += sign * p.requests.milliCPU;
    r.memory += sign * p.requests.memory;
    r.ephemeralStorage += sign * p.requests.ephemeralStorage;
    for (const k in p.requests.scalar) r.scalar[k] = (r.scalar[k] ?? 0) + sign * p.requests.scalar[k]!;
    this.nonZeroCPU += sign * p.nonZeroCPU;
    this.nonZeroMemory += sign * p.nonZeroMemory;
  }
}

/** Test helper and plugin aid: a NodeInfo from a node and its pods. */
export function nodeInfoOf(node: Node, pods: Pod[] = []): NodeInfo {
  const ni = new NodeInfo(node);
  for (const p of pods) ni.addPod(newPodInfo(p));
  return ni;
}
