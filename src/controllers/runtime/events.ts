// The event recorder: controllers tell what they did as core/v1 Events, so `kubectl describe` and `kubectl get
// events` show the story. Fire and forget: recording never blocks or fails a reconcile.
import type { KubeObject } from '../../api/index.js';
import { isNotFound, type ApiClient, type ResourceClient, type ResourceRef } from '../../client/index.js';
import { rfc3339, silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';

/** The two event types Kubernetes knows. */
export type EventType = 'Normal' | 'Warning';

/** Records events about objects. */
export interface EventRecorder {
  /** Records that `reason` happened to `obj` (fieldPath as in `spec.containers{name}`, optional). */
  event(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void;
}

/** Options of `ApiEventRecorder`. */
export interface EventRecorderOptions {
  client: ApiClient;
  /** `source.component` and `reportingComponent`: `deployment-controller`, `default-scheduler`, `kubelet`. */
  component: string;
  /** `source.host` and `reportingInstance` (a kubelet's node name); empty for controllers. */
  host?: string;
  clock?: Clock;
  logger?: Logger;
  /** At most this many events waiting to be written; more are dropped (and logged), as client-go drops them. */
  maxPending?: number;
}

const eventsRef: ResourceRef = { group: '', version: 'v1', plural: 'events', namespaced: true };

interface Seen {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

/**
 * Writes core/v1 Events through the API. The same event (object, type, reason, message, source) recorded again
 * is not a new Event: the existing one gets `count` + 1 and a new `lastTimestamp`, as Kubernetes' correlator does.
 * Writes go out one at a time in the background in the order recorded.
 */
export class ApiEventRecorder implements EventRecorder {
  private readonly events: ResourceClient;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxPending: number;
  private readonly seen = new Map<string, Seen>();
  private readonly queue: (() => Promise<void>)[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: EventRecorderOptions) {
    this.events = opts.client.resource(eventsRef);
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.maxPending = opts.maxPending ?? 1000;
  }

  event(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const meta = obj.metadata ?? {};
    if (!meta.name) return;
    if (this.queue.length >= this.maxPending) {
      this.logger.warn('event dropped: too many pending', { reason, object: meta.name });
      return;
    }
    const involvedObject: Record<string, unknown> = { kind: obj.kind, name: meta.name, apiVersion: obj.apiVersion };
    if (meta.namespace) involvedObject['namespace'] = meta.namespace;
    if (meta.uid) involvedObject['uid'] = meta.uid;
    if (meta.resourceVersion) involvedObject['resourceVersion'] = meta.resourceVersion;
    if (fieldPath) involvedObject['fieldPath'] = fieldPath;
    // Events of cluster-scoped objects (Nodes) live in the default namespace, as Kubernetes puts them.
    const namespace = meta.namespace || 'default';
    const now = rfc3339(this.clock.now());
    const key = [obj.kind, namespace, meta.name, meta.uid ?? '', fieldPath ?? '', type, reason, message].join('\u0000');
    this.queue.push(() => this.write(key, namespace, { involvedObject, type, reason, message, now }));
    this.pump();
  }

  /** Resolves once every recorded event has been written (for tests and orderly shutdown). */
  flush(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.running) return;
    this.running = true;
    void (async () => {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        try {
          await job();
        } catch (err) {
          this.logger.debug('event not written', { err: String(err) });
        }
      }
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    })();
  }

  private async write(key: string, namespace: string, e: { involvedObject: Record<string, unknown>; type: EventType; reason: string; message: string; now: string }): Promise<void> {
    const prior = this.seen.get(key);
    if (prior) {
      const count = prior.count + 1;
      try {
        await this.events.patch(prior.name, 'merge', { count, lastTimestamp: e.now }, { namespace: prior.namespace });
        prior.count = count;
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.seen.delete(key); // the event expired or was deleted: start a new one
      }
    }
    const name = `${String(e.involvedObject['name'])}.${uniqueSuffix(this.clock.now())}`;
    const source: Record<string, string> = { component: this.opts.component };
    if (this.opts.host) source['host'] = this.opts.host;
    await this.events.create(
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: e.involvedObject,
        reason: e.reason,
        message: e.message,
        source,
        firstTimestamp: e.now,
        lastTimestamp: e.now,
        count: 1,
        type: e.type,
        reportingComponent: this.opts.component,
        reportingInstance: this.opts.host ?? '',
      } as KubeObject,
      { namespace },
    );
    if (this.seen.size > 4096) this.seen.clear(); // bounded memory: a forgotten event only starts a new count
    this.seen.set(key, { name, namespace, count: 1, firstTimestamp: e.now });
  }
}

let lastSuffix = 0n;

// Kubernetes names an event `<object>.<nanoseconds since the epoch in hex>`; two events in the same millisecond
// get consecutive values so names never collide within a process.
function uniqueSuffix(nowMs: number): string {
  let ns = BigInt(Math.floor(nowMs)) * 1_000_000n;
  if (ns <= lastSuffix) ns = lastSuffix + 1n;
  lastSuffix = ns;
  return ns.toString(16);
}

/** A recorder that keeps events in memory (for tests of controllers). */
export class MemoryEventRecorder implements EventRecorder {
  readonly events: { object: string; type: EventType; reason: string; message: string }[] = [];
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    const m = obj.metadata ?? {};
    this.events.push({ object: `${obj.kind}/${m.namespace ? m.namespace + '/' : ''}${m.name ?? ''}`, type, reason, message });
  }
}
