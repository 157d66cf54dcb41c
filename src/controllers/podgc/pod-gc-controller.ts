// The pod garbage collector (kube-controller-manager's podgc): every 20 s it force-deletes terminated pods beyond a
// threshold, pods bound to nodes that are gone, terminating pods that were never scheduled, and terminating pods on
// nodes taken out of service. Pods that have not finished are marked Failed first, so their end is recorded.
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';
import { isNotFound, type ApiClient, type ResourceClient, type ResourceRef } from '../../client/index.js';
import { rfc3339, silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import { sleep, type Lister, type Runnable, type SharedInformerFactory } from '../runtime/index.js';

/** How often the collector runs (gcCheckPeriod, 20 s). */
export const gcCheckPeriodMs = 20_000;
/** How long a node must stay missing from the cache before a GET confirms it gone (quarantineTime, 40 s). */
export const quarantineTimeMs = 40_000;
/** Terminated pods kept before the oldest are deleted (--terminated-pod-gc-threshold, 12500). */
export const defaultTerminatedPodThreshold = 12_500;
/** The taint an administrator puts on a node that is shut down for good (`node.kubernetes.io/out-of-service`). */
export const outOfServiceTaintKey = 'node.kubernetes.io/out-of-service';

/** Pods and nodes, the resources the collector reads. */
export const podsRef: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
export const nodesRef: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

type PodObj = Pod & KubeObject;
type NodeObj = Node & KubeObject;

/** How the collector is built. */
export interface PodGcOptions {
  client: ApiClient;
  clock?: Clock;
  logger?: Logger;
  /** Terminated pods kept (default 12500); 0 or less turns the terminated-pod pass off, as in Kubernetes. */
  terminatedPodThreshold?: number;
  gcCheckPeriodMs?: number;
  quarantineTimeMs?: number;
}

/** A pod whose phase is neither Pending, Running nor Unknown (isPodTerminated). */
export function isPodTerminated(pod: PodObj): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

/** A pod the kubelet evicted (phase Failed, reason Evicted). */
function isEvicted(pod: PodObj): boolean {
  return pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted';
}

/** The order pods are collected in: evicted ones first, then oldest first, then by name. */
export function byEvictionAndCreation(a: PodObj, b: PodObj): number {
  const ea = isEvicted(a);
  const eb = isEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** True when a node's Ready condition is True. */
function isNodeReady(node: NodeObj): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** One collector; `gc` is one pass over the informers' pods and nodes. */
export class PodGarbageCollector {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly pods: ResourceClient<PodObj>;
  private readonly nodes: ResourceClient<NodeObj>;
  private readonly threshold: number;
  /** Node names missing from the cache → when (monotonic) their quarantine ends. */
  private readonly quarantine = new Map<string, number>();

  constructor(
    private readonly listers: { pods: Lister<PodObj>; nodes: Lister<NodeObj> },
    private readonly opts: PodGcOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.logger ?? silentLogger).with({ controller: 'pod-garbage-collector' });
    this.pods = opts.client.resource(podsRef);
    this.nodes = opts.client.resource(nodesRef);
    this.threshold = opts.terminatedPodThreshold ?? defaultTerminatedPodThreshold;
  }

  /** One pass: terminated pods over the threshold, terminating pods on out-of-service nodes, orphans, unscheduled terminating pods. */
  async gc(signal: AbortSignal): Promise<void> {
    const pods = this.listers.pods.list();
    const nodes = this.listers.nodes.list();
    if (this.threshold > 0) await this.gcTerminated(pods, signal);
    await this.gcTerminatingOutOfService(pods, signal);
    await this.gcOrphaned(pods, nodes, signal);
    await this.gcUnscheduledTerminating(pods, signal);
  }

  private async gcTerminated(pods: PodObj[], signal: AbortSignal): Promise<void> {
    const terminated = pods.filter(isPodTerminated);
    const excess = terminated.length - this.threshold;
    if (excess <= 0) return;
    this.log.info('garbage collecting pods', { numPods: excess });
    terminated.sort(byEvictionAndCreation);
    await forEachLimited(terminated.slice(0, excess), 16, (p) => this.markFailedAndDelete(p, undefined, signal));
  }

  private async gcTerminatingOutOfService(pods: PodObj[], signal: AbortSignal): Promise<void> {
    const doomed: PodObj[] = [];
    for (const pod of pods) {
      if (!pod.metadata?.deletionTimestamp) continue;
      const node = this.listers.nodes.get(pod.spec?.nodeName ?? '');
      if (!node) continue;
      // The administrator says the node is down for good: its pods will never be confirmed stopped by a kubelet.
      if (!isNodeReady(node) && (node.spec?.taints ?? []).some((t) => t.key === outOfServiceTaintKey)) doomed.push(pod);
    }
    if (doomed.length === 0) return;
    doomed.sort(byEvictionAndCreation);
    await forEachLimited(doomed, 16, (p) => this.markFailedAndDelete(p, undefined, signal));
  }

  private async gcOrphaned(pods: PodObj[], nodes: NodeObj[], signal: AbortSignal): Promise<void> {
    const existing = new Set(nodes.map((n) => n.metadata?.name ?? ''));
    const now = this.clock.monotonic();
    for (const pod of pods) {
      const nodeName = pod.spec?.nodeName;
      // A node the cache does not know may only be late: it waits out the quarantine (the earliest deadline stays).
      if (nodeName && !existing.has(nodeName) && !this.quarantine.has(nodeName)) this.quarantine.set(nodeName, now + (this.opts.quarantineTimeMs ?? quarantineTimeMs));
    }
    const deleted = new Set<string>();
    for (const [nodeName, until] of [...this.quarantine]) {
      if (until > now) continue;
      this.quarantine.delete(nodeName);
      if (existing.has(nodeName)) continue;
      try {
        await this.nodes.get(nodeName, { signal });
      } catch (e) {
        if (isNotFound(e)) deleted.add(nodeName);
        // Any other error: the node is quarantined again by the next pass if its pods are still there.
        else this.log.warn('error while getting node', { node: nodeName, error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (deleted.size === 0) return;
    const condition: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' };
    for (const pod of pods) {
      if (signal.aborted) return;
      if (!deleted.has(pod.spec?.nodeName ?? '')) continue;
      this.log.info('found orphaned pod assigned to the node, deleting', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, node: pod.spec?.nodeName });
      await this.markFailedAndDelete(pod, condition, signal);
    }
  }

  private async gcUnscheduledTerminating(pods: PodObj[], signal: AbortSignal): Promise<void> {
    for (const pod of pods) {
      if (signal.aborted) return;
      if (!pod.metadata?.deletionTimestamp || pod.spec?.nodeName) continue;
      this.log.info('found unscheduled terminating pod not assigned to any node, deleting', { pod: `${pod.metadata.namespace}/${pod.metadata.name}` });
      await this.markFailedAndDelete(pod, undefined, signal);
    }
  }

  /**
   * Marks a pod that has not finished Failed (with `condition`, when given) so its end is recorded even with no
   * kubelet left to do it, then deletes it with grace period 0. Errors are logged: the next pass tries again.
   */
  private async markFailedAndDelete(pod: PodObj, condition: PodCondition | undefined, signal: AbortSignal): Promise<void> {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    this.log.info('force deleting pod', { pod: `${namespace}/${name}` });
    try {
      const phase = pod.status?.phase;
      if (phase !== 'Succeeded' && phase !== 'Failed') {
        const status: Record<string, unknown> = { phase: 'Failed' };
        if (condition) status['conditions'] = [withTransitionTime(condition, pod, this.clock.now())];
        // The uid guards against a pod of the same name made since the cache saw this one.
        await this.pods.patch(name, 'strategic', { metadata: { uid: pod.metadata?.uid }, status }, { namespace, subresource: 'status', signal });
      }
      await this.pods.delete(name, { namespace, gracePeriodSeconds: 0, signal });
    } catch (e) {
      if (isNotFound(e) || signal.aborted) return;
      this.log.warn('failed to delete pod', { pod: `${namespace}/${name}`, error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/** The condition as the pod will carry it: a new transition time only when its status changes. */
function withTransitionTime(condition: PodCondition, pod: PodObj, now: number): PodCondition {
  const prev = pod.status?.conditions?.find((c) => c.type === condition.type);
  const lastTransitionTime = prev && prev.status === condition.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now);
  return { ...condition, lastTransitionTime };
}

/** Builds the controller: a loop running the collector every 20 s once the pod and node caches have synced. */
export function newPodGcController(factory: SharedInformerFactory, opts: PodGcOptions): Runnable & { collector: PodGarbageCollector } {
  const pods = factory.informerFor<PodObj>(podsRef);
  const nodes = factory.informerFor<NodeObj>(nodesRef);
  const collector = new PodGarbageCollector({ pods: pods.store, nodes: nodes.store }, opts);
  const clock = opts.clock ?? systemClock;
  return {
    name: 'pod-garbage-collector',
    collector,
    async run(signal: AbortSignal): Promise<void> {
      if (!(await pods.waitForSync(signal)) || !(await nodes.waitForSync(signal))) return;
      while (!signal.aborted) {
        await collector.gc(signal);
        if (!(await sleep(clock, opts.gcCheckPeriodMs ?? gcCheckPeriodMs, signal))) return;
      }
    },
  };
}
