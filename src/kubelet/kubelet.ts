// One node's kubelet: registers the Node, renews its Lease, posts node status, and runs the pods bound to it through
// pod workers, writing their status and deleting them once gracefully stopped. It is driven by a node pool (which
// owns the pod and node watches and the heartbeat loop), so a thousand of them share one process cheaply.
import { randomUUID } from 'node:crypto';
import type { Container, Node, NodeCondition, Pod } from 'kubernetes-types/core/v1.js';
import { isAlreadyExists, isConflict, isInvalid, isNotFound, type ApiClient, type ResourceClient, type ResourceRef } from '../client/index.js';
import type { KubeObject } from '../api/index.js';
import { rfc3339, rfc3339Micro, silentLogger, systemClock, type Clock, type Logger } from '../util/index.js';
import { admitPod } from './admission.js';
import { healthyConditions, nodeLease, nodeLeaseNamespace, nodeObject, nodeStatus, PodIPAllocator, type NodeIdentity } from './node-status.js';
import { PodWorker, type KubeletEventRecorder, type PodWorkerHost } from './pod-worker.js';
import { WorkloadError, type PulledImage, type WorkloadRuntime } from './runtime.js';
import { WriteQueue } from './write-queue.js';

const nodesRef: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const podsRef: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const leasesRef: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };

/** How often a kubelet posts its node status when nothing changed (nodeStatusReportFrequency, 5 minutes). */
export const nodeStatusReportMs = 5 * 60_000;

/** How a kubelet is built. */
export interface KubeletOptions {
  client: ApiClient;
  identity: NodeIdentity;
  runtime: WorkloadRuntime;
  recorder: KubeletEventRecorder;
  /** Pod status writes (shared between the kubelets of a process). */
  writes: WriteQueue;
  clock?: Clock;
  logger?: Logger;
}

type Lease = KubeObject & { spec?: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string } };

/** A Go-style duration for pull times (`523ms`, `1.234s`). */
function pullDuration(ms: number): string {
  if (ms <= 0) return '0s';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}

/** One node's agent. */
export class Kubelet implements PodWorkerHost {
  readonly name: string;
  readonly clock: Clock;
  readonly runtime: WorkloadRuntime;
  readonly recorder: KubeletEventRecorder;
  readonly logger: Logger;
  readonly hostIP: string;
  private readonly nodes: ResourceClient<Node & KubeObject>;
  private readonly pods: ResourceClient<Pod & KubeObject>;
  private readonly leases: ResourceClient<Lease>;
  private readonly ips: PodIPAllocator;
  private readonly workers = new Map<string, PodWorker>();
  private readonly written = new Map<string, string>();
  private readonly images = new Map<string, PulledImage>();
  private readonly bootID = randomUUID();
  private nodeUid = '';
  private lease: Lease | undefined;
  private conditions: NodeCondition[] = [];
  private lastStatusMono = Number.NEGATIVE_INFINITY;
  private statusWanted = false;
  private beating = false;
  private stopped = false;
  /** True once the Node exists. */
  registered = false;

  constructor(private readonly opts: KubeletOptions) {
    this.name = opts.identity.name;
    this.clock = opts.clock ?? systemClock;
    this.runtime = opts.runtime;
    this.recorder = opts.recorder;
    this.logger = (opts.logger ?? silentLogger).with({ node: this.name });
    this.hostIP = opts.identity.internalIP;
    this.nodes = opts.client.resource(nodesRef);
    this.pods = opts.client.resource(podsRef);
    this.leases = opts.client.resource(leasesRef);
    this.ips = new PodIPAllocator(opts.identity.podCIDR);
  }

  /** The pod CIDR this node hands IPs from. */
  get podCIDR(): string {
    return this.opts.identity.podCIDR;
  }

  /** Pods this node is running (not finished). */
  get activePods(): number {
    let n = 0;
    for (const w of this.workers.values()) if (!w.done) n++;
    return n;
  }

  private nodeRef(): Node & KubeObject {
    return { apiVersion: 'v1', kind: 'Node', metadata: { name: this.name, uid: this.name } };
  }

  /** Creates the Node (or takes over an existing one with this name) and its Lease. */
  async register(signal: AbortSignal): Promise<void> {
    const now = rfc3339(this.clock.now());
    const obj = nodeObject(this.opts.identity, now, this.bootID);
    this.recorder.event(this.nodeRef(), 'Normal', 'Starting', 'Starting kubelet.');
    let node: Node;
    try {
      node = await this.nodes.create(obj as Node & KubeObject, { signal });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      node = await this.nodes.patch(this.name, 'merge', { metadata: { labels: obj.metadata?.labels, annotations: obj.metadata?.annotations } }, { signal });
      node = await this.nodes.patch(this.name, 'merge', { status: obj.status }, { subresource: 'status', signal });
    }
    this.nodeUid = node.metadata?.uid ?? '';
    this.conditions = obj.status?.conditions ?? [];
    this.lastStatusMono = this.clock.monotonic();
    this.registered = true;
    for (const [reason, what] of [
      ['NodeHasSufficientMemory', 'NodeHasSufficientMemory'],
      ['NodeHasNoDiskPressure', 'NodeHasNoDiskPressure'],
      ['NodeHasSufficientPID', 'NodeHasSufficientPID'],
      ['NodeReady', 'NodeReady'],
    ] as const) {
      this.recorder.event(this.nodeRef(), 'Normal', reason, `Node ${this.name} status is now: ${what}`);
    }
    await this.renewLease(signal);
  }

  /** One heartbeat: renew the Lease; post node status when it changed, the server's copy is off, or 5 minutes passed. */
  async heartbeat(signal: AbortSignal): Promise<void> {
    if (this.beating || this.stopped || !this.registered) return;
    this.beating = true;
    try {
      await this.renewLease(signal);
      if (this.statusWanted || this.clock.monotonic() - this.lastStatusMono >= nodeStatusReportMs) await this.postStatus(signal);
    } catch (e) {
      this.logger.warn('heartbeat failed', { error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.beating = false;
    }
  }

  private async renewLease(signal: AbortSignal): Promise<void> {
    const now = this.clock.now();
    if (!this.lease) {
      // Create first (a new node has none), read it when it is already there.
      try {
        this.lease = await this.leases.create(nodeLease(this.name, this.nodeUid, now) as Lease, { namespace: nodeLeaseNamespace, signal });
        return;
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        this.lease = await this.leases.get(this.name, { namespace: nodeLeaseNamespace, signal });
      }
    }
    const next: Lease = { ...this.lease, spec: { ...this.lease.spec, holderIdentity: this.name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(now) } };
    try {
      this.lease = await this.leases.update(next, { namespace: nodeLeaseNamespace, signal });
    } catch (e) {
      this.lease = undefined; // read it again next time (changed by someone else, or deleted)
      if (!isConflict(e) && !isNotFound(e)) throw e;
    }
  }

  private async postStatus(signal: AbortSignal): Promise<void> {
    const now = rfc3339(this.clock.now());
    const conditions = healthyConditions(now, this.conditions);
    const status = nodeStatus(this.opts.identity, conditions, this.bootID);
    await this.nodes.patch(this.name, 'merge', { status }, { subresource: 'status', signal });
    this.conditions = conditions;
    this.statusWanted = false;
    this.lastStatusMono = this.clock.monotonic();
  }

  /** The node as the API has it: a Ready condition this kubelet did not post (the node controller's) is corrected. */
  observeNode(node: Node): void {
    if (node.metadata?.name !== this.name || this.stopped) return;
    if (node.metadata.uid) this.nodeUid = node.metadata.uid;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    if (this.registered && (!ready || ready.status !== 'True' || ready.reason !== 'KubeletReady')) {
      // Someone else (the node controller) changed the conditions: post ours, with transitions from theirs.
      this.conditions = node.status?.conditions ?? [];
      this.statusWanted = true;
    }
  }

  /** A pod bound to this node was added or changed. */
  podChanged(pod: Pod): void {
    if (this.stopped) return;
    const uid = pod.metadata?.uid ?? '';
    let w = this.workers.get(uid);
    if (!w) {
      for (const other of this.workers.values()) {
        // A pod recreated with the same name (a StatefulSet's): the old one's worker goes.
        if (other.key === `${pod.metadata?.namespace}/${pod.metadata?.name}`) this.forget(other);
      }
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') {
        // Finished before this kubelet saw it (or before it restarted): nothing runs; a deletion completes at once.
        if (pod.metadata?.deletionTimestamp) this.deletePod(pod);
        return;
      }
      if (!pod.metadata?.deletionTimestamp) {
        const cap = this.opts.identity.capacity ?? {};
        const running = [...this.workers.values()].filter((x) => !x.done).map((x) => x.current);
        const refused = admitPod(pod, running, { pods: cap.pods ?? 110, cpuMilli: (cap.cpu ?? 4) * 1000, memoryBytes: (cap.memoryBytes ?? 16 * 1024 ** 3) - 100 * 1024 ** 2 });
        if (refused) {
          this.reject(pod, refused.reason, refused.message);
          return;
        }
      }
      w = new PodWorker(pod, this);
      this.workers.set(uid, w);
    }
    w.update(pod);
    // The node controller marks pods not ready (Ready False, no reason) while it cannot hear this node; once heard
    // again, the kubelet's own view is written back.
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status === 'False' && !ready.reason && !w.done) {
      this.written.delete(uid);
      this.statusChanged(w);
    }
  }

  /** A pod bound to this node is gone from the API: forget it. */
  podDeleted(pod: Pod): void {
    const w = this.workers.get(pod.metadata?.uid ?? '');
    if (w) this.forget(w);
  }

  private forget(w: PodWorker): void {
    w.forget();
    this.workers.delete(w.uid);
    this.written.delete(w.uid);
  }

  private reject(pod: Pod, reason: string, message: string): void {
    this.recorder.event(pod as KubeObject, 'Warning', reason, message);
    const m = pod.metadata ?? {};
    this.opts.writes.schedule(`${this.name}/${m.uid}`, async () => {
      await this.pods.patch(m.name ?? '', 'merge', { metadata: { uid: m.uid }, status: { phase: 'Failed', reason, message } }, { namespace: m.namespace ?? '', subresource: 'status' }).catch(() => undefined);
    });
  }

  /** Stops every pod worker and all timers, writing nothing more (the process is going away). */
  stop(): void {
    this.stopped = true;
    for (const w of this.workers.values()) w.forget();
    this.workers.clear();
  }

  // PodWorkerHost

  allocateIP(uid: string, want?: string): string | undefined {
    return this.ips.allocate(uid, want);
  }

  releaseIP(uid: string): void {
    this.ips.release(uid);
  }

  async ensureImage(pod: Pod, container: Container, fieldPath: string, signal: AbortSignal): Promise<PulledImage> {
    const image = container.image ?? '';
    const policy = container.imagePullPolicy ?? (/:latest$|^[^:@]*$/.test(image.slice(image.lastIndexOf('/') + 1)) ? 'Always' : 'IfNotPresent');
    const present = this.images.get(image);
    const obj = pod as KubeObject;
    if (present && policy !== 'Always') {
      this.recorder.event(obj, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, fieldPath);
      return present;
    }
    if (policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.recorder.event(obj, 'Warning', 'ErrImageNeverPull', message, fieldPath);
      throw new WorkloadError('ErrImageNeverPull', message);
    }
    this.recorder.event(obj, 'Normal', 'Pulling', `Pulling image "${image}"`, fieldPath);
    const t0 = this.clock.monotonic();
    const pulled = await this.runtime.pullImage(image, signal);
    const took = pullDuration(this.clock.monotonic() - t0);
    this.recorder.event(obj, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${pulled.sizeBytes} bytes.`, fieldPath);
    this.images.set(image, pulled);
    return pulled;
  }

  statusChanged(w: PodWorker): void {
    if (this.stopped || this.workers.get(w.uid) !== w) return;
    this.opts.writes.schedule(`${this.name}/${w.uid}`, () => this.writeStatus(w));
  }

  terminated(w: PodWorker): void {
    if (this.stopped) return;
    this.opts.writes.schedule(`${this.name}/${w.uid}`, async () => {
      await this.writeStatus(w);
      if (this.workers.get(w.uid) === w) this.deletePod(w.current);
    });
  }

  private deletePod(pod: Pod): void {
    const m = pod.metadata ?? {};
    void this.pods.delete(m.name ?? '', { namespace: m.namespace ?? '', gracePeriodSeconds: 0, preconditions: { uid: m.uid ?? '' } }).catch((e: unknown) => {
      if (!isNotFound(e) && !isConflict(e)) this.logger.warn('pod delete failed', { pod: m.name, error: e instanceof Error ? e.message : String(e) });
    });
  }

  private async writeStatus(w: PodWorker): Promise<void> {
    if (this.stopped || this.workers.get(w.uid) !== w) return;
    const pod = w.current;
    const status = w.status();
    const json = JSON.stringify(status);
    if (this.written.get(w.uid) === json) return;
    const patch: Record<string, unknown> = { ...status };
    // Fields this kubelet does not set now but the pod has are removed (a merge patch keeps what it does not name).
    if (!status.reason && pod.status?.reason) patch['reason'] = null;
    if (!status.message && pod.status?.message) patch['message'] = null;
    const m = pod.metadata ?? {};
    try {
      await this.pods.patch(m.name ?? '', 'merge', { metadata: { uid: w.uid }, status: patch }, { namespace: m.namespace ?? '', subresource: 'status' });
      this.written.set(w.uid, json);
    } catch (e) {
      // The pod is gone, or another pod now has its name: this worker has nothing left to report.
      if (isNotFound(e) || isConflict(e) || isInvalid(e)) {
        if (isInvalid(e)) this.logger.warn('pod status rejected', { pod: m.name, error: (e as Error).message });
        if (!isInvalid(e)) this.forget(w);
        return;
      }
      this.logger.warn('pod status write failed, retrying', { pod: m.name, error: e instanceof Error ? e.message : String(e) });
      this.clock.setTimer(() => this.statusChanged(w), 1000);
    }
  }
}
