// The scheduler: follows pods, nodes and namespaces through informers, keeps the cache and the queue, and runs one
// scheduling attempt at a time. A pod that fits is assumed on its node at once and bound through the API in the
// background (several bindings in flight); one that fits nowhere gets a FailedScheduling event and the
// PodScheduled=False condition, and waits until the cluster changes.
import type { KubeObject } from '../../api/index.js';
import { isConflict, isNotFound, type ApiClient, type ResourceRef } from '../../client/index.js';
import { matchesLabels, selectorFromSet, tryLabelSelectorFromObject, type LabelRequirement, type LabelSelector, type LabelSelectorObject } from '../../machinery/index.js';
import { rfc3339, silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import { keyOf, objectOfDelete, type EventRecorder, type Runnable, type SharedInformer, type SharedInformerFactory } from '../runtime/index.js';
import { sameLabels, SchedulerCache } from './cache.js';
import { fitErrorMessage, noNodesAvailableMessage, type FitError } from './fit-error.js';
import { Framework, type FilterCycle } from './framework.js';
import { Nominator } from './nominator.js';
import { clearNominatedNodeName, preemptVictims, type PreemptionActionsOptions } from './preemption-actions.js';
import { podPriority, preempt, type Candidate, type PodDisruptionBudgetLike } from './preemption.js';
import { defaultPlugins, podClaimNames, claimIsBound, claimIsDelayed, volumeBinding, type ClaimLike, type StorageClassLike, type VolumeLike, type VolumeLookup } from './plugins/index.js';
import { SchedulingQueue, type QueuedPod } from './queue.js';
import type { Node, Plugin, Pod } from './types.js';

/** The scheduler name kin's scheduler answers to. */
export const defaultSchedulerName = 'default-scheduler';

const podsRef: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const nodesRef: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const namespacesRef: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const servicesRef: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true };
const replicaSetsRef: ResourceRef = { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true };
const statefulSetsRef: ResourceRef = { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true };
const replicationControllersRef: ResourceRef = { group: '', version: 'v1', plural: 'replicationcontrollers', namespaced: true };
const bindingsRef: ResourceRef = { group: '', version: 'v1', plural: 'bindings', namespaced: true };
const claimsRef: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const volumesRef: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false };
const storageClassesRef: ResourceRef = { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false };
const pdbsRef: ResourceRef = { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true };
/** The annotation naming the node a WaitForFirstConsumer claim is provisioned for. */
export const selectedNodeAnnotation = 'volume.kubernetes.io/selected-node';
/** How long binding a pod waits for its WaitForFirstConsumer claims to be bound (kube-scheduler's bind timeout). */
const volumeBindTimeoutMs = 600_000;

/** How the scheduler is built. */
export interface SchedulerOptions {
  client: ApiClient;
  /** Records Scheduled and FailedScheduling (component `default-scheduler`). */
  recorder: EventRecorder;
  clock?: Clock;
  logger?: Logger;
  /** Pods whose spec.schedulerName is this are ours (default `default-scheduler`). */
  schedulerName?: string;
  /** percentageOfNodesToScore (0, the default: adaptive). */
  percentageOfNodesToScore?: number;
  plugins?: readonly Plugin[];
  random?: () => number;
  /** Bindings in flight at most (default 64). */
  maxInFlightBindings?: number;
  /** How often unschedulable pods waiting too long are retried (default 30 s). */
  flushIntervalMs?: number;
}

/** A Service or a controller as default spreading reads it. */
interface Workload extends KubeObject {
  spec?: { selector?: unknown };
}

/** True for a pod that has run to completion. */
function terminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Node fields whose change may make an unschedulable pod fit. */
function schedulingView(n: Node): string {
  return JSON.stringify([n.metadata?.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.allocatable]);
}

/** kin's kube-scheduler. Add it to a Manager (it is a Runnable) or call `scheduleNext` in tests. */
export class Scheduler implements Runnable {
  readonly name = 'scheduler';
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  /** Pending pods promised a node by preemption. */
  readonly nominator = new Nominator();
  private readonly pods: SharedInformer<Pod>;
  /** PodDisruptionBudgets (preemption spares pods whose eviction would violate one). */
  private readonly pdbs: SharedInformer<PodDisruptionBudgetLike>;
  private readonly actions: PreemptionActionsOptions;
  /** The status write of each pod's last failed attempt while in flight (a nomination is cleared only after it). */
  private readonly statusWrites = new Map<string, Promise<void>>();
  private readonly nodes: SharedInformer<Node>;
  private readonly namespaces: SharedInformer<KubeObject>;
  /** Services and controllers: what a pod's system default spreading counts as its group. */
  private readonly groups: Record<'services' | 'ReplicaSet' | 'StatefulSet' | 'ReplicationController', SharedInformer<Workload>>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly schedulerName: string;
  private readonly inFlight = new Set<Promise<void>>();
  /** Claims, volumes and classes (VolumeBinding); their changes wake unschedulable pods. */
  private readonly volumeInformers: { claims: SharedInformer<ClaimLike>; volumes: SharedInformer<VolumeLike>; classes: SharedInformer<StorageClassLike> };
  private readonly volumeLookup: VolumeLookup;

  constructor(
    informers: SharedInformerFactory,
    private readonly opts: SchedulerOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.logger ?? silentLogger).with({ controller: 'scheduler' });
    this.schedulerName = opts.schedulerName ?? defaultSchedulerName;
    this.queue = new SchedulingQueue({ clock: this.clock });
    this.pods = informers.informerFor<Pod>(podsRef);
    this.pdbs = informers.informerFor<PodDisruptionBudgetLike>(pdbsRef);
    this.actions = { client: opts.client, recorder: opts.recorder, clock: this.clock, logger: this.log };
    this.nodes = informers.informerFor<Node>(nodesRef);
    this.namespaces = informers.informerFor(namespacesRef);
    this.groups = {
      services: informers.informerFor<Workload>(servicesRef),
      ReplicaSet: informers.informerFor<Workload>(replicaSetsRef),
      StatefulSet: informers.informerFor<Workload>(statefulSetsRef),
      ReplicationController: informers.informerFor<Workload>(replicationControllersRef),
    };
    this.volumeInformers = {
      claims: informers.informerFor<ClaimLike>(claimsRef),
      volumes: informers.informerFor<VolumeLike>(volumesRef),
      classes: informers.informerFor<StorageClassLike>(storageClassesRef),
    };
    const vi = this.volumeInformers;
    this.volumeLookup = {
      claim: (ns, name) => vi.claims.store.get(`${ns}/${name}`),
      volume: (name) => vi.volumes.store.get(name),
      storageClass: (name) => vi.classes.store.get(name),
    };
    for (const inf of Object.values(vi) as SharedInformer<KubeObject>[]) {
      inf.addEventHandler({ onAdd: () => this.queue.moveAllToActiveOrBackoff(), onUpdate: () => this.queue.moveAllToActiveOrBackoff() });
    }
    this.framework = new Framework(this.cache, {
      plugins: [...(opts.plugins ?? defaultPlugins), volumeBinding(this.volumeLookup)],
      ...(opts.percentageOfNodesToScore !== undefined ? { percentageOfNodesToScore: opts.percentageOfNodesToScore } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      defaultSpreadSelector: (pod) => this.defaultSelector(pod),
      namespaceLabels: (ns) => this.namespaces.store.get(ns)?.metadata?.labels as Record<string, string> | undefined,
      nominator: this.nominator,
    });
    this.nodes.addEventHandler({
      onAdd: (n) => {
        this.cache.setNode(n);
        this.queue.moveAllToActiveOrBackoff();
      },
      onUpdate: (old, n) => {
        this.cache.setNode(n);
        if (schedulingView(old) !== schedulingView(n)) this.queue.moveAllToActiveOrBackoff();
      },
      onDelete: (n) => this.cache.removeNode(objectOfDelete(n).metadata?.name ?? ''),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.onPod(undefined, p),
      onUpdate: (old, p) => this.onPod(old, p),
      onDelete: (p) => this.onPodGone(objectOfDelete(p)),
    });
  }

  /**
   * The selector of a pod's group for default spreading (DefaultSelector): the selectors of the Services that
   * select it, and of its controller (ReplicaSet, StatefulSet, ReplicationController) when that selects it.
   */
  defaultSelector(pod: Pod): LabelSelector | undefined {
    const ns = pod.metadata?.namespace ?? '';
    const labels = (pod.metadata?.labels ?? {}) as Record<string, string>;
    const set: Record<string, string> = {};
    const selects = (sel: Record<string, string>) => Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
    for (const svc of this.groups.services.store.listInNamespace(ns)) {
      const sel = svc.spec?.selector as Record<string, string> | undefined;
      if (sel && selects(sel)) Object.assign(set, sel);
    }
    const extra: LabelRequirement[] = [];
    const owner = pod.metadata?.ownerReferences?.find((r) => r.controller);
    const inf = owner && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet' || owner.kind === 'ReplicationController') ? this.groups[owner.kind] : undefined;
    const ctl = owner && inf?.store.get(`${ns}/${owner.name}`);
    const sel = ctl?.spec?.selector;
    if (sel && owner?.kind === 'ReplicationController') {
      if (selects(sel as Record<string, string>)) Object.assign(set, sel);
    } else if (sel) {
      const s = tryLabelSelectorFromObject(sel as LabelSelectorObject);
      if (typeof s !== 'string' && !s.nothing && matchesLabels(s, labels)) extra.push(...s.requirements);
    }
    const requirements = [...selectorFromSet(set).requirements, ...extra];
    return requirements.length ? { requirements } : undefined;
  }

  /** True for a pod this scheduler should place now. */
  responsibleFor(pod: Pod): boolean {
    const spec = pod.spec;
    if (!spec || spec.nodeName || pod.metadata?.deletionTimestamp || terminal(pod)) return false;
    if ((spec.schedulerName || defaultSchedulerName) !== this.schedulerName) return false;
    return !(spec.schedulingGates?.length);
  }

  private onPod(old: Pod | undefined, pod: Pod): void {
    const key = keyOf(pod);
    if (pod.spec?.nodeName) {
      this.queue.delete(key);
      this.nominator.delete(key);
      if (terminal(pod)) {
        // A finished pod no longer takes room on its node.
        if (this.cache.nodeOf(key) !== undefined) {
          this.cache.removePod(key);
          this.queue.moveAllToActiveOrBackoff();
        }
        return;
      }
      const wasAssumed = this.cache.isAssumed(key);
      const prevNode = this.cache.nodeOf(key);
      this.cache.setPod(pod);
      if (prevNode !== undefined && prevNode !== pod.spec.nodeName) this.queue.moveAllToActiveOrBackoff();
      else if (!wasAssumed && (!old || !old.spec?.nodeName || !sameLabels(old.metadata?.labels, pod.metadata?.labels))) {
        // A pod appearing on a node (or relabelled) can satisfy pod affinity and change topology spread.
        this.queue.moveAllToActiveOrBackoff(['InterPodAffinity', 'PodTopologySpread']);
      }
      return;
    }
    if (this.cache.isAssumed(key)) return; // our binding is on its way
    if (!this.responsibleFor(pod)) {
      this.queue.delete(key);
      this.nominator.delete(key);
      return;
    }
    this.nominator.update(old, pod);
    // A status write (our own Unschedulable condition among them) changes nothing a retry would see differently.
    if (old && this.queue.has(key) && sameLabels(old.metadata?.labels, pod.metadata?.labels) && JSON.stringify(old.spec) === JSON.stringify(pod.spec)) return;
    this.queue.add(key, pod.spec?.priority ?? 0);
  }

  private onPodGone(pod: Pod): void {
    const key = keyOf(pod);
    this.queue.delete(key);
    this.nominator.delete(key);
    if (this.cache.nodeOf(key) !== undefined) {
      this.cache.removePod(key);
      this.queue.moveAllToActiveOrBackoff();
    }
  }

  /** Waits for the informers, then schedules until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const all = [this.nodes, this.namespaces, this.pdbs, ...Object.values(this.groups), ...Object.values(this.volumeInformers), this.pods] as SharedInformer<KubeObject>[];
    for (const inf of all) if (!(await inf.waitForSync(signal))) return;
    const interval = this.opts.flushIntervalMs ?? 30_000;
    let cancelFlush = () => {};
    const arm = () => {
      cancelFlush = this.clock.setTimer(() => {
        this.queue.flushUnschedulableLeftover();
        arm();
      }, interval);
    };
    arm();
    const stop = () => this.queue.close();
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    this.log.info('scheduler started', { nodes: this.cache.nodeCount });
    const max = this.opts.maxInFlightBindings ?? 64;
    try {
      let sliceStart = this.clock.monotonic();
      let inSlice = 0;
      for (;;) {
        const qp = await this.queue.pop();
        if (!qp) break;
        this.track(this.scheduleOne(qp));
        while (this.inFlight.size >= max) await Promise.race(this.inFlight);
        // Attempts run in slices (up to 64 pods or 10 ms), then informer events and I/O get their turn: yielding after
        // every pod would tie the scheduling rate to the length of an event-loop turn in a busy process.
        if (++inSlice >= 64 || this.clock.monotonic() - sliceStart >= 10) {
          await new Promise<void>((r) => setImmediate(r));
          sliceStart = this.clock.monotonic();
          inSlice = 0;
        }
      }
    } finally {
      cancelFlush();
      signal.removeEventListener('abort', stop);
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /** Takes the next active pod and tries it (tests); resolves false when none is active. Waits for its binding. */
  async scheduleNext(): Promise<boolean> {
    if (this.queue.stats().active === 0) return false;
    const qp = await this.queue.pop();
    if (!qp) return false;
    await this.scheduleOne(qp);
    return true;
  }

  /** Resolves once every binding in flight has finished. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private track(p: Promise<void> | undefined): void {
    if (!p) return;
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** One attempt; the returned promise is the binding (undefined when there is nothing to bind). */
  scheduleOne(qp: QueuedPod): Promise<void> | undefined {
    const pod = this.pods.store.get(qp.key);
    if (!pod || !this.responsibleFor(pod) || this.cache.isAssumed(qp.key)) {
      this.queue.done(qp.key);
      return undefined;
    }
    if (this.cache.nodeCount === 0) {
      this.fail(qp, pod, noNodesAvailableMessage, []);
      return undefined;
    }
    let result;
    try {
      result = this.framework.schedule(pod);
    } catch (e) {
      this.log.error('scheduling attempt failed', { pod: qp.key, error: e instanceof Error ? e.message : String(e) });
      this.queue.addUnschedulable(qp, [], true);
      return undefined;
    }
    if ('fitError' in result) {
      const rejectedBy = new Set<string>();
      for (const s of result.fitError.statuses.values()) rejectedBy.add(s.plugin);
      if (!result.cycle) {
        this.fail(qp, pod, fitErrorMessage(result.fitError), rejectedBy);
        return undefined;
      }
      try {
        return this.postFilter(qp, pod, result.fitError, result.cycle, rejectedBy);
      } catch (e) {
        this.log.error('preemption failed', { pod: qp.key, error: e instanceof Error ? e.message : String(e) });
        this.fail(qp, pod, fitErrorMessage(result.fitError), rejectedBy);
        return undefined;
      }
    }
    this.nominator.delete(qp.key);
    this.cache.assumePod({ ...pod, spec: { ...pod.spec!, nodeName: result.node } });
    return this.bind(qp, pod, result.node);
  }

  private async bind(qp: QueuedPod, pod: Pod, node: string): Promise<void> {
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    try {
      await this.bindVolumes(pod, node);
      await this.opts.client.resource(bindingsRef).create(
        { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns, ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}) }, target: { apiVersion: 'v1', kind: 'Node', name: node } } as KubeObject,
        { namespace: ns },
      );
      this.queue.done(qp.key);
      this.opts.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${node}`);
    } catch (e) {
      this.cache.forgetPod(qp.key);
      this.queue.moveAllToActiveOrBackoff();
      if (isNotFound(e) || isConflict(e)) {
        // Deleted meanwhile, or bound by someone else: the informer will tell.
        this.queue.done(qp.key);
        return;
      }
      const msg = e instanceof Error ? e.message : String(e);
      this.log.warn('binding failed', { pod: qp.key, node, error: msg });
      this.opts.recorder.event(pod, 'Warning', 'FailedScheduling', `Binding rejected: ${msg}`);
      this.queue.addUnschedulable(qp, [], true);
    }
  }

  /**
   * PreBind of VolumeBinding: names the node on every unbound WaitForFirstConsumer claim of the pod
   * (volume.kubernetes.io/selected-node), then waits until the provisioner and the binder have bound them.
   */
  private async bindVolumes(pod: Pod, node: string): Promise<void> {
    const ns = pod.metadata?.namespace ?? '';
    const waiting: string[] = [];
    for (const name of podClaimNames(pod)) {
      const c = this.volumeLookup.claim(ns, name);
      if (!c || claimIsBound(c) || !claimIsDelayed(c, this.volumeLookup)) continue;
      waiting.push(name);
      if (c.metadata?.annotations?.[selectedNodeAnnotation] === node) continue;
      try {
        await this.opts.client.resource(claimsRef).patch(name, 'merge', { metadata: { annotations: { [selectedNodeAnnotation]: node } } }, { namespace: ns });
      } catch (e) {
        // A claim gone or changed meanwhile is a failed attempt of this pod, not a sign that the pod is gone.
        throw new Error(`binding volumes: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (waiting.length === 0) return;
    const claims = this.volumeInformers.claims;
    const allBound = () => waiting.every((name) => {
      const c = claims.store.get(`${ns}/${name}`);
      return !!c && claimIsBound(c) && c.status?.phase === 'Bound';
    });
    if (allBound()) return;
    await new Promise<void>((resolve, reject) => {
      let finished = false;
      const stop: (() => void)[] = [];
      const finish = (err?: Error) => {
        if (finished) return;
        finished = true;
        for (const f of stop) f();
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        if (allBound()) finish();
      };
      stop.push(this.clock.setTimer(() => finish(new Error('binding volumes: timed out waiting for the condition')), volumeBindTimeoutMs));
      const reg = claims.addEventHandler({ onUpdate: check, onAdd: check });
      stop.push(() => reg.remove());
      if (finished) reg.remove();
    });
  }

  /**
   * PostFilter (DefaultPreemption) after an attempt found no node. With a candidate, the pod is nominated to its node
   * at once (the filters of other pods count it there), the victims are preempted in the background, and the pod
   * waits as unschedulable until their deletion moves it. Without one, the message says why.
   */
  private postFilter(qp: QueuedPod, pod: Pod, fitError: FitError, cycle: FilterCycle, rejectedBy: Set<string>): Promise<void> | undefined {
    const current = this.nominator.nodeOf(qp.key) ?? pod.status?.nominatedNodeName;
    const r = preempt({
      fitError,
      cycle,
      nodes: this.cache.nodeList(),
      filterNode: (c, n) => this.framework.filterNode(c, n),
      pdbs: this.pdbs.store.list(),
      ...(current ? { nominatedNode: current } : {}),
      now: this.clock.now(),
      random: this.opts.random ?? Math.random,
    });
    if ('message' in r) {
      const clear = r.clearNomination && !!current;
      if (clear) this.nominator.delete(qp.key);
      this.fail(qp, pod, fitErrorMessage(fitError, r.message), rejectedBy, clear ? '' : undefined);
      return undefined;
    }
    const node = r.candidate.node;
    // Pods of lower priority nominated to that node may no longer fit there: they lose their nomination.
    const prio = podPriority(pod);
    const displaced = this.nominator.podsOn(node).filter((p) => podPriority(p.pod) < prio && p.key !== qp.key);
    for (const p of displaced) this.nominator.delete(p.key);
    this.nominator.nominate(pod, node);
    this.fail(qp, pod, fitErrorMessage(fitError), rejectedBy, node);
    if (displaced.length) this.queue.moveAllToActiveOrBackoff();
    const writes = displaced.map((p) => this.statusWrites.get(p.key));
    return this.preemptOn(pod, r.candidate, displaced.map((p) => p.pod), writes);
  }

  private async preemptOn(pod: Pod, candidate: Candidate, displaced: Pod[], writes: (Promise<void> | undefined)[]): Promise<void> {
    try {
      await preemptVictims(this.actions, pod, candidate);
    } catch (e) {
      this.log.warn('preemption failed', { pod: keyOf(pod), node: candidate.node, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    // A displaced pod's own nomination may still be on its way to the API: the clearing goes after it.
    await Promise.allSettled(writes);
    await clearNominatedNodeName(this.actions, displaced);
  }

  /** A failed attempt: FailedScheduling, back to wait, PodScheduled=False (and the nominated node: '' clears it). */
  private fail(qp: QueuedPod, pod: Pod, message: string, rejectedBy: Iterable<string>, nominatedNode?: string): void {
    this.opts.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    this.queue.addUnschedulable(qp, rejectedBy);
    const key = qp.key;
    const write = this.setUnschedulableCondition(pod, message, nominatedNode).finally(() => {
      if (this.statusWrites.get(key) === write) this.statusWrites.delete(key);
    });
    this.statusWrites.set(key, write);
  }

  /** Writes PodScheduled=False (reason Unschedulable) and the nominated node, unless the pod already says exactly that. */
  private async setUnschedulableCondition(pod: Pod, message: string, nominatedNode?: string): Promise<void> {
    const prev = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const nominate = nominatedNode !== undefined && (pod.status?.nominatedNodeName ?? '') !== nominatedNode;
    if (!nominate && prev && prev.status === 'False' && prev.reason === 'Unschedulable' && prev.message === message) return;
    const lastTransitionTime = prev?.status === 'False' && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(this.clock.now());
    const condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime };
    const nnn = nominate ? { nominatedNodeName: nominatedNode || null } : {};
    // The resourceVersion makes the write conditional: a pod bound (or changed) meanwhile keeps what it says now.
    const patch = { metadata: { resourceVersion: pod.metadata?.resourceVersion }, status: { conditions: [condition], ...nnn } };
    const pods = this.opts.client.resource(podsRef);
    const target = { namespace: pod.metadata?.namespace ?? '', subresource: 'status' };
    try {
      await pods.patch(pod.metadata?.name ?? '', 'strategic', patch, target);
    } catch (e) {
      if (nominate && isConflict(e)) {
        // The nomination must not be lost to a stale object: it is written on its own.
        try {
          await pods.patch(pod.metadata?.name ?? '', 'strategic', { status: nnn }, target);
        } catch (e2) {
          if (!isNotFound(e2)) this.log.warn('could not update the nominated node', { pod: keyOf(pod), error: e2 instanceof Error ? e2.message : String(e2) });
        }
        return;
      }
      if (!isNotFound(e) && !isConflict(e)) this.log.warn('could not update the PodScheduled condition', { pod: keyOf(pod), error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/** Builds the scheduler over a process's informers. */
export function newScheduler(informers: SharedInformerFactory, opts: SchedulerOptions): Scheduler {
  return new Scheduler(informers, opts);
}
