// Many simulated nodes in one process: one pod feed and one node feed shared by all (events dispatched by
// spec.nodeName), one heartbeat loop renewing leases in staggered slots, one bounded queue of status writes.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { ApiClient, ResourceRef } from '../client/index.js';
import type { KubeObject } from '../api/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../util/index.js';
import { Kubelet } from './kubelet.js';
import { internalIPFor, podCIDRFor, type NodeCapacity } from './node-status.js';
import type { KubeletEventRecorder } from './pod-worker.js';
import type { WorkloadRuntime } from './runtime.js';
import { SimulatedRuntime } from './simulated-runtime.js';
import { WriteQueue } from './write-queue.js';

/**
 * A stream of objects: an initial list, then changes (a shared informer has this shape). Handlers must be quick.
 * `onDelete` may get a tombstone (`{ key, obj }`) for a delete seen only on a relist.
 */
export interface ObjectFeed<T> {
  addEventHandler(handler: {
    onAdd?(obj: T, isInInitialList: boolean): void;
    onUpdate?(oldObj: T, newObj: T): void;
    onDelete?(obj: T | { readonly tombstone: true; readonly key: string; readonly obj: T }): void;
  }): unknown;
  run(signal: AbortSignal): Promise<void>;
}

/** How a pool of simulated nodes is built. */
export interface SimulatedNodePoolOptions {
  client: ApiClient;
  /** Node names (`kin-node-1` ...). */
  names: string[];
  /** The version nodes report (the API server's gitVersion, `v1.32.0`). */
  kubeletVersion: string;
  /** Pods bound to any node (a watch of `spec.nodeName!=`). */
  pods: ObjectFeed<Pod>;
  /** Nodes (so a kubelet sees the node controller mark it NotReady and corrects it). */
  nodes?: ObjectFeed<Node>;
  /** The event recorder of one node's kubelet (component `kubelet`, host = node name). */
  recorderFor(nodeName: string): KubeletEventRecorder;
  runtime?: WorkloadRuntime;
  capacity?: NodeCapacity;
  /** Labels added to every node. */
  labels?: Record<string, string>;
  /** Lease renewal period (default 10 s, a quarter of the 40 s lease). */
  leaseRenewIntervalMs?: number;
  /** Status and delete writes in flight at once (default 32). */
  maxConcurrentWrites?: number;
  clock?: Clock;
  logger?: Logger;
}

const nodesRef: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

function objectOf<T>(x: T | { readonly tombstone: true; readonly key: string; readonly obj: T }): T {
  return typeof x === 'object' && x !== null && (x as { tombstone?: unknown }).tombstone === true ? (x as { obj: T }).obj : (x as T);
}

/** N simulated kubelets sharing one process. */
export class SimulatedNodePool {
  readonly kubelets = new Map<string, Kubelet>();
  readonly writes: WriteQueue;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly runtime: WorkloadRuntime;
  private registeredResolve!: () => void;
  /** Resolves once every node is registered. */
  readonly registered: Promise<void>;

  constructor(private readonly opts: SimulatedNodePoolOptions) {
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.runtime = opts.runtime ?? new SimulatedRuntime({ clock: this.clock });
    this.writes = new WriteQueue(opts.maxConcurrentWrites ?? 32, this.logger);
    this.registered = new Promise((r) => (this.registeredResolve = r));
  }

  /** Registers the nodes (pod CIDRs and IPs chosen so they collide with no node already there), then runs them. */
  async run(signal: AbortSignal): Promise<void> {
    const o = this.opts;
    const existing = (await o.client.resource<Node & KubeObject>(nodesRef).list({ signal })).items;
    const byName = new Map(existing.map((n) => [n.metadata?.name ?? '', n]));
    const usedCIDRs = new Set(existing.map((n) => n.spec?.podCIDR).filter((c): c is string => !!c));
    const usedIPs = new Set(existing.flatMap((n) => (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address)));
    let next = 0;
    for (const name of o.names) {
      const had = byName.get(name);
      let cidr = had?.spec?.podCIDR;
      let ip = had?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      if (!cidr) {
        while (usedCIDRs.has(podCIDRFor(next)) || usedIPs.has(internalIPFor(next))) next++;
        cidr = podCIDRFor(next);
        ip ??= internalIPFor(next);
        next++;
      }
      ip ??= internalIPFor(next++);
      usedCIDRs.add(cidr);
      usedIPs.add(ip);
      this.kubelets.set(
        name,
        new Kubelet({
          client: o.client,
          identity: { name, internalIP: ip, podCIDR: cidr, kubeletVersion: o.kubeletVersion, containerRuntimeVersion: this.runtime.version, ...(o.capacity ? { capacity: o.capacity } : {}), ...(o.labels ? { labels: o.labels } : {}) },
          runtime: this.runtime,
          recorder: o.recorderFor(name),
          writes: this.writes,
          clock: this.clock,
          logger: this.logger,
        }),
      );
    }
    // Registration: a few at a time, so a thousand nodes do not flood the server.
    const queue = [...this.kubelets.values()];
    await Promise.all(
      Array.from({ length: Math.min(16, queue.length) }, async () => {
        for (let k = queue.shift(); k && !signal.aborted; k = queue.shift()) {
          for (let attempt = 0; !signal.aborted; attempt++) {
            try {
              await k.register(signal);
              break;
            } catch (e) {
              this.logger.warn('node registration failed, retrying', { node: k.name, error: e instanceof Error ? e.message : String(e) });
              await this.sleep(Math.min(7000, 500 * 2 ** attempt), signal);
            }
          }
        }
      }),
    );
    if (signal.aborted) return;
    this.registeredResolve();
    o.pods.addEventHandler({
      onAdd: (p) => this.kubelets.get(p.spec?.nodeName ?? '')?.podChanged(p),
      onUpdate: (_, p) => this.kubelets.get(p.spec?.nodeName ?? '')?.podChanged(p),
      onDelete: (x) => {
        const p = objectOf(x);
        this.kubelets.get(p.spec?.nodeName ?? '')?.podDeleted(p);
      },
    });
    o.nodes?.addEventHandler({
      onAdd: (n) => this.kubelets.get(n.metadata?.name ?? '')?.observeNode(n),
      onUpdate: (_, n) => this.kubelets.get(n.metadata?.name ?? '')?.observeNode(n),
    });
    const feeds = [o.pods.run(signal), ...(o.nodes ? [o.nodes.run(signal)] : [])];
    await Promise.all([...feeds, this.heartbeats(signal)]);
    for (const k of this.kubelets.values()) k.stop();
  }

  /** Renews every node's lease once per interval, spread evenly over it (never all at once). */
  private async heartbeats(signal: AbortSignal): Promise<void> {
    const all = [...this.kubelets.values()];
    if (all.length === 0) return;
    const interval = this.opts.leaseRenewIntervalMs ?? 10_000;
    const slot = Math.max(100, interval / all.length);
    // Nodes due so far follow the time elapsed, not the ticks counted: a busy process's late timers do not
    // stretch the renewal period.
    const start = this.clock.monotonic();
    let done = 0;
    while (!signal.aborted) {
      if (!(await this.sleep(slot, signal))) break;
      const due = Math.floor(((this.clock.monotonic() - start) / interval) * all.length);
      // After a long stall, renew each node once, not several times.
      if (due - done > all.length) done = due - all.length;
      for (; done < due; done++) void all[done % all.length]!.heartbeat(signal);
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        cancel();
        resolve(false);
      };
      const cancel = this.clock.setTimer(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Node names `<prefix>-<first>` ... `<prefix>-<first + count - 1>`. */
export function nodeNames(prefix: string, count: number, first = 1): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${first + i}`);
}
