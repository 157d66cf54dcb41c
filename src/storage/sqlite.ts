// The SQLite driver: a kine-like MVCC table in one file, owned by one process, with group commit.
import Database from 'better-sqlite3';
import { StorageError, type Backend, type KeyValue, type ListOptions, type ListResult, type Watch, type WatchCallback, type WatchEvent } from './backend.js';
import { EventLog } from './event-log.js';
import {
  alreadyExistsError,
  checkKey,
  checkRevision,
  checkWrite,
  closedError,
  compactedError,
  compareKeys,
  conflictError,
  defaultMaxValueBytes,
  futureRevisionError,
  notFoundError,
  prefixEnd,
} from './keys.js';
import { prepareDatabase, type EventRow, type Row, type Statements } from './sqlite-schema.js';
import { WatchHub } from './watch-hub.js';

/** Options of the SQLite driver. */
export interface SqliteBackendOptions {
  /** Past revisions kept in the table for reads at a revision and watch resume (default 10,000). */
  historyLimit?: number;
  /** Recent events kept in memory to resume watches without reading the table (default 10,000). */
  eventBufferSize?: number;
  /** Largest value accepted, in bytes (default 1.5 MiB, as etcd). */
  maxValueBytes?: number;
}

type Outcome = KeyValue | { revision: number; prev: KeyValue } | StorageError;

interface Op {
  kind: 'create' | 'update' | 'delete';
  key: string;
  value: Uint8Array | null;
  expected: number | undefined;
  resolve(result: Outcome): void;
  reject(err: StorageError): void;
}

// Revisions compacted per transaction, so that a large compaction never blocks the event loop for long.
const compactStep = 2_000;

/**
 * A Backend in one SQLite file (WAL, synchronous=FULL, exclusive lock).
 *
 * Group commit: a write is queued and its promise stays pending; the queue is committed in one transaction at
 * the next `setImmediate`, so every write requested in the same tick, or while the previous commit ran, shares
 * one fsync. Each write in the batch is checked against the state the earlier ones left (same key twice in a
 * batch works), a failed check rejects only that write, and an SQLite failure rolls the whole batch back and
 * rejects all of it. Only after COMMIT returns are the events published to watchers and the promises resolved:
 * an acknowledged write is on disk and survives kill -9.
 */
export class SqliteBackend implements Backend {
  private readonly db: Database.Database;
  private readonly st: Statements;
  private readonly hub: WatchHub;
  private readonly buffer: EventLog;
  private readonly historyLimit: number;
  private readonly bufferSize: number;
  private readonly maxValueBytes: number;
  private rev: number;
  private compactRev: number;
  private queue: Op[] = [];
  private flushScheduled = false;
  private compacting: Promise<void> = Promise.resolve();
  private compactTarget = 0;
  private closed = false;
  private readonly commitBatch: (batch: Op[], out: Outcome[], events: WatchEvent[]) => void;

  /** Opens (or creates) the database file; throws an Unavailable StorageError when it cannot. */
  constructor(path: string, opts: SqliteBackendOptions = {}) {
    this.historyLimit = Math.max(1, opts.historyLimit ?? 10_000);
    this.bufferSize = Math.max(0, opts.eventBufferSize ?? 10_000);
    this.maxValueBytes = opts.maxValueBytes ?? defaultMaxValueBytes;
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { timeout: 1000 });
      this.st = prepareDatabase(db);
      this.compactRev = this.st.getMeta.get('compact_revision')?.value ?? 0;
      // Revision 1 is the empty store, as in etcd; continue after the newest row or the revision saved by compaction.
      this.rev = Math.max(1, this.st.maxId.get()?.id ?? 0, this.st.getMeta.get('revision')?.value ?? 0, this.compactRev);
    } catch (err) {
      db?.close();
      throw storageError(err, `cannot open sqlite database ${path}`);
    }
    this.db = db;
    this.buffer = new EventLog(this.rev);
    this.commitBatch = db.transaction((batch: Op[], out: Outcome[], events: WatchEvent[]) => this.apply(batch, out, events));
    this.hub = new WatchHub({ revision: () => this.rev, replay: (prefix, from) => this.replay(prefix, from) });
  }

  create(key: string, value: Uint8Array): Promise<KeyValue> {
    return this.enqueue('create', key, value, undefined) as Promise<KeyValue>;
  }

  update(key: string, value: Uint8Array, expectedRevision?: number): Promise<KeyValue> {
    return this.enqueue('update', key, value, expectedRevision) as Promise<KeyValue>;
  }

  delete(key: string, expectedRevision?: number): Promise<{ revision: number; prev: KeyValue }> {
    return this.enqueue('delete', key, null, expectedRevision) as Promise<{ revision: number; prev: KeyValue }>;
  }

  async get(key: string, revision?: number): Promise<KeyValue | undefined> {
    this.checkOpen();
    checkKey(key);
    const rev = this.readRevision(revision);
    const row = this.guard(() => this.st.latest.get(key, rev));
    return row && row.deleted === 0 ? toKeyValue(row) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const rev = this.readRevision(opts.revision);
    const limit = opts.limit && opts.limit >= 1 ? Math.floor(opts.limit) : 0;
    // The first key after `after` is `after` + NUL: one lower bound serves both the prefix and the page start.
    const lo = opts.after !== undefined && compareKeys(opts.after, prefix) >= 0 ? opts.after + '\0' : prefix;
    const hi = prefixEnd(prefix);
    const rows = this.guard(() =>
      hi === undefined
        ? this.st.listAll.all({ lo, rev, limit: limit ? limit + 1 : -1 })
        : this.st.list.all({ lo, hi, rev, limit: limit ? limit + 1 : -1 }),
    );
    const more = limit > 0 && rows.length > limit;
    if (more) rows.pop();
    return { items: rows.map(toKeyValue), revision: rev, more };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    const hi = prefixEnd(prefix);
    const rev = this.rev;
    const row = this.guard(() => (hi === undefined ? this.st.countAll.get({ lo: prefix, rev }) : this.st.count.get({ lo: prefix, hi, rev })));
    return row?.n ?? 0;
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
    return this.compactTo(revision);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.rev;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compactRev;
  }

  /** Commits the writes still queued, ends every watch and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Closed first, so that writes issued by watchers during this last commit are refused, not left queued.
    this.closed = true;
    this.flush();
    await this.compacting.catch(() => {});
    this.hub.closeAll(closedError());
    try {
      this.db.close();
    } catch {
      // Closing can only fail when the file is already unusable; there is nothing left to save.
    }
  }

  private enqueue(kind: Op['kind'], key: string, value: Uint8Array | null, expected: number | undefined): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.checkOpen();
      if (kind === 'delete') checkKey(key);
      else checkWrite(key, value, this.maxValueBytes);
      if (expected !== undefined) checkRevision(expected);
      this.queue.push({ kind, key, value, expected, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  // Commits the queued writes as one transaction, then publishes their events and settles their promises.
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const before = this.rev;
    const out: Outcome[] = new Array<Outcome>(batch.length);
    const events: WatchEvent[] = [];
    try {
      this.commitBatch(batch, out, events);
    } catch (err) {
      this.rev = before; // the transaction was rolled back: its revisions were never used
      const e = storageError(err, 'sqlite commit failed');
      for (const op of batch) op.reject(e);
      return;
    }
    if (events.length > 0) {
      this.buffer.append(events);
      this.buffer.trim(this.bufferSize);
      this.hub.publish(events);
    }
    for (let i = 0; i < batch.length; i++) {
      const r = out[i] as Outcome;
      if (r instanceof StorageError) (batch[i] as Op).reject(r);
      else (batch[i] as Op).resolve(r);
    }
    // Compact in steps of whole chunks (not a few rows after every commit) once history is over the limit.
    if (this.rev - this.compactRev >= this.historyLimit + Math.min(compactStep, this.historyLimit)) {
      void this.compactTo(this.rev - this.historyLimit).catch(() => {});
    }
  }

  // Runs inside the transaction: checks and writes each queued op in order.
  private apply(batch: Op[], out: Outcome[], events: WatchEvent[]): void {
    for (let i = 0; i < batch.length; i++) {
      const op = batch[i] as Op;
      const row = this.st.latest.get(op.key, Number.MAX_SAFE_INTEGER);
      const cur = row && row.deleted === 0 ? toKeyValue(row) : undefined;
      if (op.kind === 'create') {
        if (cur) {
          out[i] = alreadyExistsError(op.key);
          continue;
        }
        const rev = ++this.rev;
        const value = op.value as Uint8Array;
        this.st.insert.run(rev, op.key, rev, 0, 0, value);
        out[i] = { key: op.key, value, createRevision: rev, modRevision: rev };
        events.push({ type: 'put', key: op.key, value, createRevision: rev, modRevision: rev });
        continue;
      }
      if (!cur) {
        out[i] = notFoundError(op.key);
        continue;
      }
      if (op.expected !== undefined && op.expected !== cur.modRevision) {
        out[i] = conflictError(op.key, op.expected, cur);
        continue;
      }
      const rev = ++this.rev;
      if (op.kind === 'update') {
        const value = op.value as Uint8Array;
        this.st.insert.run(rev, op.key, cur.createRevision, cur.modRevision, 0, value);
        out[i] = { key: op.key, value, createRevision: cur.createRevision, modRevision: rev };
        events.push({ type: 'put', key: op.key, value, createRevision: cur.createRevision, modRevision: rev, prev: cur });
      } else {
        this.st.insert.run(rev, op.key, cur.createRevision, cur.modRevision, 1, null);
        out[i] = { revision: rev, prev: cur };
        events.push({ type: 'delete', key: op.key, value: cur.value, createRevision: cur.createRevision, modRevision: rev, prev: cur });
      }
    }
  }

  // Events for a new watch: from memory when recent enough, else from the table (history not yet compacted).
  private replay(prefix: string, from: number): WatchEvent[] {
    if (this.closed) throw closedError();
    if (from < this.compactRev) throw compactedError(from, this.compactRev);
    if (from >= this.buffer.floor) return this.buffer.since(from, prefix);
    const hi = prefixEnd(prefix);
    const rows = this.guard(() => (hi === undefined ? this.st.eventsAll.all({ from, lo: prefix }) : this.st.events.all({ from, lo: prefix, hi })));
    return rows.map(toEvent);
  }

  // Compacts up to `target` in steps of `compactStep` revisions, one transaction each, yielding in between.
  private compactTo(target: number): Promise<void> {
    if (target <= this.compactTarget) return this.compacting;
    this.compactTarget = target;
    const run = async () => {
      while (this.compactRev < target && !this.closed) {
        const old = this.compactRev;
        const rev = Math.min(target, old + compactStep);
        this.guard(() =>
          this.db.transaction(() => {
            this.st.dropSuperseded.run({ old, rev });
            this.st.dropTombstones.run({ old, rev });
            this.st.setMeta.run('compact_revision', rev);
            // The newest row may be a tombstone that just went: keep the revision to continue from.
            this.st.setMeta.run('revision', this.rev);
          })(),
        );
        this.compactRev = rev;
        if (rev < target) await new Promise((r) => setImmediate(r));
      }
    };
    this.compacting = this.compacting.then(run, run);
    return this.compacting;
  }

  private readRevision(revision: number | undefined): number {
    if (revision === undefined) return this.rev;
    checkRevision(revision);
    if (revision > this.rev) throw futureRevisionError(revision, this.rev);
    if (revision < this.compactRev) throw compactedError(revision, this.compactRev);
    return revision;
  }

  // Runs an SQLite call, turning its failures into StorageErrors.
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw storageError(err, 'sqlite');
    }
  }

  private checkOpen(): void {
    if (this.closed) throw closedError();
  }
}

function toKeyValue(row: Row): KeyValue {
  return { key: row.name, value: row.value ?? new Uint8Array(0), createRevision: row.cr, modRevision: row.id };
}

function toEvent(row: EventRow): WatchEvent {
  const prev: KeyValue | undefined =
    row.pid === null ? undefined : { key: row.name, value: row.pvalue ?? new Uint8Array(0), createRevision: row.pcr ?? row.cr, modRevision: row.pid };
  const value = row.deleted ? (prev?.value ?? new Uint8Array(0)) : (row.value ?? new Uint8Array(0));
  const e: WatchEvent = { type: row.deleted ? 'delete' : 'put', key: row.name, value, createRevision: row.cr, modRevision: row.id };
  if (prev) e.prev = prev;
  return e;
}

// SQLite failures become Unavailable (TooLarge for values over SQLite's own limit); StorageErrors pass through.
function storageError(err: unknown, context: string): StorageError {
  if (err instanceof StorageError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return new StorageError(code === 'SQLITE_TOOBIG' ? 'TooLarge' : 'Unavailable', `${context}: ${msg}`);
}
