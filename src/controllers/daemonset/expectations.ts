// Expectations: the pods a DaemonSet pass created or deleted that the informer's store has not caught up with.
// Until it has, the controller makes no new decisions for that set (it would create twice from a stale store).
import type { KubeObject } from '../../api/index.js';
import type { Clock } from '../../util/index.js';
import type { Lister } from '../runtime/index.js';

// Expectations older than this are dropped, as Kubernetes' ExpectationsTimeout (a lost watch event must not block forever).
const timeoutMs = 5 * 60 * 1000;

interface Pending {
  creates: Set<string>;
  deletes: Map<string, string>;
  since: number;
}

/** Pending creations (by pod key) and deletions (key → uid) per controller key. */
export class Expectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly clock: Clock) {}

  private entry(key: string): Pending {
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { creates: new Set(), deletes: new Map(), since: 0 }));
    p.since = this.clock.now();
    return p;
  }

  /** Records a created pod. */
  expectCreation(key: string, pod: KubeObject): void {
    this.entry(key).creates.add(`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`);
  }

  /** Records a pod being deleted. */
  expectDeletion(key: string, pod: KubeObject): void {
    this.entry(key).deletes.set(`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`, pod.metadata?.uid ?? '');
  }

  /** Drops an expected deletion (the delete failed). */
  deletionObserved(key: string, pod: KubeObject): void {
    this.pending.get(key)?.deletes.delete(`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`);
  }

  /** Whether the store shows every expected creation and deletion (or they expired). */
  satisfied(key: string, pods: Lister<KubeObject>): boolean {
    const p = this.pending.get(key);
    if (!p) return true;
    for (const k of p.creates) if (pods.get(k)) p.creates.delete(k);
    for (const [k, uid] of p.deletes) {
      const have = pods.get(k);
      if (!have || have.metadata?.uid !== uid || have.metadata?.deletionTimestamp) p.deletes.delete(k);
    }
    if ((p.creates.size === 0 && p.deletes.size === 0) || this.clock.now() - p.since > timeoutMs) {
      this.pending.delete(key);
      return true;
    }
    return false;
  }

  /** Forgets a controller key (its object is gone). */
  forget(key: string): void {
    this.pending.delete(key);
  }
}
