// The scheduling queue (kube-scheduler's PriorityQueue, simplified): an active queue ordered by priority then
// arrival, a backoff queue (1 s doubling to 10 s per failed attempt), and the unschedulable pods, which wait for a
// cluster change (a move request) or for the periodic flush after 5 minutes.
import { systemClock, type Clock } from '../../util/index.js';

/** A pod waiting to be scheduled. */
export interface QueuedPod {
  key: string;
  priority: number;
  /** When it entered the queue (ms, monotonic), for FIFO order among equals. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When it was last found unschedulable (ms, monotonic). */
  unschedulableSince?: number;
  /** The scheduling cycle its last attempt ran in. */
  cycle: number;
  /** Plugins that rejected it last time (a move request may be limited to them). */
  rejectedBy: Set<string>;
}

/** Timings of the queue. */
export interface SchedulingQueueOptions {
  clock?: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Unschedulable pods are retried at the latest after this long (podMaxInUnschedulablePodsDuration, 5 min). */
  maxUnschedulableMs?: number;
}

/** Active, backoff and unschedulable pods. Keys are `namespace/name`. */
export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private heap: QueuedPod[] = [];
  private readonly active = new Map<string, QueuedPod>();
  private readonly backoff = new Map<string, { pod: QueuedPod; cancel: () => void }>();
  private readonly unschedulable = new Map<string, QueuedPod>();
  /** Unschedulable pods per plugin that rejected them. */
  private readonly rejections = new Map<string, number>();
  /** Pods being scheduled right now (popped, not yet done). */
  private readonly inFlight = new Map<string, QueuedPod>();
  private waiters: ((p: QueuedPod | undefined) => void)[] = [];
  private closed = false;
  /** Incremented on every pop. */
  schedulingCycle = 0;
  private moveRequestCycle = -1;

  constructor(opts: SchedulingQueueOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 5 * 60_000;
  }

  /** Sizes, for logs and tests. */
  stats(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  /** True when the queue holds the key anywhere (or it is being scheduled). */
  has(key: string): boolean {
    return this.active.has(key) || this.backoff.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  /** A new or changed pending pod: queued to be tried (an unschedulable one is tried again, after its backoff). */
  add(key: string, priority: number): void {
    if (this.closed || this.active.has(key) || this.backoff.has(key) || this.inFlight.has(key)) return;
    const u = this.unschedule(key);
    if (u) {
      u.priority = priority;
      this.requeue(u);
      return;
    }
    this.push({ key, priority, timestamp: this.clock.monotonic(), attempts: 0, cycle: 0, rejectedBy: new Set() });
  }

  /** Forgets a pod (deleted, bound by someone else, no longer ours). */
  delete(key: string): void {
    this.active.delete(key); // the heap entry is skipped lazily
    const b = this.backoff.get(key);
    if (b) {
      b.cancel();
      this.backoff.delete(key);
    }
    this.unschedule(key);
  }

  /** The next pod to schedule; waits while none is active; undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    const p = this.take();
    if (p || this.closed) return Promise.resolve(p);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The pod's attempt is over: it was bound (or dropped). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * The pod's attempt failed. It waits in the unschedulable pods, unless the cluster changed while it was being
   * tried (then it only backs off), or `retry` asks for a retry after backoff (an error, not a verdict).
   */
  addUnschedulable(p: QueuedPod, rejectedBy: Iterable<string>, retry = false): void {
    this.inFlight.delete(p.key);
    if (this.closed || this.has(p.key)) return;
    p.rejectedBy = new Set(rejectedBy);
    p.unschedulableSince = this.clock.monotonic();
    if (retry || this.moveRequestCycle >= p.cycle) this.requeue(p);
    else {
      this.unschedulable.set(p.key, p);
      for (const pl of p.rejectedBy) this.rejections.set(pl, (this.rejections.get(pl) ?? 0) + 1);
    }
  }

  /** Takes a pod out of the unschedulable pods, keeping the per-plugin counts. */
  private unschedule(key: string): QueuedPod | undefined {
    const p = this.unschedulable.get(key);
    if (!p) return undefined;
    this.unschedulable.delete(key);
    for (const pl of p.rejectedBy) {
      const n = (this.rejections.get(pl) ?? 0) - 1;
      if (n > 0) this.rejections.set(pl, n);
      else this.rejections.delete(pl);
    }
    return p;
  }

  /**
   * The cluster changed: unschedulable pods go back to be tried, after their backoff — all of them, or only those
   * rejected by one of `plugins`.
   */
  moveAllToActiveOrBackoff(plugins?: readonly string[]): void {
    this.moveRequestCycle = this.schedulingCycle;
    if (this.unschedulable.size === 0) return;
    if (plugins && !plugins.some((pl) => (this.rejections.get(pl) ?? 0) > 0)) return;
    for (const [key, p] of this.unschedulable) {
      if (plugins && !plugins.some((pl) => p.rejectedBy.has(pl))) continue;
      this.unschedule(key);
      this.requeue(p);
    }
  }

  /** Moves pods unschedulable for longer than the maximum back (kube-scheduler runs this every 30 s). */
  flushUnschedulableLeftover(): void {
    const now = this.clock.monotonic();
    for (const [key, p] of this.unschedulable) {
      if (now - (p.unschedulableSince ?? 0) < this.maxUnschedulableMs) continue;
      this.unschedule(key);
      this.requeue(p);
    }
  }

  /** Stops handing out pods; pending pops resolve undefined. */
  close(): void {
    this.closed = true;
    for (const b of this.backoff.values()) b.cancel();
    this.backoff.clear();
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r(undefined);
  }

  /** The backoff of a pod after `attempts` failures: 1 s, 2 s, 4 s, ... up to 10 s. */
  backoffMs(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts && d < this.maxBackoffMs; i++) d *= 2;
    return Math.min(d, this.maxBackoffMs);
  }

  private requeue(p: QueuedPod): void {
    const since = p.unschedulableSince ?? 0;
    const wait = since + this.backoffMs(p.attempts) - this.clock.monotonic();
    if (p.attempts === 0 || wait <= 0) {
      this.push(p);
      return;
    }
    const cancel = this.clock.setTimer(() => {
      this.backoff.delete(p.key);
      this.push(p);
    }, wait);
    this.backoff.set(p.key, { pod: p, cancel });
  }

  private push(p: QueuedPod): void {
    if (this.closed) return;
    const w = this.waiters.shift();
    if (w) {
      this.start(p);
      w(p);
      return;
    }
    this.active.set(p.key, p);
    this.heap.push(p);
    this.up(this.heap.length - 1);
  }

  private start(p: QueuedPod): void {
    this.schedulingCycle++;
    p.cycle = this.schedulingCycle;
    p.attempts++;
    this.inFlight.set(p.key, p);
  }

  private take(): QueuedPod | undefined {
    while (this.heap.length) {
      const top = this.heap[0]!;
      const last = this.heap.pop()!;
      if (this.heap.length) {
        this.heap[0] = last;
        this.down(0);
      }
      // A deleted (or re-added) entry is stale: only the one the map holds counts.
      if (this.active.get(top.key) !== top) continue;
      this.active.delete(top.key);
      this.start(top);
      return top;
    }
    return undefined;
  }

  private less(a: QueuedPod, b: QueuedPod): boolean {
    return a.priority !== b.priority ? a.priority > b.priority : a.timestamp < b.timestamp;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
