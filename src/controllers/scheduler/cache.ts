// The scheduler cache: every node with the pods bound or assumed to it, so one scheduling attempt reads sums
// instead of listing pods. Pods the scheduler bound but the informer has not shown bound yet are "assumed": they
// count on their node at once and are confirmed (or dropped if the binding failed) later.
import { keyOf } from '../runtime/index.js';
import { hasAffinity, newPodInfo, NodeInfo, type PodInfo } from './node-info.js';
import type { Node, Pod } from './types.js';

/** Shallow equality of two label maps. */
export function sameLabels(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  for (const k of ka) if (a![k] !== b?.[k]) return false;
  return true;
}

/** Nodes and the pods on them. */
export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly order: NodeInfo[] = [];
  /** pod key → the node it counts on. */
  private readonly podNode = new Map<string, string>();
  /** Pods on nodes the cache does not know yet, by node name. */
  private readonly orphans = new Map<string, Map<string, PodInfo>>();
  private readonly assumed = new Set<string>();
  /** `key\0value` → every pod carrying that label, cluster-wide (topology spreading counts through it). */
  readonly byLabel = new Map<string, Set<PodInfo>>();
  /** Pods with any affinity term, and with required anti-affinity, across the cluster. */
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;

  /** Every known node, in a stable order (the scheduler walks it round-robin). */
  nodeList(): readonly NodeInfo[] {
    return this.order;
  }

  /** The NodeInfo of a node name. */
  node(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** How many nodes are known. */
  get nodeCount(): number {
    return this.order.length;
  }

  /** Adds or updates a node. */
  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const known = this.nodes.get(name);
    if (known) {
      known.setNode(node);
      return;
    }
    const ni = new NodeInfo(node);
    this.nodes.set(name, ni);
    this.order.push(ni);
    const waiting = this.orphans.get(name);
    if (waiting) {
      this.orphans.delete(name);
      for (const p of waiting.values()) ni.addPod(p);
    }
  }

  /** Removes a node; its pods wait for a node of that name to come back (or for their own deletion). */
  removeNode(name: string): void {
    const ni = this.nodes.get(name);
    if (!ni) return;
    this.nodes.delete(name);
    const i = this.order.indexOf(ni);
    if (i >= 0) this.order.splice(i, 1);
    if (ni.pods.size) this.orphans.set(name, new Map(ni.pods));
  }

  /** Adds or updates a bound pod (confirming it if it was assumed). */
  setPod(pod: Pod): void {
    const node = pod.spec?.nodeName;
    if (!node) return;
    const key = keyOf(pod);
    if (this.podNode.get(key) === node && !this.assumed.has(key)) {
      // Status updates of a bound pod change nothing the plugins read but its labels: keep the parsed info.
      const known = this.nodes.get(node)?.pods.get(key);
      if (known && known.pod.metadata?.uid === pod.metadata?.uid && sameLabels(known.labels, pod.metadata?.labels as Record<string, string> | undefined)) {
        known.pod = pod;
        return;
      }
    }
    const info = newPodInfo(pod);
    this.removePod(info.key);
    this.place(info, node);
  }

  /** Counts a pod on a node before the API has recorded its binding. */
  assumePod(pod: Pod): void {
    this.setPod(pod);
    const key = keyOf(pod);
    if (this.podNode.has(key)) this.assumed.add(key);
  }

  /** True while a pod is assumed and not yet seen bound. */
  isAssumed(key: string): boolean {
    return this.assumed.has(key);
  }

  /** The node a pod counts on. */
  nodeOf(key: string): string | undefined {
    return this.podNode.get(key);
  }

  /** Drops an assumed pod whose binding failed. */
  forgetPod(key: string): void {
    if (this.assumed.has(key)) this.removePod(key);
  }

  /** Removes a pod wherever it counts. */
  removePod(key: string): void {
    this.assumed.delete(key);
    const node = this.podNode.get(key);
    if (node === undefined) return;
    this.podNode.delete(key);
    const p = this.nodes.get(node)?.removePod(key) ?? this.removeOrphan(node, key);
    if (!p) return;
    this.countAffinity(p, -1);
    for (const k in p.labels) {
      const lk = `${k}\u0000${p.labels[k]}`;
      const set = this.byLabel.get(lk);
      if (!set) continue;
      set.delete(p);
      if (set.size === 0) this.byLabel.delete(lk);
    }
  }

  private removeOrphan(node: string, key: string): PodInfo | undefined {
    const m = this.orphans.get(node);
    const p = m?.get(key);
    if (m && p) {
      m.delete(key);
      if (m.size === 0) this.orphans.delete(node);
    }
    return p;
  }

  private place(info: PodInfo, node: string): void {
    this.podNode.set(info.key, node);
    this.countAffinity(info, 1);
    for (const k in info.labels) {
      const lk = `${k}\u0000${info.labels[k]}`;
      let set = this.byLabel.get(lk);
      if (!set) this.byLabel.set(lk, (set = new Set()));
      set.add(info);
    }
    const ni = this.nodes.get(node);
    if (ni) ni.addPod(info);
    else {
      let m = this.orphans.get(node);
      if (!m) this.orphans.set(node, (m = new Map()));
      m.set(info.key, info);
    }
  }

  private countAffinity(p: PodInfo, sign: 1 | -1): void {
    if (hasAffinity(p)) this.podsWithAffinity += sign;
    if (p.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity += sign;
  }
}
