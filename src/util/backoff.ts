/** Exponential backoff: base * 2^failures, capped, with optional jitter in [0, jitter) of the delay. */
export function backoffDelay(failures: number, opts: { baseMs: number; maxMs: number; jitter?: number; random?: () => number }): number {
  const raw = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, failures));
  const j = opts.jitter ?? 0;
  return j > 0 ? raw * (1 + j * (opts.random ?? Math.random)()) : raw;
}
