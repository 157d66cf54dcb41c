// The nominator (kube-scheduler's nominator in the scheduling queue): which pending pods have been promised a node
// by preemption. Filtering another pod on that node counts the nominated pods of equal or higher priority as if
// they were there already, so the room freed by the victims goes to the preemptor.
import { keyOf } from '../runtime/index.js';
import { newPodInfo, type PodInfo } from './node-info.js';
import type { Pod } from './types.js';

/** Pending pods by the node they are nominated to. Keys are `namespace/name`. */
export class Nominator {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly podNode = new Map<string, string>();

  /** How many pods are nominated (0 lets the filter pass skip all nomination work). */
  get size(): number {
    return this.podNode.size;
  }

  /** The node a pod is nominated to. */
  nodeOf(key: string): string | undefined {
    return this.podNode.get(key);
  }

  /** The pods nominated to a node, in the order they were nominated. */
  podsOn(node: string): readonly PodInfo[] {
    const m = this.byNode.get(node);
    return m ? [...m.values()] : [];
  }

  /** Nominates a pod to a node ('' removes its nomination). */
  nominate(pod: Pod, node: string): void {
    const key = keyOf(pod);
    this.delete(key);
    if (!node) return;
    this.podNode.set(key, node);
    let m = this.byNode.get(node);
    if (!m) this.byNode.set(node, (m = new Map()));
    m.set(key, newPodInfo(pod));
  }

  /**
   * A pending pod was added or changed: it is nominated where its status.nominatedNodeName says. When neither the
   * old nor the new object names a node, a nomination made in memory is kept (the status write may not have been
   * seen yet), as kube-scheduler's UpdateNominatedPod does.
   */
  update(old: Pod | undefined, pod: Pod): void {
    const key = keyOf(pod);
    let node = pod.status?.nominatedNodeName ?? '';
    if (!node && !old?.status?.nominatedNodeName) node = this.podNode.get(key) ?? '';
    if (!node && !this.podNode.has(key)) return;
    this.nominate(pod, node);
  }

  /** Forgets a pod's nomination (bound, deleted, no longer pending). */
  delete(key: string): void {
    const node = this.podNode.get(key);
    if (node === undefined) return;
    this.podNode.delete(key);
    const m = this.byNode.get(node);
    m?.delete(key);
    if (m && m.size === 0) this.byNode.delete(node);
  }
}
