// The storage seam: keys, byte values and revisions. Nothing here knows about Kubernetes.

/** One stored key at one revision. Values are immutable once handed out: never mutate `value`. */
export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision of the write that created the key (its current incarnation). */
  createRevision: number;
  /** Revision of the last write to the key: the object's resourceVersion. */
  modRevision: number;
}

/** One change seen by a watcher. For `delete`, `value` is the last value before deletion and `modRevision` the revision of the delete. */
export interface WatchEvent {
  type: 'put' | 'delete';
  key: string;
  value: Uint8Array;
  createRevision: number;
  modRevision: number;
  /** The value before this change (absent for a create). */
  prev?: KeyValue;
}

/** Options of a list. */
export interface ListOptions {
  /** At most this many items; 0 or absent means no limit. */
  limit?: number;
  /** Start strictly after this key (pagination). */
  after?: string;
  /** Read at this revision (a consistent snapshot); absent means the current revision. */
  revision?: number;
}

/** The result of a list: items in key order, the revision read at, and whether more keys follow. */
export interface ListResult {
  items: KeyValue[];
  revision: number;
  more: boolean;
  /** How many keys remain after this page, when the backend knows cheaply. */
  remaining?: number;
}

/** Receives batches of events in revision order. */
export type WatchCallback = (events: WatchEvent[]) => void;

/** A live watch; `done` resolves when the watch ends (cancelled, or failed with `error`). */
export interface Watch {
  cancel(): void;
  readonly done: Promise<void>;
}

/** Error codes every backend uses; the API server maps them to Status errors in one function. */
export type StorageErrorCode = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Compacted' | 'Unavailable' | 'TooLarge';

/** A storage failure with a stable code. */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    /** For Conflict: the current state of the key; for Compacted: the oldest revision still available. */
    readonly current?: KeyValue,
    readonly compactRevision?: number,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/**
 * A storage backend: a revisioned key-value store, like etcd's v3 API reduced to what an API server needs.
 *
 * Contract:
 * - Every successful write gets a new revision, strictly greater than every earlier one; revisions are global
 *   across all keys. A write's promise resolves only once the write is durable (it survives a crash of the process).
 * - `create` fails with AlreadyExists if the key exists; `update` and `delete` fail with NotFound if it does not and,
 *   when `expectedRevision` is given, with Conflict (carrying the current KeyValue) if the key's modRevision differs.
 * - `list` returns keys with the prefix in byte order, consistent at one revision. A `revision` older than the last
 *   compaction fails with Compacted.
 * - `watch(prefix, fromRevision, cb)` delivers, in revision order and exactly once, every change to keys with the
 *   prefix whose revision is greater than `fromRevision`. A `fromRevision` older than the compacted history fails
 *   the watch with Compacted (the returned `done` rejects). Events for a write are delivered before (or at the latest
 *   in the same tick as) that write's promise resolves, so a watcher started before a write always sees it.
 * - `compact(revision)` drops history at or below `revision`; current values are kept.
 */
export interface Backend {
  create(key: string, value: Uint8Array): Promise<KeyValue>;
  get(key: string, revision?: number): Promise<KeyValue | undefined>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Counts keys under a prefix at the current revision. */
  count(prefix: string): Promise<number>;
  update(key: string, value: Uint8Array, expectedRevision?: number): Promise<KeyValue>;
  delete(key: string, expectedRevision?: number): Promise<{ revision: number; prev: KeyValue }>;
  watch(prefix: string, fromRevision: number, cb: WatchCallback): Watch;
  compact(revision: number): Promise<void>;
  currentRevision(): Promise<number>;
  /** The oldest revision still available for reads and watches (0 when nothing was compacted). */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}
