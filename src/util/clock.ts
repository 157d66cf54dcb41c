/** A source of time, passed in so tests can control it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Monotonic milliseconds, for measuring durations. */
  monotonic(): number;
  /** Calls `fn` after `ms`; the returned function cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer(fn, ms) {
    // Node fires a timeout longer than 2^31-1 ms at once (with a warning): wait in steps up to that.
    let t: ReturnType<typeof setTimeout>;
    const arm = (left: number) => {
      t = setTimeout(left > maxTimeoutMs ? () => arm(left - maxTimeoutMs) : fn, Math.min(left, maxTimeoutMs));
      t.unref?.();
    };
    arm(ms);
    return () => clearTimeout(t);
  },
};

const maxTimeoutMs = 2 ** 31 - 1;

/** A clock that only moves when told to; timers fire in order as time advances. */
export class FakeClock implements Clock {
  private t: number;
  private mono = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  monotonic(): number {
    return this.mono;
  }
  setTimer(fn: () => void, ms: number): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.mono + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((x) => x.id !== id);
    };
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t += next.at - this.mono;
      this.mono = next.at;
      next.fn();
    }
    this.t += end - this.mono;
    this.mono = end;
  }
}

/** RFC 3339 with second precision, as Kubernetes writes metav1.Time. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** RFC 3339 with microseconds, as Kubernetes writes metav1.MicroTime. */
export function rfc3339Micro(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-01T00:00:00.123Z
  return iso.slice(0, 23) + '000Z';
}
