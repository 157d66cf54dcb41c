// The node lifecycle controller: watches Nodes and their Leases; a node not heard from within the grace period
// gets its conditions set to Unknown, its pods marked not ready, and the unreachable (or not-ready) taints that
// the taint eviction controller acts on.
import type { Node, NodeCondition, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';
import { isConflict, isNotFound, type ApiClient, type ResourceClient, type ResourceRef } from '../../client/index.js';
import { rfc3339, silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import { sleep, type EventRecorder, type Runnable, type SharedInformer, type SharedInformerFactory } from '../runtime/index.js';
import { lifecycleTaints, notReadyTaintKey, unreachableTaintKey } from './taints.js';
import { newTaintEvictionController } from './taint-eviction.js';

/** How often node health is checked (--node-monitor-period, 5 s). */
export const nodeMonitorPeriodMs = 5_000;
/** How long a node may go unheard before it is marked Unknown (--node-monitor-grace-period, 50 s since 1.32). */
export const nodeMonitorGracePeriodMs = 50_000;
/** The same for a node that never posted status (--node-startup-grace-period, 60 s). */
export const nodeStartupGracePeriodMs = 60_000;
/** NoExecute taints per zone per second in a healthy zone (--node-eviction-rate, 0.1). */
export const nodeEvictionRate = 0.1;
/** A zone with at least this share of its nodes not ready (and more than two) is partially disrupted (0.55). */
export const unhealthyZoneThreshold = 0.55;

/** A zone's state, as the node lifecycle controller sees it. */
export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** The zone of a node (its topology.kubernetes.io/zone label; '' when it has none). */
export function zoneOf(node: { metadata?: { labels?: Record<string, string> } }): string {
  return node.metadata?.labels?.['topology.kubernetes.io/zone'] ?? '';
}

/** A zone's state from how many of its nodes are not ready (ComputeZoneState). */
export function zoneState(notReady: number, total: number): ZoneState {
  if (total > 0 && notReady === total) return 'FullDisruption';
  if (notReady > 2 && notReady / total >= unhealthyZoneThreshold) return 'PartialDisruption';
  return 'Normal';
}

type NodeObj = Node & KubeObject;
type PodObj = Pod & KubeObject;
type LeaseObj = KubeObject & { spec?: { renewTime?: string } };

/** Nodes, pods and node leases, the resources this controller watches. */
export const nodesRef: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
export const podsRef: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
export const leasesRef: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };

/** The pods informer index of pods by spec.nodeName. */
export const podsByNodeIndex = 'spec.nodeName';
/** Files a pod under its node. */
export const indexPodByNode = (p: KubeObject): string[] => {
  const n = (p as PodObj).spec?.nodeName;
  return n ? [n] : [];
};

const lifecycleKeys = new Set([unreachableTaintKey, notReadyTaintKey]);
const conditionTypes = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];

interface Health {
  probeMono: number;
  heartbeat: string | undefined;
  renew: string | undefined;
}

/** How the controller is built. */
export interface NodeLifecycleOptions {
  client: ApiClient;
  clock?: Clock;
  logger?: Logger;
  /** Events on Nodes and Pods (component `node-controller`). */
  recorder?: EventRecorder;
  monitorPeriodMs?: number;
  gracePeriodMs?: number;
  startupGracePeriodMs?: number;
}

/** Marks unheard nodes Unknown and keeps the lifecycle taints in step with each node's Ready condition. */
export class NodeHealthMonitor {
  private readonly health = new Map<string, Health>();
  private readonly zones = new Map<string, ZoneState>();
  /** When each zone last got a NoExecute taint (the eviction rate limiter). */
  private readonly lastTaint = new Map<string, number>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly nodes: ResourceClient<NodeObj>;
  private readonly pods: ResourceClient<PodObj>;

  constructor(
    private readonly informers: { nodes: SharedInformer<NodeObj>; leases: SharedInformer<LeaseObj>; pods: SharedInformer<PodObj> },
    private readonly opts: NodeLifecycleOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.logger ?? silentLogger).with({ controller: 'node-lifecycle' });
    this.nodes = opts.client.resource(nodesRef);
    this.pods = opts.client.resource(podsRef);
  }

  /** One pass over every node. */
  async monitor(signal: AbortSignal): Promise<void> {
    // First every node's health, then the zones' states from it, then the taints.
    const seen: { node: NodeObj; ready: string | undefined }[] = [];
    for (const node of this.informers.nodes.store.list()) {
      if (signal.aborted) return;
      try {
        seen.push(await this.monitorNode(node, signal));
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e)) this.log.warn('node health check failed', { node: node.metadata?.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    // A zone where most or all nodes went dark is more likely cut off from the control plane than broken: its pods
    // are not evicted (or, partially disrupted, no more are).
    const counts = new Map<string, { notReady: number; total: number }>();
    for (const { node, ready } of seen) {
      const z = zoneOf(node);
      const c = counts.get(z) ?? { notReady: 0, total: 0 };
      c.total++;
      if (ready !== 'True') c.notReady++;
      counts.set(z, c);
    }
    this.zones.clear();
    for (const [z, c] of counts) this.zones.set(z, zoneState(c.notReady, c.total));
    for (const { node, ready } of seen) {
      if (signal.aborted) return;
      try {
        await this.reconcileTaints(node, ready, signal);
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e)) this.log.warn('node taint update failed', { node: node.metadata?.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    const names = new Set(this.informers.nodes.store.keys());
    for (const name of this.health.keys()) if (!names.has(name)) this.health.delete(name);
  }

  /** Updates one node's conditions when it has gone unheard; returns the node as now stored and its Ready status. */
  private async monitorNode(observed: NodeObj, signal: AbortSignal): Promise<{ node: NodeObj; ready: string | undefined }> {
    let node = observed;
    const name = node.metadata?.name ?? '';
    const now = this.clock.monotonic();
    const conditions = node.status?.conditions ?? [];
    const ready = conditions.find((c) => c.type === 'Ready');
    const renew = this.informers.leases.store.get(`kube-node-lease/${name}`)?.spec?.renewTime;
    let h = this.health.get(name);
    if (!h) {
      h = { probeMono: now, heartbeat: ready?.lastHeartbeatTime, renew };
      this.health.set(name, h);
      this.opts.recorder?.event(node, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
    }
    // Heard from: the Ready heartbeat or the lease's renewTime moved since the last look.
    if (ready?.lastHeartbeatTime !== h.heartbeat || renew !== h.renew) {
      h.heartbeat = ready?.lastHeartbeatTime;
      h.renew = renew;
      h.probeMono = now;
    }
    let readyStatus = ready?.status;
    const grace = ready ? (this.opts.gracePeriodMs ?? nodeMonitorGracePeriodMs) : (this.opts.startupGracePeriodMs ?? nodeStartupGracePeriodMs);
    if (now - h.probeMono > grace && conditionTypes.some((t) => conditions.find((c) => c.type === t)?.status !== 'Unknown')) {
      const stamp = rfc3339(this.clock.now());
      const [reason, message] = ready ? ['NodeStatusUnknown', 'Kubelet stopped posting node status.'] : ['NodeStatusNeverUpdated', 'Kubelet never posted node status.'];
      const next: NodeCondition[] = conditions.filter((c) => !conditionTypes.includes(c.type));
      for (const type of conditionTypes) {
        const prev = conditions.find((c) => c.type === type);
        if (prev?.status === 'Unknown') next.push(prev);
        else next.push({ type, status: 'Unknown', reason, message, lastHeartbeatTime: prev?.lastHeartbeatTime ?? (node.metadata?.creationTimestamp as string), lastTransitionTime: stamp });
      }
      // The taints below are written on top of this version (the informer's copy is now stale).
      node = await this.nodes.patch(name, 'merge', { status: { conditions: next } }, { subresource: 'status', signal });
      readyStatus = 'Unknown';
      if (ready?.status === 'True') {
        this.opts.recorder?.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
        await this.markPodsNotReady(name, signal);
      }
    }
    return { node, ready: readyStatus };
  }

  /** Sets the Ready condition of every pod on the node to False (the kubelet that would cannot). */
  private async markPodsNotReady(nodeName: string, signal: AbortSignal): Promise<void> {
    const stamp = rfc3339(this.clock.now());
    for (const pod of this.informers.pods.store.byIndex(podsByNodeIndex, nodeName)) {
      const conds = pod.status?.conditions ?? [];
      const ready = conds.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const next = conds.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: stamp } : c));
      this.opts.recorder?.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      try {
        await this.pods.patch(pod.metadata?.name ?? '', 'merge', { status: { conditions: next } }, { namespace: pod.metadata?.namespace ?? '', subresource: 'status', signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  /** Adds the taints the Ready status calls for and removes the lifecycle taints it does not. */
  private async reconcileTaints(node: NodeObj, readyStatus: string | undefined, signal: AbortSignal): Promise<void> {
    const current: Taint[] = node.spec?.taints ?? [];
    const zone = zoneOf(node);
    const state = this.zones.get(zone) ?? 'Normal';
    const hasNoExecute = (key: string) => current.some((t) => t.key === key && t.effect === 'NoExecute');
    let want = lifecycleTaints(readyStatus);
    if (state === 'FullDisruption') want = want.filter((w) => w.effect !== 'NoExecute');
    // Partially disrupted: no new NoExecute taints; healthy: at most nodeEvictionRate per second per zone.
    const mono = this.clock.monotonic();
    const last = this.lastTaint.get(zone);
    const rateOk = last === undefined || mono - last >= 1000 / nodeEvictionRate;
    if (state === 'PartialDisruption' || (state === 'Normal' && !rateOk)) want = want.filter((w) => w.effect !== 'NoExecute' || hasNoExecute(w.key));
    if (want.some((w) => w.effect === 'NoExecute' && !hasNoExecute(w.key))) this.lastTaint.set(zone, mono);
    const keep = current.filter((t) => !lifecycleKeys.has(t.key) || want.some((w) => w.key === t.key && w.effect === t.effect));
    const add = want.filter((w) => !current.some((t) => t.key === w.key && t.effect === w.effect));
    if (add.length === 0 && keep.length === current.length) return;
    const stamp = rfc3339(this.clock.now());
    const taints: Taint[] = [...keep, ...add.map((w) => (w.effect === 'NoExecute' ? { ...w, timeAdded: stamp } : { ...w }))];
    await this.nodes.update({ ...node, spec: { ...node.spec, taints } }, { signal });
  }
}

/** Builds the controller: the health monitor loop and the taint eviction controller, run together. */
export function newNodeLifecycleController(
  factory: SharedInformerFactory,
  opts: NodeLifecycleOptions & { evictionRecorder?: EventRecorder },
): Runnable & { monitor: NodeHealthMonitor } {
  const informers = {
    nodes: factory.informerFor<NodeObj>(nodesRef),
    leases: factory.informerFor<LeaseObj>(leasesRef, { namespace: 'kube-node-lease' }),
    pods: factory.informerFor<PodObj>(podsRef, { indexers: { [podsByNodeIndex]: indexPodByNode } }),
  };
  const monitor = new NodeHealthMonitor(informers, opts);
  const eviction = newTaintEvictionController(informers, { ...opts, ...(opts.evictionRecorder ? { recorder: opts.evictionRecorder } : {}) });
  const clock = opts.clock ?? systemClock;
  return {
    name: 'node-lifecycle',
    monitor,
    async run(signal: AbortSignal): Promise<void> {
      const loop = async () => {
        for (const inf of Object.values(informers)) if (!(await inf.waitForSync(signal))) return;
        while (!signal.aborted) {
          await monitor.monitor(signal);
          if (!(await sleep(clock, opts.monitorPeriodMs ?? nodeMonitorPeriodMs, signal))) return;
        }
      };
      await Promise.all([loop(), eviction.run(signal)]);
    },
  };
}
