// The work queue of a controller: string keys, deduplicated, never handed to two workers at once, with delayed
// and rate-limited adds (client-go's workqueue: a FIFO with dirty and processing sets, a delaying and a rate
// limiting layer).
import { systemClock, type Clock } from '../../util/index.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

/** How a work queue is built. */
export interface WorkQueueOptions {
  clock?: Clock;
  /** Delays of `addRateLimited` (default: defaultControllerRateLimiter). */
  rateLimiter?: RateLimiter;
}

/**
 * A queue of keys to reconcile. A key added many times before a worker takes it is handed out once; a key added
 * while a worker holds it is handed out again once that worker calls `done`. Workers loop on `get` until it
 * resolves undefined (the queue was shut down and is empty).
 */
export class WorkQueue {
  private items: string[] = [];
  private head = 0;
  // Keys waiting to be handed out (queued, or to be queued again when their worker is done).
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private getters: ((key: string | undefined) => void)[] = [];
  private readonly delayed = new Map<string, { at: number; cancel: () => void }>();
  private drainers: (() => void)[] = [];
  private shutting = false;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter;

  constructor(opts: WorkQueueOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter(this.clock);
  }

  /** Queues a key (ignored after shutdown, and when it is already waiting). */
  add(key: string): void {
    if (this.shutting || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // queued again by `done`
    this.enqueue(key);
  }

  /** Queues a key after `ms`; an earlier pending add of the same key wins over a later one. */
  addAfter(key: string, ms: number): void {
    if (this.shutting) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.monotonic() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    pending?.cancel();
    const cancel = this.clock.setTimer(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, cancel });
  }

  /** Queues a key after its rate limiter's delay (one more failure counted). */
  addRateLimited(key: string): void {
    this.addAfter(key, this.limiter.when(key));
  }

  /** Forgets a key's failures, so its next rate-limited add starts from the shortest delay. */
  forget(key: string): void {
    this.limiter.forget(key);
  }

  /** How many failures of a key are counted. */
  numRequeues(key: string): number {
    return this.limiter.numRequeues(key);
  }

  /** The next key (the caller must call `done` with it), or undefined once shut down and empty. */
  get(): Promise<string | undefined> {
    if (this.head < this.items.length) return Promise.resolve(this.take());
    if (this.shutting) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks a key processed; if it was added meanwhile it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.enqueue(key);
    this.checkDrained();
  }

  /** Keys waiting to be handed out. */
  len(): number {
    return this.items.length - this.head;
  }

  /** True once shut down. */
  get shuttingDown(): boolean {
    return this.shutting;
  }

  /** Stops taking keys and drops pending delayed adds; keys already queued are still handed out, then `get` ends. */
  shutDown(): void {
    if (this.shutting) return;
    this.shutting = true;
    for (const d of this.delayed.values()) d.cancel();
    this.delayed.clear();
    if (this.len() === 0) {
      const getters = this.getters;
      this.getters = [];
      for (const g of getters) g(undefined);
    }
    this.checkDrained();
  }

  /** Shuts down and resolves once every queued key has been handed out and every worker is done. */
  shutDownWithDrain(): Promise<void> {
    const p = new Promise<void>((resolve) => this.drainers.push(resolve));
    this.shutDown();
    this.checkDrained();
    return p;
  }

  private enqueue(key: string): void {
    const getter = this.getters.shift();
    if (getter) {
      this.dirty.delete(key);
      this.processing.add(key);
      getter(key);
      return;
    }
    this.items.push(key);
  }

  private take(): string {
    const key = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private checkDrained(): void {
    if (!this.shutting) return;
    // Nothing left to hand out: waiting workers end.
    if (this.len() === 0 && this.getters.length) {
      const getters = this.getters;
      this.getters = [];
      for (const g of getters) g(undefined);
    }
    if (this.len() === 0 && this.processing.size === 0 && this.drainers.length) {
      const drainers = this.drainers;
      this.drainers = [];
      for (const d of drainers) d();
    }
  }
}
