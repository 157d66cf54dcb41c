// Fan-out of event batches to watchers, shared by every driver and by the watch cache.
import { StorageError, type Watch, type WatchCallback, type WatchEvent } from './backend.js';
import { checkRevision } from './keys.js';

/** Where a hub gets the state it needs when a watch starts. */
export interface WatchSource {
  /** The revision of the newest event published so far: later events reach new watchers through `publish`. */
  revision(): number;
  /** Events after `fromRevision` under `prefix`, up to `revision()`; throws a Compacted StorageError if gone. */
  replay(prefix: string, fromRevision: number): WatchEvent[];
}

interface Watcher {
  readonly prefix: string;
  readonly cb: WatchCallback;
  /** Events at or below this revision were replayed already (or precede the watch): skip them. */
  readonly after: number;
  /** Batches held until the first delivery (while the watch starts: the replay, then live batches), then null. */
  backlog: WatchEvent[][] | null;
  ended: boolean;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Delivers published batches to watchers in revision order, exactly once.
 *
 * Watchers are grouped by prefix: each batch is filtered once per distinct prefix and the same array is handed
 * to every watcher of the group (callbacks must not mutate it), so a thousand watchers on one prefix cost a
 * thousand calls and nothing more. A new watch first gets its replayed history in a microtask (so that the
 * caller holds the returned handle before any callback runs); events published in between are appended to its
 * backlog. Publishing from inside a callback is queued until the current batch has reached every watcher, so
 * every watcher sees batches in the same order.
 */
export class WatchHub {
  private readonly groups = new Map<string, Set<Watcher>>();
  private readonly queue: WatchEvent[][] = [];
  private dispatching = false;
  private count = 0;

  constructor(private readonly source: WatchSource) {}

  /** Number of live watchers. */
  get size(): number {
    return this.count;
  }

  /** Starts a watch; failures (such as Compacted) reject `done`. */
  watch(prefix: string, fromRevision: number, cb: WatchCallback): Watch {
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A caller that never looks at `done` must not bring the process down with an unhandled rejection.
    done.catch(() => {});
    let replay: WatchEvent[];
    try {
      if (typeof prefix !== 'string') throw new StorageError('Unavailable', 'watch prefix must be a string');
      checkRevision(fromRevision);
      if (typeof cb !== 'function') throw new StorageError('Unavailable', 'watch callback must be a function');
      replay = this.source.replay(prefix, fromRevision);
    } catch (err) {
      reject(err);
      return { cancel() {}, done };
    }
    const after = Math.max(fromRevision, this.source.revision());
    const w: Watcher = { prefix, cb, after, backlog: replay.length > 0 ? [replay] : [], ended: false, resolve, reject };
    let set = this.groups.get(prefix);
    if (!set) this.groups.set(prefix, (set = new Set()));
    set.add(w);
    this.count++;
    queueMicrotask(() => this.start(w));
    return { cancel: () => this.end(w), done };
  }

  /** Hands a batch (in revision order, after every earlier batch) to the matching watchers. */
  publish(events: WatchEvent[]): void {
    if (events.length === 0) return;
    this.queue.push(events);
    if (!this.dispatching) this.drain();
  }

  /** Ends every watch: with `err` (done rejects), or cleanly. */
  closeAll(err?: unknown): void {
    for (const set of [...this.groups.values()]) for (const w of [...set]) this.end(w, err);
  }

  private start(w: Watcher): void {
    if (w.ended || !w.backlog) return;
    const backlog = w.backlog;
    w.backlog = null;
    if (backlog.length === 0) return;
    this.dispatching = true;
    try {
      for (const batch of backlog) this.deliver(w, batch);
    } finally {
      this.dispatching = false;
    }
    if (this.queue.length > 0) this.drain();
  }

  private drain(): void {
    this.dispatching = true;
    try {
      for (let batch = this.queue.shift(); batch; batch = this.queue.shift()) this.fanOut(batch);
    } finally {
      this.dispatching = false;
    }
  }

  private fanOut(batch: WatchEvent[]): void {
    for (const [prefix, set] of this.groups) {
      const events = prefix === '' ? batch : withPrefix(batch, prefix);
      if (events.length === 0) continue;
      const first = (events[0] as WatchEvent).modRevision;
      const last = (events[events.length - 1] as WatchEvent).modRevision;
      for (const w of set) {
        let mine = events;
        if (w.after >= first) {
          if (w.after >= last) continue;
          mine = events.filter((e) => e.modRevision > w.after);
        }
        if (w.backlog) w.backlog.push(mine);
        else this.deliver(w, mine);
      }
    }
  }

  private deliver(w: Watcher, events: WatchEvent[]): void {
    if (w.ended) return;
    try {
      w.cb(events);
    } catch (err) {
      // A throwing callback ends its own watch, never the others or the writer.
      this.end(w, err);
    }
  }

  private end(w: Watcher, err?: unknown): void {
    if (w.ended) return;
    w.ended = true;
    w.backlog = null;
    this.count--;
    const set = this.groups.get(w.prefix);
    if (set) {
      set.delete(w);
      if (set.size === 0) this.groups.delete(w.prefix);
    }
    if (err === undefined) w.resolve();
    else w.reject(err);
  }
}

// The events whose key starts with `prefix`: `batch` itself when all of them do, so that no copy is made.
function withPrefix(batch: WatchEvent[], prefix: string): WatchEvent[] {
  let i = 0;
  while (i < batch.length && (batch[i] as WatchEvent).key.startsWith(prefix)) i++;
  if (i === batch.length) return batch;
  const out = batch.slice(0, i);
  for (i++; i < batch.length; i++) {
    const e = batch[i] as WatchEvent;
    if (e.key.startsWith(prefix)) out.push(e);
  }
  return out;
}
