// The in-memory driver: for tests and for `--storage memory` (nothing survives the process).
import type { Backend, KeyValue, ListOptions, ListResult, Watch, WatchCallback, WatchEvent } from './backend.js';
import { EventLog } from './event-log.js';
import { KeyIndex } from './key-index.js';
import {
  alreadyExistsError,
  checkKey,
  checkRevision,
  checkWrite,
  closedError,
  compactedError,
  conflictError,
  defaultMaxValueBytes,
  futureRevisionError,
  notFoundError,
} from './keys.js';
import { WatchHub } from './watch-hub.js';

/** Options of the memory driver. */
export interface MemoryBackendOptions {
  /** Past revisions kept for reads at a revision and for resuming watches; older ones are compacted (default 10,000). */
  historyLimit?: number;
  /** Largest value accepted, in bytes (default 1.5 MiB, as etcd). */
  maxValueBytes?: number;
}

/** A Backend held in memory: current values in an ordered index, history as a window of recent events. */
export class MemoryBackend implements Backend {
  private readonly index = new KeyIndex();
  // Every write is one revision and one event, so the history log is also the revision log.
  private readonly history = new EventLog(0);
  private readonly hub: WatchHub;
  private readonly historyLimit: number;
  private readonly maxValueBytes: number;
  // An empty store is at revision 1, as etcd: the first write gets 2, so no object ever has resourceVersion "0".
  private rev = 1;
  private closed = false;

  constructor(opts: MemoryBackendOptions = {}) {
    this.historyLimit = Math.max(1, opts.historyLimit ?? 10_000);
    this.maxValueBytes = opts.maxValueBytes ?? defaultMaxValueBytes;
    this.hub = new WatchHub({
      revision: () => this.rev,
      replay: (prefix, from) => {
        if (from < this.history.floor) throw compactedError(from, this.history.floor);
        return this.history.since(from, prefix);
      },
    });
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.checkOpen();
    checkWrite(key, value, this.maxValueBytes);
    if (this.index.get(key)) throw alreadyExistsError(key);
    const rev = ++this.rev;
    const kv: KeyValue = { key, value, createRevision: rev, modRevision: rev };
    this.index.set(kv);
    this.commit({ type: 'put', key, value, createRevision: rev, modRevision: rev });
    return kv;
  }

  async update(key: string, value: Uint8Array, expectedRevision?: number): Promise<KeyValue> {
    this.checkOpen();
    checkWrite(key, value, this.maxValueBytes);
    const prev = this.current(key, expectedRevision);
    const rev = ++this.rev;
    const kv: KeyValue = { key, value, createRevision: prev.createRevision, modRevision: rev };
    this.index.set(kv);
    this.commit({ type: 'put', key, value, createRevision: prev.createRevision, modRevision: rev, prev });
    return kv;
  }

  async delete(key: string, expectedRevision?: number): Promise<{ revision: number; prev: KeyValue }> {
    this.checkOpen();
    checkKey(key);
    const prev = this.current(key, expectedRevision);
    const rev = ++this.rev;
    this.index.delete(key);
    this.commit({ type: 'delete', key, value: prev.value, createRevision: prev.createRevision, modRevision: rev, prev });
    return { revision: rev, prev };
  }

  async get(key: string, revision?: number): Promise<KeyValue | undefined> {
    this.checkOpen();
    checkKey(key);
    const rev = this.readRevision(revision);
    if (rev === this.rev) return this.index.get(key);
    const older = this.history.stateAt(key, rev);
    return older === null ? this.index.get(key) : older;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const rev = this.readRevision(opts.revision);
    const limit = opts.limit && opts.limit >= 1 ? Math.floor(opts.limit) : Infinity;
    const overlay = rev === this.rev ? undefined : this.history.overlay(rev, prefix);
    const page = this.index.list(prefix, opts.after, limit, overlay);
    return { items: page.items, revision: rev, more: page.more, remaining: page.remaining };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    return this.index.count(prefix);
  }

  watch(prefix: string, fromRevision: number, cb: WatchCallback): Watch {
    if (this.closed) {
      const done = Promise.reject(closedError());
      done.catch(() => {});
      return { cancel() {}, done };
    }
    return this.hub.watch(prefix, fromRevision, cb);
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    checkRevision(revision);
    if (revision > this.rev) throw futureRevisionError(revision, this.rev);
    this.history.dropThrough(revision);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.rev;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.history.floor;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll(closedError());
  }

  // The key's current KeyValue, checked against the caller's expected revision.
  private current(key: string, expectedRevision: number | undefined): KeyValue {
    const cur = this.index.get(key);
    if (!cur) throw notFoundError(key);
    if (expectedRevision !== undefined && cur.modRevision !== expectedRevision) throw conflictError(key, expectedRevision, cur);
    return cur;
  }

  // Records the write's event, trims history to the limit, and tells the watchers before the write resolves.
  private commit(event: WatchEvent): void {
    this.history.append([event]);
    if (this.rev - this.history.floor > this.historyLimit) this.history.dropThrough(this.rev - this.historyLimit);
    this.hub.publish([event]);
  }

  private readRevision(revision: number | undefined): number {
    if (revision === undefined) return this.rev;
    checkRevision(revision);
    if (revision > this.rev) throw futureRevisionError(revision, this.rev);
    if (revision < this.history.floor) throw compactedError(revision, this.history.floor);
    return revision;
  }

  private checkOpen(): void {
    if (this.closed) throw closedError();
  }
}
