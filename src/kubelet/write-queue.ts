// A small write scheduler shared by every kubelet of a process: at most N writes in flight, one per key at a time,
// and a key scheduled again while queued or in flight runs once more with the newest state (writes coalesce).
import type { Logger } from '../util/index.js';

/** Runs keyed async jobs with bounded concurrency, coalescing repeats of a key. */
export class WriteQueue {
  private readonly queued = new Map<string, () => Promise<void>>();
  private readonly inFlight = new Set<string>();
  private readonly again = new Map<string, () => Promise<void>>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly maxInFlight: number,
    private readonly logger: Logger,
  ) {}

  /** Schedules `job` for `key`; a job already waiting for that key is replaced (it would write older state). */
  schedule(key: string, job: () => Promise<void>): void {
    if (this.inFlight.has(key)) {
      this.again.set(key, job);
      return;
    }
    this.queued.set(key, job);
    this.pump();
  }

  /** Jobs waiting or running. */
  get size(): number {
    return this.queued.size + this.running + this.again.size;
  }

  /** Resolves when nothing is waiting or running (tests). */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    while (this.running < this.maxInFlight && this.queued.size > 0) {
      const [key, job] = this.queued.entries().next().value as [string, () => Promise<void>];
      this.queued.delete(key);
      this.inFlight.add(key);
      this.running++;
      void job()
        .catch((e: unknown) => this.logger.warn('write failed', { key, error: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          this.running--;
          this.inFlight.delete(key);
          const next = this.again.get(key);
          if (next) {
            this.again.delete(key);
            this.queued.set(key, next);
          }
          this.pump();
          if (this.size === 0) for (const w of this.idleWaiters.splice(0)) w();
        });
    }
  }
}
