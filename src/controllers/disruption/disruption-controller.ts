// The disruption controller: keeps every PodDisruptionBudget's status (expected, desired and current healthy
// pods, disruptions allowed, the DisruptionAllowed condition) from its pods and their controllers' scale, and
// turns back a pod's stale DisruptionTarget condition when an eviction did not go through.
import type { KubeObject } from '../../api/index.js';
import { discover, getJson, isNotFound, resourceForKind, type ApiClient, type Discovery, type ResourceRef } from '../../client/index.js';
import { matchesLabels, tryLabelSelectorFromObject } from '../../machinery/index.js';
import { rfc3339, systemClock, type Clock, type Logger } from '../../util/index.js';
import { endpointResources, podCondition, type Pod } from '../endpointslice/index.js';
import { Controller, keyOf, type EventRecorder, type Lister, type Reconciler, type ReconcileResult, type Runnable, type SharedInformerFactory } from '../runtime/index.js';
import {
  buildDisruptedPodMap,
  conditionsUpToDate,
  countHealthyPods,
  disruptionAllowedCondition,
  disruptionAllowedConditionOf,
  goLabelSelectorString,
  scaledValue,
  setCondition,
  type PdbStatus,
  type PodDisruptionBudget,
} from './pdb-status.js';

/** The resources the disruption controller reads. */
export const disruptionResources = {
  pdbs: { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true } as ResourceRef,
  pods: endpointResources.pods,
  replicaSets: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true } as ResourceRef,
  deployments: { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true } as ResourceRef,
  statefulSets: { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true } as ResourceRef,
  replicationControllers: { group: '', version: 'v1', plural: 'replicationcontrollers', namespaced: true } as ResourceRef,
};

/** How long a DisruptionTarget condition may stand on a pod that is not being deleted (2 minutes). */
export const stalePodDisruptionTimeoutMs = 2 * 60 * 1000;

/** A workload with a replica count. */
interface Workload extends KubeObject {
  spec?: { replicas?: number };
}

/** What the reconciler reads from. */
export interface DisruptionListers {
  pdbs: Lister<PodDisruptionBudget>;
  pods: Lister<Pod>;
  replicaSets: Lister<Workload>;
  deployments: Lister<Workload>;
  statefulSets: Lister<Workload>;
  replicationControllers: Lister<Workload>;
}

/** Options of the reconciler. */
export interface DisruptionReconcilerOptions {
  client: ApiClient;
  listers: DisruptionListers;
  clock?: Clock;
  recorder?: EventRecorder;
}

/** The pods a PDB selects (a PDB without a selector selects none; an empty one every pod of its namespace). */
export function podsForPdb(pdb: PodDisruptionBudget, pods: readonly Pod[]): Pod[] {
  const sel = tryLabelSelectorFromObject(pdb.spec?.selector);
  if (typeof sel === 'string') return [];
  return pods.filter((p) => matchesLabels(sel, p.metadata?.labels));
}

const controllerOf = (o: KubeObject) => o.metadata?.ownerReferences?.find((r) => r.controller);
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** Syncs the status of one PodDisruptionBudget (key: `namespace/name`). */
export class DisruptionReconciler implements Reconciler {
  private readonly clock: Clock;
  private discovery: Discovery | undefined;

  constructor(private readonly opts: DisruptionReconcilerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** The scale of a pod's controller (Deployment through its ReplicaSet, ReplicaSet, StatefulSet, RC, else /scale). */
  private async controllerScale(ref: NonNullable<ReturnType<typeof controllerOf>>, namespace: string, signal: AbortSignal): Promise<{ uid: string; scale: number } | undefined> {
    const l = this.opts.listers;
    const group = groupOf(ref.apiVersion);
    const at = (lister: Lister<Workload>, name: string, uid: string) => {
      const w = lister.get(`${namespace}/${name}`);
      return w && w.metadata?.uid === uid ? w : undefined;
    };
    if (ref.kind === 'ReplicationController' && group === '') {
      const rc = at(l.replicationControllers, ref.name, ref.uid);
      return rc && { uid: ref.uid, scale: rc.spec?.replicas ?? 1 };
    }
    if (ref.kind === 'ReplicaSet' && (group === 'apps' || group === 'extensions')) {
      const rs = at(l.replicaSets, ref.name, ref.uid);
      if (!rs) return undefined;
      const owner = controllerOf(rs);
      if (owner?.kind === 'Deployment') {
        const d = ['apps', 'extensions'].includes(groupOf(owner.apiVersion)) ? at(l.deployments, owner.name, owner.uid) : undefined;
        return d && { uid: owner.uid, scale: d.spec?.replicas ?? 1 };
      }
      return { uid: ref.uid, scale: rs.spec?.replicas ?? 1 };
    }
    if (ref.kind === 'StatefulSet' && group === 'apps') {
      const ss = at(l.statefulSets, ref.name, ref.uid);
      return ss && { uid: ref.uid, scale: ss.spec?.replicas ?? 1 };
    }
    // Any other controller: its scale subresource, if its resource has one.
    this.discovery ??= await discover(this.opts.client, signal);
    const r = resourceForKind(this.discovery, ref.apiVersion, ref.kind);
    if (!r) throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
    const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
    try {
      const scale = await getJson<{ metadata?: { uid?: string }; spec?: { replicas?: number } }>(this.opts.client.transport, `${base}/namespaces/${namespace}/${r.plural}/${ref.name}/scale`, signal);
      return scale.metadata?.uid === ref.uid ? { uid: ref.uid, scale: scale.spec?.replicas ?? 0 } : undefined;
    } catch (e) {
      if (!isNotFound(e)) throw e;
      // Not found: the object is gone, or its resource has no scale subresource at all (an error to report).
      const list = await getJson<{ resources?: { name: string }[] }>(this.opts.client.transport, base, signal);
      if (!list.resources?.some((x) => x.name === `${r.plural}/scale`)) throw new Error(`${r.group ? `${r.plural}.${r.group}` : r.plural} does not implement the scale subresource`);
      return undefined;
    }
  }

  /** Expected pods and desired healthy pods of a PDB (getExpectedPodCount), and its pods without a controller. */
  async expectedPodCount(pdb: PodDisruptionBudget, pods: readonly Pod[], signal: AbortSignal): Promise<{ expected: number; desired: number; unmanaged: string[] }> {
    const spec = pdb.spec ?? {};
    const scale = async () => {
      const scales = new Map<string, number>();
      const unmanaged: string[] = [];
      for (const p of pods) {
        const ref = controllerOf(p);
        if (!ref) {
          unmanaged.push(p.metadata?.name ?? '');
          continue;
        }
        if (scales.has(ref.uid)) continue;
        const found = await this.controllerScale(ref, p.metadata?.namespace ?? '', signal);
        if (!found) throw new Error(`found no controllers for pod "${p.metadata?.name ?? ''}"`);
        scales.set(found.uid, found.scale);
      }
      let expected = 0;
      for (const n of scales.values()) expected += n;
      return { expected, unmanaged };
    };
    if (spec.maxUnavailable !== undefined) {
      const { expected, unmanaged } = await scale();
      return { expected, desired: Math.max(0, expected - scaledValue(spec.maxUnavailable, expected, true)), unmanaged };
    }
    if (spec.minAvailable !== undefined) {
      if (typeof spec.minAvailable === 'number') return { expected: pods.length, desired: spec.minAvailable, unmanaged: [] };
      const { expected, unmanaged } = await scale();
      return { expected, desired: scaledValue(spec.minAvailable, expected, true), unmanaged };
    }
    return { expected: 0, desired: 0, unmanaged: [] };
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const pdb = this.opts.listers.pdbs.get(key);
    if (!pdb) return;
    try {
      return await this.trySync(pdb, signal);
    } catch (e) {
      if (signal.aborted) throw e;
      // Fail safe: whatever went wrong, no eviction may go ahead on this budget until a sync succeeds.
      const status: PdbStatus = { ...(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }), disruptionsAllowed: 0 } as PdbStatus;
      status.conditions = setCondition(status.conditions ?? [], { type: disruptionAllowedCondition, status: 'False', reason: 'SyncFailed', message: e instanceof Error ? e.message : String(e), ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}) }, rfc3339(this.clock.now()));
      await this.writeStatus(pdb, status, signal);
      throw e;
    }
  }

  private async trySync(pdb: PodDisruptionBudget, signal: AbortSignal): Promise<ReconcileResult> {
    const rec = this.opts.recorder;
    const pods = podsForPdb(pdb, this.opts.listers.pods.listInNamespace(pdb.metadata?.namespace ?? ''));
    if (pods.length === 0) rec?.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let counts;
    try {
      counts = await this.expectedPodCount(pdb, pods, signal);
    } catch (e) {
      rec?.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    if (counts.unmanaged.length > 0) {
      rec?.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${goLabelSelectorString(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    }
    const now = this.clock.now();
    const { disrupted, expired, recheckAt } = buildDisruptedPodMap(pods, pdb, now);
    const ns = pdb.metadata?.namespace ?? '';
    for (const p of expired) rec?.event(p, 'Warning', 'NotDeleted', `Pod was expected by PDB ${ns}/${ns} to be deleted but it wasn't`);
    const currentHealthy = countHealthyPods(pods, disrupted, now);
    let allowed = currentHealthy - counts.desired;
    if (counts.expected <= 0 || allowed <= 0) allowed = 0;
    const old = pdb.status;
    const generation = pdb.metadata?.generation ?? 0;
    const same =
      old &&
      old.currentHealthy === currentHealthy &&
      old.desiredHealthy === counts.desired &&
      old.expectedPods === counts.expected &&
      old.disruptionsAllowed === allowed &&
      JSON.stringify(Object.entries(old.disruptedPods ?? {}).sort()) === JSON.stringify(Object.entries(disrupted).sort()) &&
      old.observedGeneration === generation &&
      conditionsUpToDate(pdb);
    if (!same) {
      const status: PdbStatus = { currentHealthy, desiredHealthy: counts.desired, expectedPods: counts.expected, disruptionsAllowed: allowed, observedGeneration: generation };
      if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
      status.conditions = setCondition(old?.conditions ?? [], disruptionAllowedConditionOf(status), rfc3339(now));
      await this.writeStatus(pdb, status, signal);
    }
    return recheckAt !== undefined ? { requeueAfterMs: Math.max(0, recheckAt - now) } : undefined;
  }

  private async writeStatus(pdb: PodDisruptionBudget, status: PdbStatus, signal: AbortSignal): Promise<void> {
    await this.opts.client.resource<PodDisruptionBudget>(disruptionResources.pdbs).update({ ...pdb, status }, { subresource: 'status', signal });
  }
}

/** Turns a pod's DisruptionTarget condition back to False when it stood 2 minutes without the pod being deleted. */
export class StalePodDisruptionReconciler implements Reconciler {
  private readonly clock: Clock;

  constructor(private readonly opts: { client: ApiClient; pods: Lister<Pod>; clock?: Clock }) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Whether a pod has a stale-able DisruptionTarget condition, and how long until it is stale. */
  staleIn(pod: Pod): number | undefined {
    if (pod.metadata?.deletionTimestamp) return undefined;
    const c = podCondition(pod, 'DisruptionTarget');
    const phase = pod.status?.phase;
    if (!c || c.status !== 'True' || c.reason === 'TerminationByKubelet' || phase === 'Succeeded' || phase === 'Failed') return undefined;
    const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
    return Math.max(0, since + stalePodDisruptionTimeoutMs - this.clock.now());
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const pod = this.opts.pods.get(key);
    if (!pod) return;
    const wait = this.staleIn(pod);
    if (wait === undefined) return;
    if (wait > 0) return { requeueAfterMs: wait };
    const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'DisruptionTarget' ? { ...c, status: 'False', lastTransitionTime: rfc3339(this.clock.now()) } : c));
    try {
      await this.opts.client.resource<Pod>(disruptionResources.pods).update({ ...pod, status: { ...pod.status, conditions } }, { subresource: 'status', signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** Options of `newDisruptionController`. */
export interface DisruptionControllerOptions {
  client: ApiClient;
  clock?: Clock;
  logger?: Logger;
  recorder?: EventRecorder;
}

/** Builds the controller (PDB status and stale DisruptionTarget cleanup) as one runnable. */
export function newDisruptionController(factory: SharedInformerFactory, opts: DisruptionControllerOptions): Runnable & { pdbs: Controller; stalePods: Controller } {
  const R = disruptionResources;
  const pdbs = factory.informerFor<PodDisruptionBudget>(R.pdbs);
  const pods = factory.informerFor<Pod>(R.pods);
  const listers: DisruptionListers = {
    pdbs: pdbs.store,
    pods: pods.store,
    replicaSets: factory.informerFor<Workload>(R.replicaSets).store,
    deployments: factory.informerFor<Workload>(R.deployments).store,
    statefulSets: factory.informerFor<Workload>(R.statefulSets).store,
    replicationControllers: factory.informerFor<Workload>(R.replicationControllers).store,
  };
  const common = { ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) };
  const reconciler = new DisruptionReconciler({ client: opts.client, listers, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.recorder ? { recorder: opts.recorder } : {}) });
  const pdbController = new Controller({ name: 'disruption', reconciler, ...common });
  pdbController.watch(pdbs, (p) => [keyOf(p)]);
  pdbController.watch(pods, (p) => podsPdbs(pdbs.store, p).map(keyOf));
  for (const r of [R.replicaSets, R.deployments, R.statefulSets, R.replicationControllers]) pdbController.watch(factory.informerFor<Workload>(r), () => []);
  const stale = new StalePodDisruptionReconciler({ client: opts.client, pods: pods.store, ...(opts.clock ? { clock: opts.clock } : {}) });
  const staleController = new Controller({ name: 'disruption-stale-pod', reconciler: stale, ...common });
  staleController.watch(pods, (p) => [keyOf(p)], { predicate: (p) => stale.staleIn(p) !== undefined });
  return {
    name: 'disruption',
    pdbs: pdbController,
    stalePods: staleController,
    run: async (signal) => {
      await Promise.all([pdbController.run(signal), staleController.run(signal)]);
    },
  };
}

/** The PDBs of a pod's namespace that select it. */
function podsPdbs(pdbs: Lister<PodDisruptionBudget>, pod: Pod): PodDisruptionBudget[] {
  return pdbs.listInNamespace(pod.metadata?.namespace ?? '').filter((b) => podsForPdb(b, [pod]).length > 0);
}

