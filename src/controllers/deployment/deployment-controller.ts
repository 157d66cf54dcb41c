// The Deployment controller: claims a Deployment's ReplicaSets, rolls its template out through them (RollingUpdate
// or Recreate), scales them when the Deployment is scaled, and reports progress in the Deployment's status.
import type { ApiClient } from '../../client/index.js';
import { tryLabelSelectorFromObject, matchesLabels } from '../../machinery/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import {
  claimObjects,
  controllerRefOf,
  controllerUidIndex,
  indexByControllerUid,
  newControllerRef,
  orphanIndexValue,
  podsResource,
  recheckOwner,
  type Pod,
} from '../replicaset/index.js';
import { Controller, keyOf, makeKey, objectOfDelete, TerminalError, type EventRecorder, type Lister, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { conditionTypes, getCondition, newCondition, reasons, setCondition } from './status.js';
import { DeploymentSync, deploymentsResource, replicaSetsResource } from './sync.js';
import { activeReplicaSets, desiredReplicasAnnotation, hasProgressDeadline, intAnnotation, specReplicas, type Deployment, type ReplicaSet } from './util.js';

/** How a Deployment reconciler is built. */
export interface DeploymentReconcilerOptions {
  client: ApiClient;
  deployments: Lister<Deployment>;
  /** The ReplicaSet store, with the `controllerUidIndex` index. */
  replicaSets: Lister<ReplicaSet>;
  /** The pod store, with the `controllerUidIndex` index. */
  pods: Lister<Pod>;
  recorder?: EventRecorder;
  clock?: Clock;
  logger?: Logger;
}

/** Reconciles one Deployment (key `namespace/name`), as Kubernetes' syncDeployment. */
export class DeploymentReconciler implements Reconciler {
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly o: DeploymentReconcilerOptions) {
    this.clock = o.clock ?? systemClock;
    this.log = (o.logger ?? silentLogger).with({ controller: 'deployment' });
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const cached = this.o.deployments.get(key);
    if (!cached) return;
    const d = structuredClone(cached);
    const s = new DeploymentSync(d, { client: this.o.client, replicaSets: this.o.replicaSets, ...(this.o.recorder ? { recorder: this.o.recorder } : {}), now: () => this.clock.now(), logger: this.log, signal });
    const sel = d.spec?.selector;
    if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
      this.o.recorder?.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      const status = (d.status ??= {});
      if ((status.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        status.observedGeneration = d.metadata?.generation ?? 0;
        await s.updateStatus();
      }
      return;
    }
    const rsList = await this.replicaSetsFor(d, signal);
    const podMap = this.podMapFor(rsList);
    if (d.metadata?.deletionTimestamp) {
      const { newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(rsList, false);
      await s.syncDeploymentStatus([...oldRSs, newRS], newRS);
      return;
    }
    await this.checkPausedConditions(s);
    if (d.spec?.paused) await this.sync(s, rsList);
    else if (await this.isScalingEvent(s, rsList)) await this.sync(s, rsList);
    else if (d.spec?.strategy?.type === 'Recreate') await rolloutRecreate(s, rsList, podMap);
    else if (d.spec?.strategy?.type === 'RollingUpdate') await rolloutRolling(s, rsList);
    return s.requeueAfterMs !== undefined ? { requeueAfterMs: s.requeueAfterMs } : undefined;
  }

  /** The ReplicaSets the Deployment manages after adopting matching orphans and releasing ones that stopped matching. */
  private async replicaSetsFor(d: Deployment, signal: AbortSignal): Promise<ReplicaSet[]> {
    const selector = tryLabelSelectorFromObject(d.spec?.selector);
    const ns = d.metadata?.namespace ?? '';
    if (typeof selector === 'string') throw new TerminalError(`deployment ${ns}/${d.metadata?.name ?? ''} has invalid label selector: ${selector}`);
    const candidates = [...this.o.replicaSets.byIndex(controllerUidIndex, d.metadata?.uid ?? ''), ...this.o.replicaSets.byIndex(controllerUidIndex, orphanIndexValue(ns))];
    const client = this.o.client.resource<ReplicaSet>(replicaSetsResource);
    return claimObjects({
      owner: d,
      ownerRef: newControllerRef(d, 'apps/v1', 'Deployment'),
      selector,
      candidates,
      client,
      canAdopt: recheckOwner('Deployment', d, () => this.o.client.resource<Deployment>(deploymentsResource).get(d.metadata?.name ?? '', { namespace: ns, signal })),
      signal,
    });
  }

  /** Each ReplicaSet's pods (terminating ones too), by the ReplicaSet's uid. */
  private podMapFor(rsList: ReplicaSet[]): Map<string, Pod[]> {
    const m = new Map<string, Pod[]>();
    for (const rs of rsList) {
      const uid = rs.metadata?.uid ?? '';
      m.set(uid, this.o.pods.byIndex(controllerUidIndex, uid));
    }
    return m;
  }

  /** Marks pausing and resuming in the Progressing condition (Unknown), unless the rollout already timed out. */
  private async checkPausedConditions(s: DeploymentSync): Promise<void> {
    const d = s.d;
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, conditionTypes.progressing);
    if (cond?.reason === reasons.timedOut) return;
    const pausedExists = cond?.reason === reasons.paused;
    const now = this.clock.now();
    if (d.spec?.paused && !pausedExists) {
      setCondition((d.status ??= {}), newCondition(conditionTypes.progressing, 'Unknown', reasons.paused, 'Deployment is paused', now));
    } else if (!d.spec?.paused && pausedExists) {
      setCondition((d.status ??= {}), newCondition(conditionTypes.progressing, 'Unknown', reasons.resumed, 'Deployment is resumed', now));
    } else return;
    await s.updateStatus();
  }

  /** Scaling and, when paused, history cleanup; no rollout (sync). */
  private async sync(s: DeploymentSync, rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(rsList, false);
    await s.scale(newRS, oldRSs);
    if (s.d.spec?.paused) await s.cleanupDeployment(oldRSs);
    await s.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  /** An active ReplicaSet was last sized for another replica count than the Deployment's (isScalingEvent). */
  private async isScalingEvent(s: DeploymentSync, rsList: ReplicaSet[]): Promise<boolean> {
    const { newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(rsList, false);
    for (const rs of activeReplicaSets([...oldRSs, newRS])) {
      const desired = intAnnotation(rs, desiredReplicasAnnotation);
      if (desired !== undefined && desired !== specReplicas(s.d)) return true;
    }
    return false;
  }
}

/** How the controller is built. */
export interface DeploymentControllerOptions {
  client: ApiClient;
  recorder?: EventRecorder;
  clock?: Clock;
  logger?: Logger;
  /** Parallel workers (default 5, as --concurrent-deployment-syncs). */
  workers?: number;
}

/** Builds the Deployment controller: Deployments enqueue themselves, ReplicaSets their Deployment, pod deletions a Recreate Deployment. */
export function newDeploymentController(factory: SharedInformerFactory, opts: DeploymentControllerOptions): Controller {
  const indexers = { [controllerUidIndex]: indexByControllerUid };
  const deployments = factory.informerFor<Deployment>(deploymentsResource);
  const replicaSets = factory.informerFor<ReplicaSet>(replicaSetsResource, { indexers });
  const pods = factory.informerFor<Pod>(podsResource, { indexers });
  const reconciler = new DeploymentReconciler({
    client: opts.client,
    deployments: deployments.store,
    replicaSets: replicaSets.store,
    pods: pods.store,
    ...(opts.recorder ? { recorder: opts.recorder } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  const c = new Controller({ name: 'deployment', reconciler, workers: opts.workers ?? 5, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  c.watch(deployments);
  c.watch(replicaSets, (rs) => {
    const ns = rs.metadata?.namespace ?? '';
    const ref = controllerRefOf(rs);
    if (ref) return ref.kind === 'Deployment' ? [makeKey(ns, ref.name)] : [];
    // An orphan: every Deployment that could adopt it.
    return deployments.store
      .listInNamespace(ns)
      .filter((d) => {
        const sel = tryLabelSelectorFromObject(d.spec?.selector);
        return typeof sel !== 'string' && matchesLabels(sel, rs.metadata?.labels);
      })
      .map((d) => keyOf(d));
  });
  // Pods only matter to Recreate, which waits for the old ones to be gone; the informer must be synced all the same.
  c.watch(pods, () => []);
  pods.addEventHandler({
    onDelete(obj) {
      const pod = objectOfDelete(obj);
      const ref = controllerRefOf(pod);
      if (!ref || ref.kind !== 'ReplicaSet') return;
      const rs = replicaSets.store.get(makeKey(pod.metadata?.namespace, ref.name));
      const dref = rs && controllerRefOf(rs);
      if (!dref || dref.kind !== 'Deployment') return;
      const key = makeKey(pod.metadata?.namespace, dref.name);
      if (deployments.store.get(key)?.spec?.strategy?.type === 'Recreate') c.enqueue(key);
    },
  });
  return c;
}
