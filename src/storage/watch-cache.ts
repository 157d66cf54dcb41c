// The watch cache: every current key in memory, recent events in a ring, over any backend.
import { backoffDelay, silentLogger, systemClock, type Clock, type Logger } from '../util/index.js';
import type { Backend, KeyValue, ListOptions, ListResult, Watch, WatchCallback, WatchEvent } from './backend.js';
import { EventLog } from './event-log.js';
import { KeyIndex } from './key-index.js';
import { checkKey, checkRevision, closedError, compactedError } from './keys.js';
import { WatchHub } from './watch-hub.js';

/** Options of the watch cache. */
export interface WatchCacheOptions {
  /** Recent events kept for watches and reads at recent revisions (default 100,000). */
  maxEvents?: number;
  /** How long a read waits for the cache to reach the backend's revision before asking the backend (default 3 s). */
  syncTimeoutMs?: number;
  /** Keys per page of the initial list (default 10,000). */
  pageSize?: number;
  clock?: Clock;
  logger?: Logger;
}

interface Waiter {
  rev: number;
  resolve(reached: boolean): void;
}

/**
 * A Backend that serves reads and watches from memory over another backend, which it owns (closing the cache
 * closes it). At start it lists everything and watches from that revision; writes go to the backend and resolve
 * once the cache has applied their event, so a caller reads its own writes.
 *
 * Consistent reads: a read at the current revision first asks the backend for its revision and waits until the
 * cache has applied events up to it; only then does it answer from memory. For the local drivers the cache is
 * already there (they publish events before a write resolves), so this costs one call; for a remote backend it
 * is the wait for the watch to catch up, and when that takes longer than `syncTimeoutMs` (a revision moved by
 * keys the cache never sees) the read goes to the backend instead.
 *
 * Reads at an older revision are served from memory (current state with the ring's later changes undone) when
 * the ring still holds every event after that revision, and from the backend otherwise. The KeyValue objects of
 * unchanged keys stay the same instances, so callers can memoize decoded objects by KeyValue.
 */
export class WatchCache implements Backend {
  private index = new KeyIndex();
  private ring = new EventLog(0);
  private readonly hub: WatchHub;
  private rev = 0;
  private ready: Promise<void>;
  private isReady = false;
  private innerWatch: Watch | undefined;
  private generation = 0;
  private waiters: Waiter[] = [];
  private closed = false;
  private readonly maxEvents: number;
  private readonly syncTimeoutMs: number;
  private readonly pageSize: number;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(
    private readonly inner: Backend,
    opts: WatchCacheOptions = {},
  ) {
    this.maxEvents = Math.max(1, opts.maxEvents ?? 100_000);
    this.syncTimeoutMs = opts.syncTimeoutMs ?? 3000;
    this.pageSize = Math.max(1, opts.pageSize ?? 10_000);
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? silentLogger;
    this.hub = new WatchHub({
      revision: () => this.rev,
      replay: (prefix, from) => {
        if (from < this.ring.floor) throw compactedError(from, this.ring.floor);
        return this.ring.since(from, prefix);
      },
    });
    this.ready = this.startLoop();
  }

  /** Resolves once the initial list has been loaded (it never rejects; reads wait for it anyway). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.checkOpen();
    return this.applied(await this.inner.create(key, value));
  }

  async update(key: string, value: Uint8Array, expectedRevision?: number): Promise<KeyValue> {
    this.checkOpen();
    return this.applied(await this.inner.update(key, value, expectedRevision));
  }

  async delete(key: string, expectedRevision?: number): Promise<{ revision: number; prev: KeyValue }> {
    this.checkOpen();
    const r = await this.inner.delete(key, expectedRevision);
    await this.waitFor(r.revision, Infinity);
    // Hand back the cache's instance of the last value, as the delete event carries it.
    const i = this.ring.indexAfter(r.revision - 1);
    const e = i < this.ring.end ? this.ring.at(i) : undefined;
    return e && e.key === key && e.modRevision === r.revision && e.prev ? { revision: r.revision, prev: e.prev } : r;
  }

  async get(key: string, revision?: number): Promise<KeyValue | undefined> {
    this.checkOpen();
    checkKey(key);
    const rev = await this.servable(revision);
    if (rev === undefined) return this.inner.get(key, revision);
    if (rev === this.rev) return this.index.get(key);
    const older = this.ring.stateAt(key, rev);
    return older === null ? this.index.get(key) : older;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const rev = await this.servable(opts.revision);
    if (rev === undefined) return this.inner.list(prefix, opts);
    const limit = opts.limit && opts.limit >= 1 ? Math.floor(opts.limit) : Infinity;
    const overlay = rev === this.rev ? undefined : this.ring.overlay(rev, prefix);
    const page = this.index.list(prefix, opts.after, limit, overlay);
    return { items: page.items, revision: rev, more: page.more, remaining: page.remaining };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    return (await this.sync()) ? this.index.count(prefix) : this.inner.count(prefix);
  }

  watch(prefix: string, fromRevision: number, cb: WatchCallback): Watch {
    if (this.closed) {
      const done = Promise.reject(closedError());
      done.catch(() => {});
      return { cancel() {}, done };
    }
    if (this.isReady) return this.hub.watch(prefix, fromRevision, cb);
    // Not loaded yet: start the watch once the ring exists; cancelling before that ends it at once.
    let watch: Watch | undefined;
    let cancelled = false;
    let settle!: (p: Promise<void>) => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    done.catch(() => {});
    void this.ready.then(() => {
      if (cancelled) return;
      watch = this.watch(prefix, fromRevision, cb);
      settle(watch.done);
    });
    return {
      cancel: () => {
        cancelled = true;
        if (watch) watch.cancel();
        else settle(Promise.resolve());
      },
      done,
    };
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    await this.inner.compact(revision);
    await this.waitFor(revision, this.syncTimeoutMs);
    this.ring.dropThrough(Math.min(revision, this.rev));
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return (await this.sync()) ? this.rev : this.inner.currentRevision();
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    await this.ready;
    return this.ring.floor;
  }

  /** Stops the cache, ends its watches and closes the backend. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.generation++;
    this.innerWatch?.cancel();
    this.hub.closeAll(closedError());
    for (const w of this.waiters.splice(0)) w.resolve(false);
    await this.inner.close();
  }

  // The write's KeyValue as the cache holds it (same instance as later reads), once the cache has applied it.
  private async applied(kv: KeyValue): Promise<KeyValue> {
    await this.waitFor(kv.modRevision, Infinity);
    const cached = this.index.get(kv.key);
    return cached && cached.modRevision === kv.modRevision ? cached : kv;
  }

  /**
   * The revision a read can be answered at from memory, or undefined when it must go to the backend: the
   * current revision after catching up (no revision asked), or an explicit one the ring still covers.
   */
  private async servable(revision: number | undefined): Promise<number | undefined> {
    if (revision === undefined) return (await this.sync()) ? this.rev : undefined;
    checkRevision(revision);
    await this.ready;
    if (revision > this.rev) {
      // A revision the backend already has but the cache has not applied yet: wait for it (bounded).
      const current = await this.inner.currentRevision();
      if (revision > current || !(await this.waitFor(revision, this.syncTimeoutMs))) return undefined;
    }
    return revision >= this.ring.floor ? revision : undefined;
  }

  // Waits until the cache has applied everything the backend has committed; false when that took too long.
  private async sync(): Promise<boolean> {
    if (!this.isReady) await this.ready;
    const target = await this.inner.currentRevision();
    return this.rev >= target || this.waitFor(target, this.syncTimeoutMs);
  }

  private waitFor(rev: number, timeoutMs: number): Promise<boolean> {
    if (this.rev >= rev) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let cancel: (() => void) | undefined;
      const w: Waiter = {
        rev,
        resolve: (reached) => {
          cancel?.();
          resolve(reached);
        },
      };
      this.waiters.push(w);
      if (timeoutMs !== Infinity) {
        cancel = this.clock.setTimer(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          resolve(false);
        }, timeoutMs);
      }
    });
  }

  // Loads the cache, retrying with backoff until it succeeds or the cache is closed.
  private async startLoop(): Promise<void> {
    for (let failures = 0; !this.closed; failures++) {
      try {
        await this.load();
        return;
      } catch (err) {
        if (this.closed) return;
        this.log.warn('watch cache: loading failed, retrying', { error: String(err) });
        await new Promise<void>((r) => this.clock.setTimer(r, backoffDelay(failures, { baseMs: 100, maxMs: 5000 })));
      }
    }
  }

  // Lists every key at one revision, replaces the cached state (keeping instances of unchanged keys) and
  // watches from that revision.
  private async load(): Promise<void> {
    const gen = ++this.generation;
    const items: KeyValue[] = [];
    let page = await this.inner.list('', { limit: this.pageSize });
    const revision = page.revision;
    for (;;) {
      for (const kv of page.items) items.push(kv);
      const last = page.items[page.items.length - 1];
      if (!page.more || !last) break;
      page = await this.inner.list('', { limit: this.pageSize, revision, after: last.key });
    }
    if (gen !== this.generation) return;
    const index = new KeyIndex();
    for (const kv of items) {
      const old = this.index.get(kv.key);
      index.set(old && old.modRevision === kv.modRevision ? old : kv);
    }
    this.index = index;
    this.ring = new EventLog(revision);
    this.rev = revision;
    const w = this.inner.watch('', revision, (events) => {
      if (gen === this.generation) this.apply(events);
    });
    this.innerWatch = w;
    w.done.then(
      () => {},
      (err: unknown) => this.watchFailed(gen, err),
    );
    this.isReady = true;
    this.release();
  }

  // The backend's watch ended with an error: end our watchers (their history is broken) and load again.
  private watchFailed(gen: number, err: unknown): void {
    if (gen !== this.generation || this.closed) return;
    this.log.warn('watch cache: backend watch failed, reloading', { error: String(err) });
    this.isReady = false;
    this.hub.closeAll(err);
    this.ready = this.startLoop();
  }

  // Applies a batch from the backend: index first, then the ring, then our watchers, then waiting writes.
  private apply(events: WatchEvent[]): void {
    const out: WatchEvent[] = [];
    // New event objects: their `prev` must be the KeyValue instance the cache handed out, not the backend's copy.
    // The value too is the cache's own view of the backend's bytes: what readers memoize per value instance then
    // lives only as long as the cache holds it (see EventLog.detachSuperseded), not as long as the backend's
    // own recent-events buffer does.
    for (const e of events) {
      if (e.type === 'put') {
        const value = e.value.subarray();
        const prev = this.index.set({ key: e.key, value, createRevision: e.createRevision, modRevision: e.modRevision });
        const ev: WatchEvent = { type: 'put', key: e.key, value, createRevision: e.createRevision, modRevision: e.modRevision };
        if (prev) ev.prev = prev;
        out.push(ev);
      } else {
        const prev = this.index.delete(e.key) ?? e.prev;
        const ev: WatchEvent = { type: 'delete', key: e.key, value: e.value, createRevision: e.createRevision, modRevision: e.modRevision };
        if (prev) ev.prev = prev;
        out.push(ev);
      }
      this.rev = e.modRevision;
    }
    if (out.length === 0) return;
    this.ring.append(out);
    this.ring.trim(this.maxEvents);
    this.hub.publish(out);
    this.ring.detachSuperseded(out);
    this.release();
  }

  private release(): void {
    if (this.waiters.length === 0) return;
    const keep: Waiter[] = [];
    const due: Waiter[] = [];
    for (const w of this.waiters) (w.rev <= this.rev ? due : keep).push(w);
    this.waiters = keep;
    for (const w of due) w.resolve(true);
  }

  private checkOpen(): void {
    if (this.closed) throw closedError();
  }
}
