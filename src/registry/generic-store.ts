// The one generic store: every resource (built-in or custom) is this store plus a ResourceStrategy.
//
// Write order, for every resource: (mutating admission, done by the caller) → defaults → prepare → validate
// (every field error collected) → canonicalize → (validating admission, a hook passed in) → storage.
// Reads are served from the backend (normally the watch cache) at a revision; objects are decoded once per
// revision and shared, so nothing here mutates a decoded object without cloning it first.
import { randomUUID } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '../api/index.js';
import { apiVersionOf } from '../api/index.js';
import type { Backend, KeyValue, WatchEvent } from '../storage/backend.js';
import { StorageError } from '../storage/backend.js';
import type { Clock } from '../util/index.js';
import { deepFreeze, freezeShared, rfc3339 } from '../util/index.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  dropEmptyMetadataFields,
  expired,
  invalid,
  notFound,
  StatusError,
  tooOldResourceVersion,
  unavailable,
  type FieldError,
} from '../machinery/index.js';
import { cloneObject, decodeObject, encodeObject, frame, framedObjectJson, objectJson, objectJsonBytes, ownedBytes, transientObjectJson } from './codec.js';
import { builtinDefinitions, type OpenApiSchema } from '../api/generated/index.js';
import { builtinType, customResourceType, resetFields, updateManagedFields, type FieldSet, type SsaType } from '../machinery/managed-fields/index.js';
import type { ResourceStrategy, StrategyContext } from './strategy.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { deepEqualJson, specChanged } from './compare.js';

/** One stored revision of an object: decode it with `store.object(ref)`, serialize it with `store.json(ref)`. */
export interface ObjectRef {
  value: Uint8Array;
  rv: number;
}

/** Chooses which objects a list or watch returns (label and field selectors, compiled by the caller). */
export type ObjectFilter = (obj: KubeObject) => boolean;

/** Options of a list. */
export interface StoreListOptions {
  namespace?: string | undefined;
  filter?: ObjectFilter | undefined;
  limit?: number | undefined;
  continue?: string | undefined;
  resourceVersion?: string | undefined;
  resourceVersionMatch?: string | undefined;
}

/** A page of a list, consistent at `resourceVersion`. */
export interface StoreListResult {
  items: ObjectRef[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Options of a watch. */
export interface StoreWatchOptions {
  namespace?: string | undefined;
  filter?: ObjectFilter | undefined;
  resourceVersion?: string | undefined;
  resourceVersionMatch?: string | undefined;
  sendInitialEvents?: boolean | undefined;
  allowBookmarks?: boolean | undefined;
  /** How often to send a bookmark when bookmarks are allowed (ms). */
  bookmarkEveryMs?: number;
  signal: AbortSignal;
}

/** One watch event; `ref` is absent for BOOKMARK and ERROR. */
export type StoreWatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; ref: ObjectRef }
  | { type: 'BOOKMARK'; rv: number; initialEventsEnd?: boolean }
  | { type: 'ERROR'; error: StatusError };

/** Where a pushed watch delivers (`GenericStore.subscribe`). */
export interface WatchSink {
  event(e: StoreWatchEvent): void;
  end(): void;
}

/** Options shared by writes. */
export interface WriteOptions {
  dryRun?: boolean;
  /** The field manager recorded in managedFields (the request's `fieldManager`, else one derived from its user agent). */
  fieldManager?: string | undefined;
  /** The object already carries its managedFields (server-side apply computed them): record nothing more. */
  managedFieldsSet?: boolean;
  /** Called after the strategy validated the object, before it is stored (validating admission). */
  validate?: ((obj: KubeObject, old: KubeObject | undefined) => Promise<void> | void) | undefined;
}

/** Options of an update. */
export interface UpdateOptions extends WriteOptions {
  /** Which rules apply: the main resource or a subresource such as `status` (or a namespace's `finalize`). */
  subresource?: 'status' | 'finalize' | undefined;
  /** Allow creating the object when it does not exist (apply patches and some resources). */
  allowCreate?: boolean;
  /** The subresource the write came through, as managedFields record it (`scale` writes the main resource). */
  recordAsSubresource?: string;
}

/** Options of a delete (the parts of DeleteOptions the store honours). */
export interface DeleteOptions {
  dryRun?: boolean;
  preconditions?: { uid?: string | undefined; resourceVersion?: string | undefined } | undefined;
}

/** The generic-store-wide rules every resource gets (metadata validation), supplied by the API server. */
export interface MetaValidator {
  create(obj: KubeObject, namespaced: boolean, strategy: ResourceStrategy): FieldError[];
  update(obj: KubeObject, old: KubeObject, namespaced: boolean, strategy: ResourceStrategy): FieldError[];
}

/**
 * Work with side effects that a resource needs before it is stored and that a stateless strategy cannot do
 * (a Service's cluster IP and node ports). Called after validation, on a private copy; may change the object
 * or throw a StatusError. Not called under dryRun.
 */
export type StoreHook = (obj: KubeObject, old: KubeObject | undefined) => Promise<void>;

/** What the store needs besides its strategy. */
export interface GenericStoreOptions {
  backend: Backend;
  strategy: ResourceStrategy;
  clock: Clock;
  meta: MetaValidator;
  beforeStore?: StoreHook | undefined;
}

const nameChars = 'bcdfghjklmnpqrstvwxz2456789';
const generateNameAttempts = 8;

/** A random suffix for generateName, as Kubernetes picks it. */
function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += nameChars[Math.floor(Math.random() * nameChars.length)];
  return s;
}

/** The store for one resource. */
export class GenericStore {
  readonly strategy: ResourceStrategy;
  private readonly backend: Backend;
  private readonly clock: Clock;
  private readonly meta: MetaValidator;
  private readonly beforeStore: StoreHook | undefined;
  private ssa: SsaType | null | undefined;
  private readonly prefix: string;
  private readonly servedApiVersion: string;
  private readonly converted = new WeakMap<Uint8Array, { rv: number; obj: KubeObject; bytes?: Uint8Array }>();

  constructor(opts: GenericStoreOptions) {
    this.strategy = opts.strategy;
    this.backend = opts.backend;
    this.clock = opts.clock;
    this.meta = opts.meta;
    this.beforeStore = opts.beforeStore;
    const info = opts.strategy.info;
    const sr = opts.strategy.storageResource ?? { group: info.group, plural: info.plural };
    this.prefix = `/registry/${sr.group || 'core'}/${sr.plural}/`;
    this.servedApiVersion = apiVersionOf(info.group, info.version);
  }

  private get target() {
    return { group: this.strategy.info.group, resource: this.strategy.info.plural };
  }

  /** The storage key of an object. */
  key(namespace: string | undefined, name: string): string {
    return this.strategy.info.namespaced ? `${this.prefix}${namespace ?? ''}/${name}` : `${this.prefix}${name}`;
  }

  private listPrefix(namespace: string | undefined): string {
    return this.strategy.info.namespaced && namespace ? `${this.prefix}${namespace}/` : this.prefix;
  }

  /** The decoded object of a revision, in the served version. Shared: never mutate it. */
  object(ref: ObjectRef): KubeObject {
    const conv = this.strategy.conversion;
    if (!conv) return decodeObject(ref.value, ref.rv);
    return this.convertedEntry(ref).obj;
  }

  /** The JSON text of a revision in the served version. */
  json(ref: ObjectRef): string {
    if (!this.strategy.conversion) return objectJson(ref.value, ref.rv);
    const e = this.convertedEntry(ref);
    return e.bytes ? Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength).toString() : JSON.stringify(e.obj);
  }

  /** The UTF-8 JSON bytes of a revision in the served version, made once per revision. */
  jsonBytes(ref: ObjectRef): Uint8Array {
    if (!this.strategy.conversion) return objectJsonBytes(ref.value, ref.rv);
    const e = this.convertedEntry(ref);
    return (e.bytes ??= ownedBytes(JSON.stringify(e.obj)));
  }

  /** `head` + `jsonBytes(ref)` + `tail` in one buffer (a watch line), sharing its bytes with the memo when it is first. */
  framedJson(ref: ObjectRef, head: string, tail: string): Uint8Array {
    if (!this.strategy.conversion) return framedObjectJson(ref.value, ref.rv, head, tail);
    return frame(head, this.jsonBytes(ref), tail);
  }

  /** The JSON bytes of a revision for the answer to the write that made it, memoizing nothing new (see the codec). */
  responseJson(ref: ObjectRef): Uint8Array {
    if (!this.strategy.conversion) return transientObjectJson(ref.value, ref.rv);
    return this.jsonBytes(ref);
  }

  private convertedEntry(ref: ObjectRef): { rv: number; obj: KubeObject; bytes?: Uint8Array } {
    const hit = this.converted.get(ref.value);
    if (hit && hit.rv === ref.rv) return hit;
    const obj = this.strategy.conversion!.fromStorage(cloneObject(decodeObject(ref.value, ref.rv)));
    if (freezeShared) deepFreeze(obj);
    const e = { rv: ref.rv, obj };
    if (!hit) this.converted.set(ref.value, e);
    return e;
  }

  /** Field-selector values of an object: metadata.name and metadata.namespace plus the kind's own. */
  fields(obj: KubeObject): Record<string, string> {
    const own = this.strategy.selectableFields?.(obj) ?? {};
    const f: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '', ...own };
    if (this.strategy.info.namespaced) f['metadata.namespace'] = obj.metadata?.namespace ?? '';
    return f;
  }

  private mapError(e: unknown, name: string | undefined): never {
    if (e instanceof StorageError) {
      const t = name === undefined ? this.target : { ...this.target, name };
      switch (e.code) {
        case 'NotFound':
          throw notFound(t);
        case 'AlreadyExists':
          throw alreadyExists(t);
        case 'Conflict':
          throw conflict(t);
        case 'Compacted':
          throw expired(e.message);
        case 'TooLarge':
          throw badRequest(e.message);
        case 'Unavailable':
          throw unavailable(e.message);
      }
    }
    throw e;
  }

  // ---- reads -------------------------------------------------------------------------------------

  /** Reads one object; `resourceVersion` "0" or a number allows any version at least that new (served from cache). */
  async get(namespace: string | undefined, name: string): Promise<ObjectRef> {
    let kv: KeyValue | undefined;
    try {
      kv = await this.backend.get(this.key(namespace, name));
    } catch (e) {
      this.mapError(e, name);
    }
    if (!kv) throw notFound({ ...this.target, name });
    return { value: kv.value, rv: kv.modRevision };
  }

  /** Lists objects, with label/field filtering, pagination and resourceVersion semantics as in Kubernetes. */
  async list(opts: StoreListOptions): Promise<StoreListResult> {
    const prefix = this.listPrefix(opts.namespace);
    let revision: number | undefined;
    let after: string | undefined;
    let limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    let continueStart: string | undefined;
    if (opts.continue) {
      if (opts.resourceVersion && opts.resourceVersion !== '0') throw badRequest('specifying resource version is not allowed when using continue');
      const tok = decodeContinue(opts.continue);
      // A token with revision -1 (handed out with a 410) continues at the latest revision.
      if (tok.rv > 0) revision = tok.rv;
      continueStart = tok.start;
      after = prefix + tok.start;
      if (!after.startsWith(prefix)) throw badRequest('continue key is not valid: invalid key');
    } else if (opts.resourceVersion !== undefined && opts.resourceVersion !== '') {
      const rv = parseResourceVersion(opts.resourceVersion);
      // Exact when asked for, and (the legacy rule) for a non-zero resourceVersion with a limit and no match.
      if (opts.resourceVersionMatch === 'Exact' || (!opts.resourceVersionMatch && limit && rv !== 0)) {
        if (rv === 0) throw badRequest('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
        const current = await this.backend.currentRevision();
        if (rv > current) throw tooLargeResourceVersion(rv, current);
        revision = rv;
      } else {
        // NotOlderThan (or unset): any state at least this new; the current state qualifies.
        const current = await this.backend.currentRevision();
        if (rv > current) throw tooLargeResourceVersion(rv, current);
        // "0" is served from the cache in full, as Kubernetes does: the limit is ignored.
        if (rv === 0) limit = 0;
      }
    }
    const items: ObjectRef[] = [];
    let listRevision = 0;
    let more = false;
    let lastKey: string | undefined;
    let remaining: number | undefined;
    const pageSize = limit ? Math.max(limit, 64) : 0;
    let cursor = after;
    for (;;) {
      let page;
      try {
        page = await this.backend.list(prefix, {
          ...(pageSize ? { limit: pageSize } : {}),
          ...(cursor !== undefined ? { after: cursor } : {}),
          ...(revision !== undefined ? { revision } : {}),
        });
      } catch (e) {
        if (e instanceof StorageError && e.code === 'Compacted') {
          if (continueStart === undefined) throw expired('The resourceVersion for the provided list is too old.');
          // As Kubernetes: the 410 carries a token that goes on from the same key at the latest revision.
          const err = expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
          err.status.metadata.continue = encodeContinue(-1, continueStart);
          throw err;
        }
        this.mapError(e, undefined);
      }
      listRevision = page.revision;
      revision = page.revision;
      let i = 0;
      for (; i < page.items.length; i++) {
        const kv = page.items[i]!;
        const ref = { value: kv.value, rv: kv.modRevision };
        if (opts.filter && !opts.filter(this.object(ref))) continue;
        if (limit && items.length === limit) break;
        items.push(ref);
        lastKey = kv.key;
      }
      if (limit && items.length === limit && (i < page.items.length || page.more)) {
        more = true;
        if (!opts.filter && page.remaining !== undefined) remaining = page.remaining + (page.items.length - i);
        break;
      }
      if (!page.more || page.items.length === 0) break;
      cursor = page.items[page.items.length - 1]!.key;
    }
    const result: StoreListResult = { items, resourceVersion: String(listRevision) };
    if (more && lastKey !== undefined) {
      result.continue = encodeContinue(listRevision, lastKey.slice(prefix.length));
      if (remaining !== undefined) result.remainingItemCount = remaining;
    }
    return result;
  }

  /**
   * Watches objects. Without a resourceVersion (or with "0"), or with sendInitialEvents, the current state is
   * sent first as ADDED events; then every change after the starting revision, filtered by `filter` (an object
   * that stops matching is sent as DELETED, one that starts matching as ADDED). The watch starts when iteration
   * starts; use `openWatch` to start it at once.
   */
  async *watch(opts: StoreWatchOptions): AsyncGenerator<StoreWatchEvent> {
    yield* await this.openWatch(opts);
  }

  /**
   * Starts a watch now, as `watch` describes: resolves once its starting point is fixed (the initial state read,
   * or the starting revision known) and the backend watch registered, so that no write made after this resolves
   * is missed. Iterate the result for the events; aborting `signal` ends it, iterated or not.
   */
  async openWatch(opts: StoreWatchOptions): Promise<AsyncGenerator<StoreWatchEvent>> {
    const queue: StoreWatchEvent[] = [];
    let ended = false;
    let wake: (() => void) | undefined;
    const cancel = await this.subscribe(opts, {
      event(e) {
        queue.push(e);
        wake?.();
      },
      end() {
        ended = true;
        wake?.();
      },
    });
    const signal = opts.signal;
    return (async function* events(): AsyncGenerator<StoreWatchEvent> {
      try {
        for (;;) {
          while (queue.length) yield queue.shift()!;
          if (signal.aborted || ended) return;
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
        }
      } finally {
        cancel();
      }
    })();
  }

  /**
   * The push form of `openWatch`, for callers that forward each event at once (watch streams): `sink.event` is
   * called with each event (synchronously from the storage fan-out, so it must not block), and `sink.end` once
   * when the watch is over — after an ERROR event, when the backend watch ends, or when `signal` aborts (then
   * no more events come). Resolves, as openWatch does, once no write made afterwards can be missed, with a
   * function that ends the watch (then `sink.end` is called, and nothing more).
   */
  async subscribe(opts: StoreWatchOptions, sink: WatchSink): Promise<() => void> {
    const prefix = this.listPrefix(opts.namespace);
    const rvParam = opts.resourceVersion ?? '';
    const initial = opts.sendInitialEvents ?? (rvParam === '' || rvParam === '0');
    // Events that come before the caller has the starting events (the initial state) wait here.
    let held: StoreWatchEvent[] | null = [];
    let over = false;
    let endSent = false;
    const endSink = () => {
      if (endSent) return;
      endSent = true;
      sink.end();
    };
    const emit = (e: StoreWatchEvent) => {
      if (over) return;
      if (held) held.push(e);
      else sink.event(e);
      if (e.type === 'ERROR') finish();
    };
    const finish = () => {
      if (over) return;
      over = true;
      stop();
      if (!held) endSink();
    };
    let from: number;
    if (initial) {
      const snap = await this.list({ namespace: opts.namespace, filter: opts.filter });
      from = Number(snap.resourceVersion);
      for (const ref of snap.items) held.push({ type: 'ADDED', ref });
      if (opts.sendInitialEvents && opts.allowBookmarks) held.push({ type: 'BOOKMARK', rv: from, initialEventsEnd: true });
    } else if (rvParam === '' || rvParam === '0') {
      // sendInitialEvents=false without a resourceVersion: changes from now on.
      from = await this.backend.currentRevision().catch((e) => this.mapError(e, undefined));
    } else {
      from = parseResourceVersion(rvParam);
    }
    let lastRv = from;
    const filter = opts.filter;
    const w = this.backend.watch(prefix, from, (events: WatchEvent[]) => {
      for (const ev of events) {
        const e = this.toWatchEvent(ev, filter);
        if (e) emit(e);
        lastRv = ev.modRevision;
      }
    });
    w.done.then(finish, (err: unknown) => {
      if (err instanceof StorageError && err.code === 'Compacted') emit({ type: 'ERROR', error: tooOldResourceVersion(from, err.compactRevision ?? 0) });
      else emit({ type: 'ERROR', error: unavailable(err instanceof Error ? err.message : String(err)) });
      finish();
    });
    let cancelBookmark: (() => void) | undefined;
    const scheduleBookmark = () => {
      if (!opts.allowBookmarks) return;
      cancelBookmark = this.clock.setTimer(() => {
        emit({ type: 'BOOKMARK', rv: lastRv });
        scheduleBookmark();
      }, opts.bookmarkEveryMs ?? 60_000);
    };
    scheduleBookmark();
    const stop = () => {
      cancelBookmark?.();
      opts.signal.removeEventListener('abort', finish);
      w.cancel();
    };
    // An abort ends the backend watch even when nobody reads (a client that went away before reading).
    opts.signal.addEventListener('abort', finish);
    if (opts.signal.aborted) finish();
    // The starting events go first, then whatever came meanwhile; from now on events go straight to the sink.
    const first = held;
    held = null;
    for (const e of first) {
      sink.event(e);
      if (e.type === 'ERROR') break;
    }
    if (over) endSink();
    return finish;
  }

  private toWatchEvent(ev: WatchEvent, filter: ObjectFilter | undefined): StoreWatchEvent | undefined {
    const ref = { value: ev.value, rv: ev.modRevision };
    if (ev.type === 'delete') {
      if (filter && !filter(this.object(ref))) return undefined;
      return { type: 'DELETED', ref };
    }
    if (!filter) return { type: ev.prev ? 'MODIFIED' : 'ADDED', ref };
    const now = filter(this.object(ref));
    const before = ev.prev ? filter(this.object({ value: ev.prev.value, rv: ev.prev.modRevision })) : false;
    if (now) return { type: before ? 'MODIFIED' : 'ADDED', ref };
    if (before && ev.prev) return { type: 'DELETED', ref: { value: ev.prev.value, rv: ev.modRevision } };
    return undefined;
  }

  // ---- writes ------------------------------------------------------------------------------------

  private ctx(dryRun: boolean | undefined, operation: 'create' | 'update'): StrategyContext {
    return { now: this.clock.now(), dryRun: !!dryRun, operation };
  }

  private fail(obj: KubeObject, errs: FieldError[]): never {
    throw invalid({ group: this.strategy.info.group, kind: this.strategy.info.kind }, obj.metadata?.name ?? obj.metadata?.generateName ?? '', errs);
  }

  private toStorage(obj: KubeObject): KubeObject {
    return this.strategy.conversion ? this.strategy.conversion.toStorage(obj) : obj;
  }

  /** Creates an object from a decoded body (a private copy the store may change). */
  async create(namespace: string | undefined, obj: KubeObject, opts: WriteOptions = {}): Promise<ObjectRef> {
    const s = this.strategy;
    const info = s.info;
    const ctx = this.ctx(opts.dryRun, 'create');
    obj.apiVersion = this.servedApiVersion;
    obj.kind = info.kind;
    const meta: ObjectMeta = (obj.metadata ??= {});
    dropEmptyMetadataFields(meta);
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    if (info.namespaced) meta.namespace = namespace ?? meta.namespace ?? '';
    else delete meta.namespace;
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(ctx.now);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (s.generation !== 'none') meta.generation = 1;
    else delete meta.generation;
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = meta.generateName + randomSuffix();
    s.defaults?.(obj);
    s.prepareForCreate?.(obj, ctx);
    const errs = [...this.meta.create(obj, info.namespaced, s), ...(s.validate?.(obj, ctx) ?? [])];
    if (errs.length) this.fail(obj, errs);
    s.canonicalize?.(obj);
    if (!opts.managedFieldsSet) this.recordManagedFields(obj, undefined, opts.fieldManager, undefined);
    await opts.validate?.(obj, undefined);
    if (!opts.dryRun) await this.beforeStore?.(obj, undefined);
    if (opts.dryRun) {
      await this.checkAbsent(meta.namespace, meta.name!);
      return { value: encodeObject(obj), rv: 0 };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const kv = await this.backend.create(this.key(meta.namespace, meta.name!), encodeObject(this.toStorage(obj)));
        return { value: kv.value, rv: kv.modRevision };
      } catch (e) {
        if (generated && e instanceof StorageError && e.code === 'AlreadyExists' && attempt < generateNameAttempts) {
          meta.name = meta.generateName + randomSuffix();
          continue;
        }
        this.mapError(e, meta.name);
      }
    }
  }

  private async checkAbsent(namespace: string | undefined, name: string): Promise<void> {
    const kv = await this.backend.get(this.key(namespace, name));
    if (kv) throw alreadyExists({ ...this.target, name });
  }

  /**
   * Replaces an object. `mutate` receives a private copy of the current object (undefined when absent) and
   * returns the new desired object; it runs again if a concurrent write wins, unless the new object carries
   * its own resourceVersion precondition (then the caller gets 409 Conflict, as in Kubernetes).
   */
  async update(
    namespace: string | undefined,
    name: string,
    mutate: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
    opts: UpdateOptions = {},
  ): Promise<{ ref: ObjectRef; created: boolean }> {
    const s = this.strategy;
    for (let attempt = 0; attempt < 16; attempt++) {
      const key = this.key(namespace, name);
      const kv = await this.backend.get(key).catch((e) => this.mapError(e, name));
      if (!kv) {
        if (!(opts.allowCreate || s.allowCreateOnUpdate) || opts.subresource) throw notFound({ ...this.target, name });
        const obj = await mutate(undefined);
        if (obj.metadata?.resourceVersion) throw notFound({ ...this.target, name });
        obj.metadata = { ...obj.metadata, name };
        try {
          return { ref: await this.create(namespace, obj, opts), created: true };
        } catch (e) {
          if (e instanceof StatusError && e.reason === 'AlreadyExists') continue;
          throw e;
        }
      }
      const oldRef = { value: kv.value, rv: kv.modRevision };
      const old = this.object(oldRef);
      const obj = await mutate(cloneObject(old));
      // resourceVersion "0" (or none) is an unconditional update, as Kubernetes parses it.
      const given = obj.metadata?.resourceVersion;
      const precondition = given === '0' ? undefined : given;
      if (precondition !== undefined && precondition !== '' && precondition !== String(kv.modRevision)) {
        throw conflict({ ...this.target, name });
      }
      const result = this.prepareUpdate(obj, old, namespace, name, opts);
      await opts.validate?.(result, old);
      if (!opts.dryRun && this.beforeStore) await this.beforeStore(result, old);
      if (deepEqualJson(withoutRv(result), withoutRv(old))) return { ref: oldRef, created: false };
      if (opts.dryRun) return { ref: { value: encodeObject(result), rv: kv.modRevision }, created: false };
      try {
        if (result.metadata?.deletionTimestamp && !result.metadata.finalizers?.length && !s.finalizersPending?.(result)) {
          // The last finalizer of an object being deleted is gone: the object goes now.
          const res = await this.backend.delete(key, kv.modRevision);
          return { ref: { value: res.prev.value, rv: res.revision }, created: false };
        }
        const next = await this.backend.update(key, encodeObject(this.toStorage(result)), kv.modRevision);
        return { ref: { value: next.value, rv: next.modRevision }, created: false };
      } catch (e) {
        if (e instanceof StorageError && (e.code === 'Conflict' || e.code === 'NotFound')) {
          if (precondition) throw conflict({ ...this.target, name });
          continue;
        }
        this.mapError(e, name);
      }
    }
    throw conflict({ ...this.target, name }, 'too many concurrent updates, please try again');
  }

  private prepareUpdate(obj: KubeObject, old: KubeObject, namespace: string | undefined, name: string, opts: UpdateOptions): KubeObject {
    const s = this.strategy;
    const info = s.info;
    const ctx = this.ctx(opts.dryRun, 'update');
    obj.apiVersion = this.servedApiVersion;
    obj.kind = info.kind;
    const meta: ObjectMeta = (obj.metadata ??= {});
    dropEmptyMetadataFields(meta);
    const oldMeta = old.metadata ?? {};
    if (meta.name !== undefined && meta.name !== name) {
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    if (meta.uid && meta.uid !== oldMeta.uid) {
      throw conflict({ ...this.target, name }, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${oldMeta.uid ?? ''}`);
    }
    meta.name = name;
    if (info.namespaced) meta.namespace = namespace ?? '';
    // Fields the system owns are never taken from the request.
    meta.uid = oldMeta.uid!;
    meta.creationTimestamp = oldMeta.creationTimestamp!;
    if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    else delete meta.deletionGracePeriodSeconds;
    if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation;
    else delete meta.generation;
    // An unconditional update is checked against the version it replaces (storage drops the field anyway).
    meta.resourceVersion = oldMeta.resourceVersion!;
    if (opts.subresource) {
      const sub = s[opts.subresource];
      if (!sub) throw notFound({ ...this.target, name });
      sub.prepareForUpdate(obj, old, ctx);
      const errs = [...this.meta.update(obj, old, info.namespaced, s), ...sub.validateUpdate(obj, old, ctx)];
      if (errs.length) this.fail(obj, errs);
    } else {
      s.defaults?.(obj);
      s.prepareForUpdate?.(obj, old, ctx);
      if (s.generation !== 'none' && specChanged(obj, old)) meta.generation = (oldMeta.generation ?? 0) + 1;
      const errs = [
        ...this.meta.update(obj, old, info.namespaced, s),
        ...(s.validate?.(obj, ctx) ?? []),
        ...(s.validateUpdate?.(obj, old, ctx) ?? []),
      ];
      if (errs.length) this.fail(obj, errs);
    }
    s.canonicalize?.(obj);
    if (!opts.managedFieldsSet) this.recordManagedFields(obj, old, opts.fieldManager, opts.recordAsSubresource ?? opts.subresource);
    return obj;
  }

  /** The type server-side apply and managedFields work with: the built-in schema, or the custom resource's. */
  ssaType(): SsaType | undefined {
    if (this.ssa === undefined) {
      const s = this.strategy;
      try {
        const own = s.definitions?.[s.schemaName] as OpenApiSchema | undefined;
        this.ssa = own ? customResourceType(own) : builtinDefinitions()[s.schemaName] ? builtinType(s.schemaName) : null;
      } catch {
        this.ssa = null;
      }
    }
    return this.ssa ?? undefined;
  }

  /** The fields a write to the main resource or a subresource may not set (never owned by its manager). */
  resetFieldsFor(subresource: string | undefined): FieldSet | undefined {
    if (subresource === 'status') return resetFields('spec', 'metadata');
    return this.strategy.status ? resetFields('status') : undefined;
  }

  /** Records the writer's Update entry in metadata.managedFields (create, update and non-apply patches). */
  private recordManagedFields(obj: KubeObject, old: KubeObject | undefined, manager: string | undefined, subresource: string | undefined): void {
    const type = this.ssaType();
    if (!type) return;
    const entries = updateManagedFields(old, obj, {
      manager: manager ?? '',
      apiVersion: this.servedApiVersion,
      time: this.clock.now(),
      type,
      resetFields: this.resetFieldsFor(subresource),
      subresource,
    });
    const meta = (obj.metadata ??= {});
    if (entries) meta.managedFields = entries;
    else delete meta.managedFields;
  }

  /** Deletes an object now (finalizers and graceful deletion build on this). Returns its last state. */
  async delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<ObjectRef> {
    const key = this.key(namespace, name);
    let firstFinalizers: string | undefined;
    // As kube-apiserver's storage delete: a write that lands between the read and the delete (a controller updating
    // status) makes it read again and retry, so a delete without a resourceVersion precondition is not refused.
    for (let attempt = 0; attempt < 16; attempt++) {
      const kv = await this.backend.get(key).catch((e) => this.mapError(e, name));
      if (!kv) throw notFound({ ...this.target, name });
      const cur = this.object({ value: kv.value, rv: kv.modRevision });
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== cur.metadata?.uid) {
        throw conflict({ ...this.target, name }, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata?.uid ?? ''}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== String(kv.modRevision)) {
        throw conflict({ ...this.target, name }, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${kv.modRevision}`);
      }
      // The caller decided on the finalizers it saw; if they changed meanwhile, that decision is stale.
      const finalizers = JSON.stringify(cur.metadata?.finalizers ?? []);
      if (firstFinalizers !== undefined && finalizers !== firstFinalizers) throw conflict({ ...this.target, name });
      firstFinalizers = finalizers;
      if (opts.dryRun) return { value: kv.value, rv: kv.modRevision };
      try {
        const res = await this.backend.delete(key, kv.modRevision);
        return { value: res.prev.value, rv: res.prev.modRevision };
      } catch (e) {
        if (e instanceof StorageError && e.code === 'Conflict') continue;
        this.mapError(e, name);
      }
    }
    throw conflict({ ...this.target, name }, 'too many concurrent updates, please try again');
  }

  /**
   * Marks an object as being deleted (deletionTimestamp and grace period set, `mutate` may change more, such
   * as a namespace's phase) without removing it: finalizers or a grace period keep it until they are done.
   */
  async markDeleting(namespace: string | undefined, name: string, gracePeriodSeconds: number, mutate?: (obj: KubeObject) => void): Promise<ObjectRef> {
    const key = this.key(namespace, name);
    for (let attempt = 0; attempt < 16; attempt++) {
      const kv = await this.backend.get(key).catch((e) => this.mapError(e, name));
      if (!kv) throw notFound({ ...this.target, name });
      const obj = cloneObject(this.object({ value: kv.value, rv: kv.modRevision }));
      const meta = (obj.metadata ??= {});
      if (!meta.deletionTimestamp) meta.deletionTimestamp = rfc3339(this.clock.now() + gracePeriodSeconds * 1000);
      if (meta.deletionGracePeriodSeconds === undefined || gracePeriodSeconds < meta.deletionGracePeriodSeconds) meta.deletionGracePeriodSeconds = gracePeriodSeconds;
      mutate?.(obj);
      delete meta.resourceVersion;
      try {
        const next = await this.backend.update(key, encodeObject(this.toStorage(obj)), kv.modRevision);
        return { value: next.value, rv: next.modRevision };
      } catch (e) {
        if (e instanceof StorageError && e.code === 'Conflict') continue;
        this.mapError(e, name);
      }
    }
    throw conflict({ ...this.target, name }, 'too many concurrent updates, please try again');
  }

  /** Deletes every object a list with `opts` returns; returns what was deleted. */
  async deleteCollection(list: StoreListOptions, opts: DeleteOptions = {}): Promise<ObjectRef[]> {
    const { items } = await this.list({ ...list, limit: 0, continue: undefined });
    const out: ObjectRef[] = [];
    for (const ref of items) {
      const obj = this.object(ref);
      try {
        out.push(await this.delete(obj.metadata?.namespace, obj.metadata!.name!, { ...opts, preconditions: undefined }));
      } catch (e) {
        if (e instanceof StatusError && e.reason === 'NotFound') continue;
        throw e;
      }
    }
    return out;
  }
}

function withoutRv(obj: KubeObject): KubeObject {
  if (!obj.metadata || obj.metadata.resourceVersion === undefined) return obj;
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return { ...obj, metadata: meta };
}

/** Parses a resourceVersion parameter; anything but a non-negative integer is a 400, as in Kubernetes. */
export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return Number(rv);
}

function tooLargeResourceVersion(rv: number, current: number): StatusError {
  return new StatusError({
    code: 504,
    reason: 'Timeout',
    message: `Timeout: Too large resource version: ${rv}, current: ${current}`,
    details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
  });
}
