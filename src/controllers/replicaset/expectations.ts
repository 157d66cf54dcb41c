// Controller expectations: how many creates and which deletes a controller is still waiting to see in its
// informer, so that a sync running before the informer caught up does not create or delete the same pods twice.
import { systemClock, type Clock } from '../../util/index.js';

/** How long an expectation is trusted before a sync goes ahead anyway (Kubernetes' ExpectationsTimeout). */
export const expectationsTimeoutMs = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  /** Keys of the objects whose deletion is awaited. */
  deleting: Set<string>;
  since: number;
}

/**
 * Per controller key: creations expected (counted) and deletions expected (by object key), as Kubernetes'
 * UIDTrackingControllerExpectations. Informer handlers observe; the sync checks `satisfied` before acting.
 */
export class ControllerExpectations {
  private readonly items = new Map<string, Expectation>();

  constructor(private readonly clock: Clock = systemClock) {}

  /** True when nothing is awaited for `key`, or what was awaited is older than the timeout. */
  satisfied(key: string): boolean {
    const e = this.items.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.since > expectationsTimeoutMs;
  }

  /** Expects `n` creations (replacing what was expected before). */
  expectCreations(key: string, n: number): void {
    this.items.set(key, { add: n, del: 0, deleting: new Set(), since: this.clock.now() });
  }

  /** Expects the deletion of these objects (replacing what was expected before). */
  expectDeletions(key: string, objectKeys: string[]): void {
    this.items.set(key, { add: 0, del: objectKeys.length, deleting: new Set(objectKeys), since: this.clock.now() });
  }

  /** One creation was seen (or will never be: a create that failed). */
  creationObserved(key: string): void {
    const e = this.items.get(key);
    if (e) e.add--;
  }

  /** The deletion of an object was seen (or will never be); objects not awaited are ignored. */
  deletionObserved(key: string, objectKey: string): void {
    const e = this.items.get(key);
    if (e?.deleting.delete(objectKey)) e.del--;
  }

  /** Forgets a controller (it was deleted). */
  delete(key: string): void {
    this.items.delete(key);
  }

  /** What is still awaited for `key` (for tests and logs). */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.items.get(key);
    return e ? { add: e.add, del: e.del } : undefined;
  }
}
