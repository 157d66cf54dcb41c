// A window of recent events in revision order: history for reads at a revision and for resuming watches.
import type { KeyValue, WatchEvent } from './backend.js';

/**
 * Recent events in revision order, oldest dropped first. `floor` is the revision below which history is gone:
 * every event with a revision greater than `floor` is in the log (several events may share one revision).
 */
export class EventLog {
  private buf: WatchEvent[] = [];
  private head = 0;

  constructor(
    /** Every event after this revision is kept. */
    public floor: number,
  ) {}

  /** Number of events held. */
  get length(): number {
    return this.buf.length - this.head;
  }

  /** Revision of the newest event held, or `floor` when empty. */
  get last(): number {
    return this.length === 0 ? this.floor : (this.buf[this.buf.length - 1] as WatchEvent).modRevision;
  }

  /** Appends events; their revisions must not be lower than those already held. */
  append(events: readonly WatchEvent[]): void {
    for (const e of events) this.buf.push(e);
  }

  /** Index (for `at`) of the first event with a revision greater than `revision`. */
  indexAfter(revision: number): number {
    let lo = this.head;
    let hi = this.buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.buf[mid] as WatchEvent).modRevision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index one past the newest event. */
  get end(): number {
    return this.buf.length;
  }

  /** The event at an index from `indexAfter`. */
  at(i: number): WatchEvent {
    return this.buf[i] as WatchEvent;
  }

  /** Events after `revision` whose key starts with `prefix`, in order (a new array). */
  since(revision: number, prefix: string): WatchEvent[] {
    const out: WatchEvent[] = [];
    for (let i = this.indexAfter(revision); i < this.buf.length; i++) {
      const e = this.buf[i] as WatchEvent;
      if (e.key.startsWith(prefix)) out.push(e);
    }
    return out;
  }

  /**
   * Called once `events` (the last appended) have been handed to watchers: from then on the ring refers to every
   * value they superseded through a view of its own (same bytes, new identity), so that what readers memoize per
   * value instance (decoded objects, JSON) lives only as long as the value is current or in flight to a watcher.
   */
  detachSuperseded(events: readonly WatchEvent[]): void {
    for (const ev of events) {
      const prev = ev.prev;
      if (!prev) continue;
      // The event that wrote `prev`: its value (and its own prev) become views.
      const w = this.find((e) => e.key === prev.key && e.value === prev.value, prev.modRevision);
      if (w >= 0) this.buf[w] = withViews(this.buf[w] as WatchEvent, true);
      // The delete keeps the instance: the cache's delete hands it back as the deleted object.
      if (ev.type === 'put') {
        const i = this.find((e) => e === ev, ev.modRevision);
        if (i >= 0) this.buf[i] = withViews(ev, false);
      }
    }
  }

  // Index of the event at `revision` that `match` picks, or -1 when the ring no longer holds it.
  private find(match: (e: WatchEvent) => boolean, revision: number): number {
    for (let i = Math.max(this.head, this.indexAfter(revision - 1)); i < this.buf.length; i++) {
      const e = this.buf[i] as WatchEvent;
      if (e.modRevision !== revision) break;
      if (match(e)) return i;
    }
    return -1;
  }

  /** Drops every event at or below `revision` and raises `floor` to it. */
  dropThrough(revision: number): void {
    if (revision <= this.floor) return;
    this.head = Math.min(this.indexAfter(revision), this.buf.length);
    this.floor = revision;
    this.shrink();
  }

  /** Drops the oldest events until at most `max` are left, always dropping whole revisions. */
  trim(max: number): void {
    if (this.length <= max) return;
    const cut = this.buf[this.buf.length - max - 1] as WatchEvent; // the newest event that must go
    this.dropThrough(cut.modRevision);
  }

  /**
   * The state at `revision` of every key (with `prefix`) changed after it: the key's value before the first
   * later change, or undefined when the key did not exist then. Keys absent from the map are unchanged since.
   * The caller checks that `revision >= floor`.
   */
  overlay(revision: number, prefix: string): Map<string, KeyValue | undefined> {
    const m = new Map<string, KeyValue | undefined>();
    const start = this.indexAfter(revision);
    // Newest to oldest, so that the earliest change after `revision` is the one that stays in the map.
    for (let i = this.buf.length - 1; i >= start; i--) {
      const e = this.buf[i] as WatchEvent;
      if (e.key.startsWith(prefix)) m.set(e.key, e.prev);
    }
    return m;
  }

  /** The value of `key` at `revision` (>= floor) if it changed since, `null` when it did not change. */
  stateAt(key: string, revision: number): KeyValue | undefined | null {
    for (let i = this.indexAfter(revision); i < this.buf.length; i++) {
      const e = this.buf[i] as WatchEvent;
      if (e.key === key) return e.prev;
    }
    return null;
  }

  // Reclaims the dropped prefix of the array once it is at least half of it.
  private shrink(): void {
    if (this.head > 1024 && this.head * 2 > this.buf.length) {
      this.buf = this.buf.slice(this.head);
      this.head = 0;
    } else if (this.head === this.buf.length) {
      this.buf = [];
      this.head = 0;
    }
  }
}

// A copy of `e` whose prev value (and its value too when `value`) is a new view of the same bytes.
function withViews(e: WatchEvent, value: boolean): WatchEvent {
  const out: WatchEvent = { type: e.type, key: e.key, value: value ? e.value.subarray() : e.value, createRevision: e.createRevision, modRevision: e.modRevision };
  const p = e.prev;
  if (p) out.prev = { key: p.key, value: p.value.subarray(), createRevision: p.createRevision, modRevision: p.modRevision };
  return out;
}
