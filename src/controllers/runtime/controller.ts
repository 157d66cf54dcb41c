// A controller: informers whose handlers enqueue keys, a rate-limited work queue, and N workers calling a Reconciler.
import type { KubeObject } from '../../api/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import type { SharedInformer } from './informer.js';
import { keyOf, makeKey, objectOfDelete, type DeletedFinalStateUnknown } from './keys.js';
import type { RateLimiter } from './rate-limiter.js';
import { WorkQueue } from './work-queue.js';

/** What a reconcile asks for: nothing (done), or to be called again for the same key after a while. */
export type ReconcileResult = void | { requeueAfterMs: number };

/**
 * The seam between the runtime and a controller's logic. Level-based: `reconcile` gets a key (`namespace/name`,
 * or `name` for cluster-scoped objects), never the event that caused it; it reads the current state (from
 * informer stores or the client), acts, and returns. It is called again for the key when something changes.
 * Returning `{ requeueAfterMs }` calls it again after that long. Throwing retries the key with per-key
 * exponential backoff; throwing a TerminalError logs it and stops retrying until the key is enqueued again.
 * One key is never reconciled by two workers at once; different keys run in parallel. `signal` aborts when the
 * controller stops: long calls should pass it on.
 */
export interface Reconciler {
  reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult>;
}

/** An error that retrying cannot fix (invalid spec, forbidden): logged, not retried. */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** Maps an object to the keys to reconcile because of it. */
export type KeyMapper<T = KubeObject> = (obj: T) => string[];

/** Reconciles the object itself. */
export const enqueueObject: KeyMapper = (obj) => [keyOf(obj)];

/** Options of `enqueueOwner`. */
export interface OwnerMapOptions {
  /** The owner's API group ('' for the core group); any group when absent. */
  group?: string;
  /** Only the managing owner (`controller: true`), as the workload controllers resolve their controllerRef. */
  onlyController?: boolean;
  /** The owner is cluster-scoped: its key is its name alone. */
  clusterScoped?: boolean;
}

/** Reconciles the owners of kind `kind` of an object (a Pod enqueues its ReplicaSet), in the object's namespace. */
export function enqueueOwner(kind: string, opts: OwnerMapOptions = {}): KeyMapper {
  return (obj) => {
    const keys: string[] = [];
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      if (ref.kind !== kind) continue;
      if (opts.onlyController && !ref.controller) continue;
      if (opts.group !== undefined && groupOf(ref.apiVersion) !== opts.group) continue;
      keys.push(opts.clusterScoped ? ref.name : makeKey(obj.metadata?.namespace, ref.name));
    }
    return keys;
  };
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** Options of one `watch`. */
export interface WatchOptions<T> {
  /** Events of objects for which this is false are ignored (for an update: both the old and the new object). */
  predicate?: (obj: T) => boolean;
}

/** How a controller is built. */
export interface ControllerOptions {
  /** For logs and health. */
  name: string;
  reconciler: Reconciler;
  /** Workers reconciling in parallel (default 1). */
  workers?: number;
  clock?: Clock;
  logger?: Logger;
  /** Retry delays (default: defaultControllerRateLimiter). */
  rateLimiter?: RateLimiter;
}

/**
 * Wires informers to a queue and the queue to a Reconciler. Build it, `watch` the informers it needs, then
 * `run` it (usually through a Manager, which starts the informers first).
 */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  private readonly informers: SharedInformer<KubeObject>[] = [];
  private readonly log: Logger;
  private running: Promise<void> | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.name = options.name;
    const clock = options.clock ?? systemClock;
    this.queue = new WorkQueue({ clock, ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}) });
    this.log = (options.logger ?? silentLogger).with({ controller: options.name });
  }

  /** Enqueues the keys `map` gives (default: the object's own key) for every add, update and delete of an informer. */
  watch<T extends KubeObject>(informer: SharedInformer<T>, map: KeyMapper<T> = enqueueObject as KeyMapper<T>, opts: WatchOptions<T> = {}): this {
    const pass = opts.predicate ?? (() => true);
    const enqueue = (obj: T) => {
      if (!pass(obj)) return;
      for (const key of map(obj)) this.queue.add(key);
    };
    informer.addEventHandler({
      onAdd: (obj) => enqueue(obj),
      onUpdate: (oldObj, newObj) => {
        // Both: an owner reference or label that changed may move the object from one key to another.
        if (oldObj !== newObj) enqueue(oldObj);
        enqueue(newObj);
      },
      onDelete: (obj: T | DeletedFinalStateUnknown<T>) => enqueue(objectOfDelete(obj)),
    });
    this.informers.push(informer as unknown as SharedInformer<KubeObject>);
    return this;
  }

  /** Enqueues a key now. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Enqueues a key after `ms`. */
  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** True once every watched informer has synced. */
  hasSynced(): boolean {
    return this.informers.every((i) => i.hasSynced());
  }

  /** Waits for the watched informers to sync, runs the workers until `signal` aborts, then waits for them. */
  run(signal: AbortSignal): Promise<void> {
    this.running ??= this.runWorkers(signal);
    return this.running;
  }

  private async runWorkers(signal: AbortSignal): Promise<void> {
    for (const inf of this.informers) if (!(await inf.waitForSync(signal))) break;
    const stop = () => this.queue.shutDown();
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    const n = Math.max(1, this.options.workers ?? 1);
    this.log.info('starting workers', { workers: n });
    await Promise.all(Array.from({ length: n }, () => this.worker(signal)));
    this.log.info('workers stopped');
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        // Keys still queued when the controller stops are dropped: their reconcile would only see the abort.
        if (!signal.aborted) await this.reconcileKey(key, signal);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async reconcileKey(key: string, signal: AbortSignal): Promise<void> {
    try {
      const result = await this.options.reconciler.reconcile(key, signal);
      this.queue.forget(key);
      if (result && result.requeueAfterMs >= 0) this.queue.addAfter(key, result.requeueAfterMs);
    } catch (e) {
      if (signal.aborted) return;
      const error = e instanceof Error ? e.message : String(e);
      if (e instanceof TerminalError) {
        this.queue.forget(key);
        this.log.error('reconcile failed with a terminal error, not retrying', { key, error });
        return;
      }
      this.log.warn('reconcile failed, retrying', { key, error, retries: this.queue.numRequeues(key) + 1 });
      this.queue.addRateLimited(key);
    }
  }
}
