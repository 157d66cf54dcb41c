// The backoff between replacements of a daemon pod that keeps failing on one node (a kubelet rejecting it), so the
// controller does not fight the kubelet in a hot loop.

/** Delays between replacing failed daemon pods on one node: 1 s doubling to 15 min, forgotten after 30 min quiet. */
export class FailedPodBackoff {
  private readonly entries = new Map<string, { delayMs: number; until: number }>();

  /** Ms to wait before replacing the failed pod of `key` now; 0 means go (and the next wait doubles). */
  wait(key: string, now: number): number {
    for (const [k, e] of this.entries) if (now - e.until > 30 * 60_000) this.entries.delete(k);
    const e = this.entries.get(key);
    if (e && now < e.until) return e.until - now;
    const delayMs = e ? Math.min(e.delayMs * 2, 15 * 60_000) : 1000;
    this.entries.set(key, { delayMs, until: now + delayMs });
    return 0;
  }
}
