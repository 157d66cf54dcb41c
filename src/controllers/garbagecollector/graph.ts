// The garbage collector's graph: every object it follows, by uid, with its owners and dependents.
import type { KubeObject, OwnerReference } from '../../api/index.js';
import type { ResourceRef } from '../../client/index.js';

/** One object of the graph. */
export interface GraphNode {
  uid: string;
  resource: ResourceRef;
  namespace: string | undefined;
  name: string;
  owners: OwnerReference[];
  deleting: boolean;
  finalizers: string[];
}

/** The object graph: nodes by uid and, for each owner uid, the uids of its dependents. */
export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependentsOf = new Map<string, Set<string>>();

  /** Records (or replaces) an object; returns its node. */
  upsert(resource: ResourceRef, obj: KubeObject): GraphNode | undefined {
    const m = obj.metadata;
    if (!m?.uid || !m.name) return undefined;
    const old = this.nodes.get(m.uid);
    if (old) this.unlink(old);
    const node: GraphNode = {
      uid: m.uid,
      resource,
      namespace: m.namespace || undefined,
      name: m.name,
      owners: [...(m.ownerReferences ?? [])],
      deleting: Boolean(m.deletionTimestamp),
      finalizers: [...(m.finalizers ?? [])],
    };
    this.nodes.set(node.uid, node);
    for (const o of node.owners) {
      let s = this.dependentsOf.get(o.uid);
      if (!s) this.dependentsOf.set(o.uid, (s = new Set()));
      s.add(node.uid);
    }
    return node;
  }

  /** Forgets an object; returns the node it had. */
  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    this.unlink(node);
    this.nodes.delete(uid);
    return node;
  }

  /** The node of a uid. */
  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** The dependents of an owner uid (nodes that list it in their ownerReferences). */
  dependents(ownerUid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const uid of this.dependentsOf.get(ownerUid) ?? []) {
      const n = this.nodes.get(uid);
      if (n) out.push(n);
    }
    return out;
  }

  /** How many objects the graph holds. */
  get size(): number {
    return this.nodes.size;
  }

  private unlink(node: GraphNode): void {
    for (const o of node.owners) {
      const s = this.dependentsOf.get(o.uid);
      s?.delete(node.uid);
      if (s && s.size === 0) this.dependentsOf.delete(o.uid);
    }
  }
}
