// Rate limiters of the work queue: how long a key waits before it is retried (client-go's workqueue rate limiters).
import { systemClock, type Clock } from '../../util/index.js';

/** Decides how long a failed key waits before it is handed out again. */
export interface RateLimiter {
  /** The delay before the next retry of `key`; each call counts one more failure. */
  when(key: string): number;
  /** Clears the failures of `key` (it succeeded, or is given up). */
  forget(key: string): void;
  /** How many failures of `key` are counted. */
  numRequeues(key: string): number;
}

/** Per-key exponential backoff: base·2^failures, capped (client-go's ItemExponentialFailureRateLimiter). */
export function exponentialFailureRateLimiter(baseMs: number, maxMs: number): RateLimiter {
  const failures = new Map<string, number>();
  return {
    when(key) {
      const n = failures.get(key) ?? 0;
      failures.set(key, n + 1);
      return Math.min(maxMs, baseMs * 2 ** n);
    },
    forget: (key) => void failures.delete(key),
    numRequeues: (key) => failures.get(key) ?? 0,
  };
}

/** An overall token bucket: `qps` retries a second with bursts of `burst` (client-go's BucketRateLimiter). */
export function bucketRateLimiter(opts: { qps: number; burst: number; clock?: Clock }): RateLimiter {
  const clock = opts.clock ?? systemClock;
  let tokens = opts.burst;
  let last = clock.monotonic();
  return {
    when() {
      const now = clock.monotonic();
      tokens = Math.min(opts.burst, tokens + ((now - last) * opts.qps) / 1000);
      last = now;
      // A reservation: tokens may go below zero, and the wait is how long the bucket takes to refill to zero.
      tokens -= 1;
      return tokens >= 0 ? 0 : (-tokens / opts.qps) * 1000;
    },
    forget() {},
    numRequeues: () => 0,
  };
}

/** The longest delay of several limiters (client-go's MaxOfRateLimiter). */
export function maxOfRateLimiter(...limiters: RateLimiter[]): RateLimiter {
  return {
    when: (key) => limiters.reduce((m, l) => Math.max(m, l.when(key)), 0),
    forget: (key) => limiters.forEach((l) => l.forget(key)),
    numRequeues: (key) => limiters.reduce((m, l) => Math.max(m, l.numRequeues(key)), 0),
  };
}

/** Controllers' default: per-key 5 ms doubling to 1000 s, and overall 10 qps with bursts of 100, as client-go. */
export function defaultControllerRateLimiter(clock: Clock = systemClock): RateLimiter {
  return maxOfRateLimiter(exponentialFailureRateLimiter(5, 1000_000), bucketRateLimiter({ qps: 10, burst: 100, clock }));
}
