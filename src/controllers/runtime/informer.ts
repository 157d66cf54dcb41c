// The shared informer: keeps an indexed in-memory copy of one resource (in a namespace, through selectors) by
// listing it in pages and watching from the list's resourceVersion, and tells event handlers what changed.
import type { KubeObject } from '../../api/index.js';
import { isExpired, isTooLargeResourceVersion, statusErrorOf, type ResourceClient, type WatchEvent } from '../../client/index.js';
import { backoffDelay, silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import { keyOf, tombstone, type DeletedFinalStateUnknown } from './keys.js';
import { childController, sleep } from './sleep.js';
import { Indexer, type Indexers, type Lister } from './store.js';

/**
 * What an informer tells about changes. Handlers run on the informer's loop, one event at a time, so they must be
 * quick and must not throw (a thrown error is logged and dropped): a controller's handlers only enqueue keys.
 * Objects are shared with the store and, in-process, with the API server's cache: never mutate them.
 */
export interface EventHandler<T = KubeObject> {
  /** A new object; `isInInitialList` for the objects of the first list (or already stored when the handler joined). */
  onAdd?(obj: T, isInInitialList: boolean): void;
  /** A changed object, or on resync and relist the same object twice (compare resourceVersions to tell). */
  onUpdate?(oldObj: T, newObj: T): void;
  /** A deleted object: its final state, or a tombstone when the delete happened while the informer was not watching. */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

/** A handler's registration; `remove` stops its events. */
export interface HandlerRegistration {
  remove(): void;
}

/** Options of one handler. */
export interface HandlerOptions {
  /** Every this often the handler gets an update (obj, obj) for every stored object; 0 for never. Default: the informer's. */
  resyncPeriodMs?: number;
}

/** How an informer is built. */
export interface InformerOptions<T extends KubeObject = KubeObject> {
  /** The client of the resource to follow. */
  client: ResourceClient<T>;
  /** Only this namespace (all when absent). */
  namespace?: string;
  /** Follow only metadata (PartialObjectMetadata objects), as the garbage collector does. */
  metadataOnly?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** Indexes besides the namespace index. */
  indexers?: Indexers<T>;
  /** The default resync period of handlers (0, the default: never). */
  resyncPeriodMs?: number;
  /** Objects per list page (default 500, as client-go's pager). */
  pageSize?: number;
  /** Watches ask the server to end them after a random time between this and twice this (default 300 s). */
  minWatchTimeoutSeconds?: number;
  clock?: Clock;
  logger?: Logger;
  /** Random numbers in [0, 1) for jitter (tests make it fixed). */
  random?: () => number;
}

interface Registration<T> {
  handler: EventHandler<T>;
  resyncMs: number;
  cancelResync?: () => void;
}

/** Why a watch stopped: the server ended it (watch again from the last resourceVersion) or the history is gone (list again). */
type WatchOutcome = 'ended' | 'expired';

/** The smallest resync period honoured, as client-go's minimumResyncPeriod. */
const minResyncMs = 1000;

/**
 * One resource's list-and-watch loop, store and handlers; share one per resource through a SharedInformerFactory.
 * `run` starts it; `hasSynced` turns true once the first list is in the store.
 */
export class SharedInformer<T extends KubeObject = KubeObject> {
  private readonly indexer: Indexer<T>;
  private readonly registrations = new Set<Registration<T>>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly random: () => number;
  private lastRv = '';
  private lastRvUnavailable = false;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;
  private runSignal: AbortSignal | undefined;

  constructor(readonly options: InformerOptions<T>) {
    this.indexer = new Indexer<T>(options.indexers ?? {});
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    const r = options.client.ref;
    this.log = (options.logger ?? silentLogger).with({ informer: r.group ? `${r.plural}.${r.group}` : r.plural });
  }

  /** The informer's store (read-only for everybody but the informer). */
  get store(): Lister<T> {
    return this.indexer;
  }

  /** Adds indexes; objects already stored are indexed at once. */
  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  /** True once the first list has been stored and handed to the handlers. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, false if `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** The resourceVersion of the last list, watch event or bookmark seen. */
  lastSyncResourceVersion(): string {
    return this.lastRv;
  }

  /** Adds a handler. It first gets an add for every object already stored, then every change. */
  addEventHandler(handler: EventHandler<T>, opts: HandlerOptions = {}): HandlerRegistration {
    const period = opts.resyncPeriodMs ?? this.options.resyncPeriodMs ?? 0;
    const reg: Registration<T> = { handler, resyncMs: period > 0 ? Math.max(minResyncMs, period) : 0 };
    this.registrations.add(reg);
    for (const obj of this.indexer.list()) this.call(reg, (h) => h.onAdd?.(obj, true));
    if (this.runSignal && !this.runSignal.aborted) this.armResync(reg, this.runSignal);
    return {
      remove: () => {
        this.registrations.delete(reg);
        reg.cancelResync?.();
      },
    };
  }

  /** Runs the list-and-watch loop until `signal` aborts; calling it again returns the same run. */
  run(signal: AbortSignal): Promise<void> {
    if (this.running) return this.running;
    this.runSignal = signal;
    for (const reg of this.registrations) this.armResync(reg, signal);
    this.running = this.loop(signal).finally(() => {
      for (const reg of this.registrations) reg.cancelResync?.();
    });
    return this.running;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.list(signal);
          needList = false;
          failures = 0;
        }
        if (signal.aborted) break;
        const outcome = await this.watch(signal);
        failures = 0;
        // The history after our resourceVersion is gone: list again, at that resourceVersion if the server still can.
        if (outcome === 'expired') needList = true;
      } catch (e) {
        if (signal.aborted) break;
        failures++;
        // Backoff as client-go's reflector: 800 ms doubling to 30 s, with up to as much again of jitter.
        const delay = backoffDelay(failures - 1, { baseMs: 800, maxMs: 30_000, jitter: 1, random: this.random });
        this.log.warn(needList ? 'list failed' : 'watch failed', { error: e instanceof Error ? e.message : String(e), retryInMs: Math.round(delay) });
        await sleep(this.clock, delay, signal);
      }
    }
  }

  /** Lists everything (paged), replaces the store and tells the handlers the differences. */
  private async list(signal: AbortSignal): Promise<void> {
    let result: { items: T[]; rv: string };
    try {
      result = await this.listPaged(this.lastRvUnavailable ? '' : this.lastRv, signal);
    } catch (e) {
      if (!isExpired(e) && !isTooLargeResourceVersion(e)) throw e;
      // The last resourceVersion seen is too old (or unknown to this server): list the current state instead.
      this.lastRvUnavailable = true;
      this.log.info('resourceVersion unavailable, listing from scratch', { resourceVersion: this.lastRv });
      result = await this.listPaged('', signal);
    }
    if (signal.aborted) return;
    this.lastRvUnavailable = false;
    this.replace(result.items, result.rv);
  }

  /** Follows `continue` through every page; a list at `rv` is exact (one snapshot), '' lists the current state. */
  private async listPaged(rv: string, signal: AbortSignal): Promise<{ items: T[]; rv: string }> {
    const o = this.options;
    // The store only reads: in-process, it may hold the API server's own decoded objects rather than parsed copies.
    const base = {
      sharedObjects: true,
      ...(o.metadataOnly ? { metadataOnly: true } : {}),
      ...(o.namespace ? { namespace: o.namespace } : {}),
      ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
      ...(o.fieldSelector ? { fieldSelector: o.fieldSelector } : {}),
      signal,
    };
    const items: T[] = [];
    let cont: string | undefined;
    for (;;) {
      let page;
      try {
        page = await o.client.list({ ...base, limit: o.pageSize ?? 500, ...(cont ? { continue: cont } : rv ? { resourceVersion: rv } : {}) });
      } catch (e) {
        if (!cont || !isExpired(e)) throw e;
        // The first page's snapshot expired while paging: one list without a limit is one consistent snapshot.
        const full = await o.client.list({ ...base, ...(rv ? { resourceVersion: rv } : {}) });
        return { items: full.items, rv: full.metadata.resourceVersion ?? '' };
      }
      for (const item of page.items) items.push(item);
      cont = page.metadata.continue;
      if (!cont) return { items, rv: page.metadata.resourceVersion ?? '' };
    }
  }

  /** Makes the store equal to a list; objects that vanished go to delete handlers as tombstones. */
  private replace(items: T[], rv: string): void {
    const initial = !this.synced;
    const seen = new Set<string>();
    for (const obj of items) {
      const key = keyOf(obj);
      seen.add(key);
      const old = this.indexer.set(obj);
      if (old) this.notify((h) => h.onUpdate?.(old, obj));
      else this.notify((h) => h.onAdd?.(obj, initial));
    }
    for (const key of this.indexer.keys()) {
      if (seen.has(key)) continue;
      const old = this.indexer.delete(key)!;
      this.notify((h) => h.onDelete?.(tombstone(key, old)));
    }
    this.lastRv = rv;
    if (!this.synced) {
      this.synced = true;
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** One watch from the last resourceVersion, until the server ends it, it fails, or the run stops. */
  private async watch(signal: AbortSignal): Promise<WatchOutcome> {
    const o = this.options;
    const { controller, dispose } = childController(signal);
    const minTimeout = o.minWatchTimeoutSeconds ?? 300;
    const started = this.clock.monotonic();
    let events = 0;
    try {
      const stream = o.client.watch(
        {
          sharedObjects: true,
          ...(o.metadataOnly ? { metadataOnly: true } : {}),
          ...(o.namespace ? { namespace: o.namespace } : {}),
          ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
          ...(o.fieldSelector ? { fieldSelector: o.fieldSelector } : {}),
          resourceVersion: this.lastRv,
          allowWatchBookmarks: true,
          timeoutSeconds: Math.floor(minTimeout * (1 + this.random())),
        },
        controller.signal,
      );
      for await (const ev of stream) {
        if (signal.aborted) break;
        if (ev.type === 'ERROR') {
          const status = ev.object as unknown as { code?: number };
          throw statusErrorOf(status.code ?? 500, ev.object);
        }
        events++;
        this.apply(ev);
      }
    } catch (e) {
      if (signal.aborted) return 'ended';
      if (isExpired(e)) {
        this.log.info('watch history expired, listing again', { resourceVersion: this.lastRv, error: e.message });
        return 'expired';
      }
      throw e;
    } finally {
      controller.abort();
      dispose();
    }
    // A watch that ends at once with nothing in it would make a busy loop: treat it as a failure (backoff).
    if (!signal.aborted && events === 0 && this.clock.monotonic() - started < 1000) {
      throw new Error('very short watch: watch lasted less than a second and no items received');
    }
    return 'ended';
  }

  /** Applies one watch event to the store and tells the handlers. */
  private apply(ev: WatchEvent<T>): void {
    const obj = ev.object;
    const rv = obj.metadata?.resourceVersion;
    if (ev.type === 'BOOKMARK') {
      if (rv) this.lastRv = rv;
      return;
    }
    if (ev.type === 'DELETED') {
      const old = this.indexer.delete(keyOf(obj));
      // A delete of an object never stored (filtered in between, or seen deleted on a relist) tells nothing new.
      if (old) this.notify((h) => h.onDelete?.(obj));
    } else {
      const old = this.indexer.set(obj);
      if (old) this.notify((h) => h.onUpdate?.(old, obj));
      else this.notify((h) => h.onAdd?.(obj, false));
    }
    if (rv) this.lastRv = rv;
  }

  private notify(fn: (h: EventHandler<T>) => void): void {
    for (const reg of this.registrations) this.call(reg, fn);
  }

  private call(reg: Registration<T>, fn: (h: EventHandler<T>) => void): void {
    try {
      fn(reg.handler);
    } catch (e) {
      this.log.error('event handler failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Schedules a handler's next resync: an update (obj, obj) for every stored object. */
  private armResync(reg: Registration<T>, signal: AbortSignal): void {
    if (reg.resyncMs <= 0) return;
    reg.cancelResync?.();
    reg.cancelResync = this.clock.setTimer(() => {
      if (signal.aborted || !this.registrations.has(reg)) return;
      if (this.synced) for (const obj of this.indexer.list()) this.call(reg, (h) => h.onUpdate?.(obj, obj));
      this.armResync(reg, signal);
    }, reg.resyncMs);
  }
}
