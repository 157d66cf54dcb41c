// The DaemonSet controller: one daemon pod per eligible node (placed by the scheduler through a node affinity),
// rolling updates, revision history and status; informers on DaemonSets, pods, nodes and revisions wake it.
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/index.js';
import { isAlreadyExists, isConflict, isNotFound, type ApiClient, type ResourceClient, type ResourceRef } from '../../client/index.js';
import { deepEqual, matchesLabels, tryLabelSelectorFromObject } from '../../machinery/index.js';
import { systemClock, type Clock, type Logger } from '../../util/index.js';
import {
  claimObjects,
  computeHash,
  ControllerHistory,
  controllerRef,
  controllerRefOf,
  ownerOrSelecting,
  controllerRevisionsRef,
  isPodAvailable,
  isPodReady,
  isTerminating,
  msUntilAvailable,
  templatePatch,
  type ControllerRevision,
  type Pod,
} from '../history/index.js';
import { Controller, makeKey, TerminalError, type EventRecorder, type Lister, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';
import { daemonSetKind, isPodUpdated, newDaemonPod, nodeShouldRunDaemonPod, targetNodeName, templateGeneration, type DaemonSet, type Node } from './daemon-utils.js';
import { Expectations } from './expectations.js';
import { FailedPodBackoff } from './failed-pod-backoff.js';
import { historyToDelete, planRollingUpdate, revisionHash } from './update.js';

/** The DaemonSet resource. */
export const daemonSetsRef: ResourceRef = { group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true };
const podsRef: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const nodesRef: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

type Status = { -readonly [K in keyof DaemonSetStatus]: DaemonSetStatus[K] };

/** What the reconciler reads from and writes through. */
export interface DaemonSetReconcilerOptions {
  client: ApiClient;
  sets: Lister<DaemonSet>;
  pods: Lister<Pod>;
  nodes: Lister<Node>;
  revisions: Lister<ControllerRevision>;
  recorder: EventRecorder;
  clock?: Clock;
}

const byAge = (a: Pod, b: Pod) => {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
};

/** Reconciles one DaemonSet (key `namespace/name`). */
export class DaemonSetReconciler implements Reconciler {
  private readonly setsClient: ResourceClient<DaemonSet>;
  private readonly podsClient: ResourceClient<Pod>;
  private readonly revisionsClient: ResourceClient<ControllerRevision>;
  private readonly history: ControllerHistory;
  private readonly clock: Clock;
  /** Pods created or deleted and not yet seen so by the store: no new decisions until they are. */
  readonly expectations: Expectations;
  private readonly failedBackoff = new FailedPodBackoff();

  constructor(private readonly o: DaemonSetReconcilerOptions) {
    this.setsClient = o.client.resource<DaemonSet>(daemonSetsRef);
    this.podsClient = o.client.resource<Pod>(podsRef);
    this.revisionsClient = o.client.resource<ControllerRevision>(controllerRevisionsRef);
    this.history = new ControllerHistory(o.client, o.revisions);
    this.clock = o.clock ?? systemClock;
    this.expectations = new Expectations(this.clock);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const cached = this.o.sets.get(key);
    if (!cached) {
      this.expectations.forget(key);
      return;
    }
    const ds = structuredClone(cached);
    const sel = tryLabelSelectorFromObject(ds.spec?.selector);
    if (typeof sel === 'string') throw new TerminalError(`invalid selector of DaemonSet ${key}: ${sel}`);
    const ns = ds.metadata?.namespace ?? '';
    const ref = controllerRef(ds, daemonSetKind.apiVersion, daemonSetKind.kind);
    const pods = await claimObjects(this.o.pods.listInNamespace(ns), { owner: ds, ref, selector: sel, client: this.podsClient, signal });
    const nodes = this.o.nodes.list();
    const { cur, old } = await this.constructHistory(ds, sel, signal);
    const hash = revisionHash(cur);
    let backoffMs: number | undefined;
    if (!ds.metadata?.deletionTimestamp && this.expectations.satisfied(key, this.o.pods)) {
      const { acted, retryAfterMs } = await this.manage(key, ds, pods, nodes, hash, signal);
      backoffMs = retryAfterMs;
      if (!acted && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') await this.rollingUpdate(key, ds, pods, nodes, hash, signal);
      for (const r of historyToDelete(ds, old, pods)) await this.history.delete(r, signal);
    }
    const result = await this.updateStatus(ds, pods, nodes, hash, signal);
    if (backoffMs === undefined) return result;
    return { requeueAfterMs: Math.min(backoffMs, result?.requeueAfterMs ?? backoffMs) };
  }

  /** The current revision (made, or renumbered to be the newest) and the old ones. */
  private async constructHistory(ds: DaemonSet, sel: ReturnType<typeof tryLabelSelectorFromObject> & object, signal: AbortSignal): Promise<{ cur: ControllerRevision; old: ControllerRevision[] }> {
    const all = await this.history.list(ds, { ...daemonSetKind, selector: sel, signal });
    const data = templatePatch(ds.spec?.template ?? {});
    const current = all.filter((r) => deepEqual(r.data, data)).sort((a, b) => b.revision - a.revision);
    const old = all.filter((r) => !current.includes(r));
    const next = old.reduce((m, r) => Math.max(m, r.revision), 0) + 1;
    let cur = current[0];
    // Duplicates of the current revision (made by a racing writer) go; the newest stays.
    for (const dup of current.slice(1)) await this.history.delete(dup, signal);
    if (cur) {
      if (cur.revision < next) cur = await this.history.updateRevision(cur, next, signal);
      return { cur, old };
    }
    const collisionCount = ds.status?.collisionCount ?? 0;
    const hash = computeHash(ds.spec?.template ?? {}, collisionCount);
    const rev: ControllerRevision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `${ds.metadata?.name ?? ''}-${hash}`,
        namespace: ds.metadata?.namespace ?? '',
        labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), 'controller-revision-hash': hash },
        ...(ds.metadata?.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
        ownerReferences: [controllerRef(ds, daemonSetKind.apiVersion, daemonSetKind.kind)],
      },
      data,
      revision: next,
    };
    try {
      cur = await this.revisionsClient.create(rev, { namespace: ds.metadata?.namespace ?? '', signal });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await this.revisionsClient.get(rev.metadata?.name ?? '', { namespace: ds.metadata?.namespace ?? '', signal });
      if (deepEqual(existing.data, data)) return { cur: existing, old };
      // A revision of another template has this name: count the collision so the next hash differs.
      await this.setsClient.update({ ...ds, status: { ...(ds.status ?? {}), collisionCount: collisionCount + 1 } } as DaemonSet, { subresource: 'status', signal });
      throw new Error(`controller revision ${rev.metadata?.name} collides with another template; collisionCount raised`);
    }
    return { cur, old };
  }

  /** The daemon pods by target node, and those aimed at nodes that do not exist. */
  private nodeToPods(pods: Pod[]): Map<string, Pod[]> {
    const m = new Map<string, Pod[]>();
    for (const p of pods) {
      const node = targetNodeName(p);
      if (!node) continue;
      let list = m.get(node);
      if (!list) m.set(node, (list = []));
      list.push(p);
    }
    return m;
  }

  /** Creates the missing daemon pods and deletes the ones that must go; true when it wrote anything. */
  private async manage(key: string, ds: DaemonSet, pods: Pod[], nodes: Node[], hash: string, signal: AbortSignal): Promise<{ acted: boolean; retryAfterMs?: number }> {
    let retryAfterMs: number | undefined;
    const nodeToPods = this.nodeToPods(pods);
    const create: string[] = [];
    const del: Pod[] = [];
    const surge = (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && surgeOf(ds);
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const known = new Set<string>();
    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      known.add(name);
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
      const onNode = nodeToPods.get(name) ?? [];
      if (shouldRun && onNode.length === 0) create.push(name);
      else if (shouldContinueRunning) {
        const running: Pod[] = [];
        for (const p of onNode) {
          if (isTerminating(p)) continue;
          if (p.status?.phase === 'Failed') {
            // A pod that keeps failing on a node (a kubelet rejecting it) is replaced with growing delays.
            const wait = this.failedBackoff.wait(`${key}/${name}`, this.clock.now());
            if (wait > 0) {
              retryAfterMs = Math.min(retryAfterMs ?? wait, wait);
              continue;
            }
            this.o.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata?.namespace}/${p.metadata?.name} on node ${name}, will try to kill it`);
            del.push(p);
          } else if (p.status?.phase === 'Succeeded') del.push(p);
          else running.push(p);
        }
        if (running.length <= 1) continue;
        running.sort(byAge);
        if (!surge) {
          del.push(...running.slice(1));
          continue;
        }
        // With surge, a node keeps the oldest new pod and, until that one is available, the oldest old pod.
        let oldestNew: Pod | undefined;
        let oldestOld: Pod | undefined;
        for (const p of running) {
          if (p.metadata?.labels?.['controller-revision-hash'] === hash) {
            if (!oldestNew) {
              oldestNew = p;
              continue;
            }
          } else if (!oldestOld) {
            oldestOld = p;
            continue;
          }
          del.push(p);
        }
        if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, this.clock.now()))) del.push(oldestOld);
      } else for (const p of onNode) if (!isTerminating(p)) del.push(p);
    }
    // Pods aimed at nodes that are gone are deleted too.
    for (const [node, list] of nodeToPods) if (!known.has(node)) for (const p of list) if (!isTerminating(p)) del.push(p);
    const acted = await this.syncNodes(key, ds, del, create, hash, signal);
    return retryAfterMs !== undefined ? { acted, retryAfterMs } : { acted };
  }

  private async rollingUpdate(key: string, ds: DaemonSet, pods: Pod[], nodes: Node[], hash: string, signal: AbortSignal): Promise<void> {
    const byName = new Map(nodes.map((n) => [n.metadata?.name ?? '', n]));
    const shouldRun = (name: string) => {
      const n = byName.get(name);
      return n ? nodeShouldRunDaemonPod(n, ds).shouldRun : false;
    };
    const desired = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).length;
    const plan = planRollingUpdate({ ds, nodeToPods: this.nodeToPods(pods), hash, nowMs: this.clock.now(), shouldRun, desired });
    await this.syncNodes(key, ds, plan.deletePods, plan.createOnNodes, hash, signal);
  }

  /** Deletes and creates pods (creates in growing batches), recording events and expectations. */
  private async syncNodes(key: string, ds: DaemonSet, del: Pod[], create: string[], hash: string, signal: AbortSignal): Promise<boolean> {
    const errors: string[] = [];
    for (const p of del) {
      const name = p.metadata?.name ?? '';
      try {
        this.expectations.expectDeletion(key, p);
        await this.podsClient.delete(name, { namespace: p.metadata?.namespace ?? '', preconditions: { uid: p.metadata?.uid ?? '' }, signal });
        this.o.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } catch (e) {
        if (isNotFound(e)) continue;
        this.expectations.deletionObserved(key, p);
        this.o.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
        errors.push(String(e));
      }
    }
    let i = 0;
    for (let size = Math.min(1, create.length); size > 0 && errors.length === 0; size = Math.min(2 * size, create.length - i)) {
      const batch = create.slice(i, i + size);
      i += size;
      await Promise.all(
        batch.map(async (node) => {
          try {
            const pod = await this.podsClient.create(newDaemonPod(ds, node, hash), { namespace: ds.metadata?.namespace ?? '', signal });
            this.expectations.expectCreation(key, pod);
            this.o.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
          } catch (e) {
            this.o.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
            errors.push(String(e));
          }
        }),
      );
    }
    if (errors.length) throw new Error(errors.join('; '));
    return del.length + create.length > 0;
  }

  /** Computes and writes the status; asks to be called again when a ready pod turns available later. */
  private async updateStatus(ds: DaemonSet, pods: Pod[], nodes: Node[], hash: string, signal: AbortSignal): Promise<ReconcileResult> {
    const nodeToPods = this.nodeToPods(pods);
    const now = this.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const gen = templateGeneration(ds);
    const s = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, numberAvailable: 0, updatedNumberScheduled: 0 };
    let requeue: number | undefined;
    for (const node of nodes) {
      const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
      const onNode = nodeToPods.get(node.metadata?.name ?? '') ?? [];
      if (!shouldRun) {
        if (onNode.length > 0) s.numberMisscheduled++;
        continue;
      }
      s.desiredNumberScheduled++;
      if (onNode.length === 0) continue;
      s.currentNumberScheduled++;
      const pod = [...onNode].sort((a, b) => phaseRank(a) - phaseRank(b) || byAge(a, b))[0]!;
      if (isPodReady(pod)) {
        s.numberReady++;
        if (isPodAvailable(pod, minReady, now)) s.numberAvailable++;
        const ms = msUntilAvailable(pod, minReady, now);
        if (ms !== undefined) requeue = Math.min(requeue ?? ms, ms);
      }
      if (isPodUpdated(pod, hash, gen)) s.updatedNumberScheduled++;
    }
    const status: Status = {
      ...s,
      numberUnavailable: s.desiredNumberScheduled - s.numberAvailable,
      observedGeneration: ds.metadata?.generation ?? 0,
    };
    const old = ds.status ?? {};
    const changed = Object.entries(status).some(([k, v]) => (old as Record<string, unknown>)[k] !== v && !(v === 0 && (old as Record<string, unknown>)[k] === undefined));
    if (changed) {
      let target: DaemonSet = ds;
      for (let attempt = 0; ; attempt++) {
        try {
          await this.setsClient.update({ ...target, status: { ...(target.status ?? {}), ...status } } as DaemonSet, { subresource: 'status', signal });
          break;
        } catch (e) {
          if (isNotFound(e)) return;
          if (!isConflict(e) || attempt > 0) throw e;
          target = await this.setsClient.get(ds.metadata?.name ?? '', { namespace: ds.metadata?.namespace ?? '', signal });
        }
      }
    }
    return requeue !== undefined ? { requeueAfterMs: requeue } : undefined;
  }
}

// Pods sort by phase (Running before Pending before Unknown), as podByCreationTimestampAndPhase does, then by age.
function phaseRank(p: Pod): number {
  const phase = p.status?.phase;
  return phase === 'Running' ? 0 : phase === 'Pending' ? 1 : 2;
}

function surgeOf(ds: DaemonSet): boolean {
  const s = ds.spec?.updateStrategy?.rollingUpdate?.maxSurge;
  return s !== undefined && s !== 0 && s !== '0' && s !== '0%';
}

/** Options of `newDaemonSetController`. */
export interface DaemonSetControllerOptions {
  client: ApiClient;
  recorder: EventRecorder;
  clock?: Clock;
  logger?: Logger;
  workers?: number;
}

/** Builds the controller: DaemonSets enqueue themselves, pods and revisions their set, node changes that matter every set. */
export function newDaemonSetController(factory: SharedInformerFactory, opts: DaemonSetControllerOptions): Controller {
  const sets = factory.informerFor<DaemonSet>(daemonSetsRef);
  const pods = factory.informerFor<Pod>(podsRef);
  const nodes = factory.informerFor<Node>(nodesRef);
  const revisions = factory.informerFor<ControllerRevision>(controllerRevisionsRef);
  const reconciler = new DaemonSetReconciler({
    client: opts.client,
    sets: sets.store,
    pods: pods.store,
    nodes: nodes.store,
    revisions: revisions.store,
    recorder: opts.recorder,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const c = new Controller({ name: 'daemonset', reconciler, workers: opts.workers ?? 2, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  const ownerOrMatching = ownerOrSelecting('DaemonSet', sets.store);
  c.watch(sets);
  c.watch(pods, ownerOrMatching);
  c.watch(revisions, ownerOrMatching);
  // Nodes: only changes that can change where daemon pods run (labels, taints, existence) wake every set;
  // status heartbeats do not.
  c.watch(nodes, () => []);
  const all = () => {
    for (const s of sets.store.list()) c.enqueue(makeKey(s.metadata?.namespace, s.metadata?.name ?? ''));
  };
  nodes.addEventHandler({
    onAdd: all,
    onDelete: all,
    onUpdate: (a, b) => {
      if (!deepEqual(a.metadata?.labels, b.metadata?.labels) || !deepEqual(a.spec?.taints, b.spec?.taints) || a.spec?.unschedulable !== b.spec?.unschedulable) all();
    },
  });
  return c;
}
