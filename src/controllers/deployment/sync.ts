// One sync of one Deployment: finding or creating its new ReplicaSet, scaling ReplicaSets with their annotations
// and events, proportional scaling, history cleanup, and writing the status and progress conditions.
import type { ApiClient, ResourceClient, ResourceRef } from '../../client/index.js';
import { isAlreadyExists, isNotFound } from '../../client/index.js';
import type { Logger } from '../../util/index.js';
import { newControllerRef, timeOf } from '../replicaset/index.js';
import type { EventRecorder, Lister } from '../runtime/index.js';
import { computeHash } from './hash.js';
import {
  calculateStatus,
  conditionTypes,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  newCondition,
  reasons,
  removeCondition,
  replicaFailures,
  sameStatus,
  compactStatus,
  setCondition,
  type Status,
} from './status.js';
import {
  activeReplicaSets,
  byCreation,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  equalIgnoreHash,
  findNewReplicaSet,
  findOldReplicaSets,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  intAnnotation,
  isRollingUpdate,
  isSaturated,
  maxReplicasAnnotation,
  maxRevision,
  maxSurge,
  newRSNewReplicas,
  podTemplateHashLabel,
  replicaCount,
  replicasAnnotationsNeedUpdate,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  withLabel,
  type Deployment,
  type ReplicaSet,
} from './util.js';

/** apps/v1 Deployments. */
export const deploymentsResource: ResourceRef = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };
/** apps/v1 ReplicaSets. */
export const replicaSetsResource: ResourceRef = { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true };

/** What a sync works with. */
export interface SyncContext {
  client: ApiClient;
  /** The ReplicaSet store (to find a ReplicaSet that already had the new name). */
  replicaSets: Lister<ReplicaSet>;
  recorder?: EventRecorder;
  now: () => number;
  logger: Logger;
  signal: AbortSignal;
}

/**
 * The sync of one Deployment `d` (a private copy: its status and annotations change as the sync writes them).
 * `requeueAfterMs` is set when the progress deadline needs another look.
 */
export class DeploymentSync {
  requeueAfterMs: number | undefined;
  readonly rsClient: ResourceClient<ReplicaSet>;
  private readonly dClient: ResourceClient<Deployment>;

  constructor(
    readonly d: Deployment,
    readonly ctx: SyncContext,
  ) {
    this.rsClient = ctx.client.resource<ReplicaSet>(replicaSetsResource);
    this.dClient = ctx.client.resource<Deployment>(deploymentsResource);
  }

  private get ns(): string {
    return this.d.metadata?.namespace ?? '';
  }

  /** Writes the Deployment's status (and annotations) and keeps the copy's resourceVersion current. */
  async updateStatus(): Promise<void> {
    const d = this.d;
    const written = await this.dClient.update({ ...d, status: compactStatus(d.status ?? {}) }, { subresource: 'status', signal: this.ctx.signal });
    if (d.metadata && written.metadata?.resourceVersion) (d.metadata as { resourceVersion?: string }).resourceVersion = written.metadata.resourceVersion;
  }

  /** The new ReplicaSet (created when `create` and missing) and the old ones; syncs revision annotations. */
  async getAllReplicaSetsAndSyncRevision(rsList: ReplicaSet[], create: boolean): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const oldRSs = findOldReplicaSets(this.d, rsList);
    const newRS = await this.getNewReplicaSet(rsList, oldRSs, create);
    return { newRS, oldRSs };
  }

  private async getNewReplicaSet(rsList: ReplicaSet[], oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const d = this.d;
    const now = this.ctx.now();
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = String(maxRevision(oldRSs) + 1);
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadyChanged = (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsUpdated || minReadyChanged) {
        copy.spec = { ...copy.spec!, minReadySeconds: d.spec?.minReadySeconds ?? 0 };
        return this.rsClient.update(copy, { signal: this.ctx.signal });
      }
      let needsUpdate = setDeploymentRevision(d, copy.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '');
      const status = (d.status ??= {});
      if (hasProgressDeadline(d) && !getCondition(status, conditionTypes.progressing)) {
        setCondition(status, newCondition(conditionTypes.progressing, 'True', reasons.foundNewRS, `Found new replica set "${copy.metadata?.name ?? ''}"`, now));
        needsUpdate = true;
      }
      if (needsUpdate) await this.updateStatus();
      return copy;
    }
    if (!create) return undefined;
    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata = { ...(template.metadata ?? {}), labels: withLabel(d.spec?.template?.metadata?.labels, podTemplateHashLabel, hash) };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = withLabel(selector.matchLabels, podTemplateHashLabel, hash);
    const newRS: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata?.name ?? ''}-${hash}`,
        namespace: this.ns,
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
        labels: { ...template.metadata.labels },
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);
    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.rsClient.create(newRS, { signal: this.ctx.signal });
    } catch (e) {
      if (isAlreadyExists(e)) {
        alreadyExists = true;
        const rs = this.ctx.replicaSets.get(`${this.ns}/${newRS.metadata!.name!}`) ?? (await this.rsClient.get(newRS.metadata!.name!, { namespace: this.ns, signal: this.ctx.signal }));
        const ref = rs.metadata?.ownerReferences?.find((r) => r.controller);
        if (ref && ref.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template, rs.spec?.template)) {
          created = rs;
        } else {
          // Another ReplicaSet has the name this template hashes to: count a collision, which changes the hash.
          const status = (d.status ??= {});
          status.collisionCount = (status.collisionCount ?? 0) + 1;
          await this.updateStatus().then(
            () => this.ctx.logger.info('hash collision, bumping collisionCount', { deployment: d.metadata?.name, collisionCount: status.collisionCount }),
            () => undefined,
          );
          throw e;
        }
      } else {
        if (isNamespaceTerminating(e)) throw e;
        const msg = `Failed to create new replica set "${newRS.metadata!.name!}": ${e instanceof Error ? e.message : String(e)}`;
        if (hasProgressDeadline(d)) {
          setCondition((d.status ??= {}), newCondition(conditionTypes.progressing, 'False', reasons.failedRSCreate, msg, now));
          await this.updateStatus().catch(() => undefined);
        }
        this.ctx.recorder?.event(d, 'Warning', reasons.failedRSCreate, msg);
        throw e;
      }
    }
    if (!alreadyExists && replicas > 0) {
      this.ctx.recorder?.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name ?? ''} from 0 to ${replicas}`);
    }
    let needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition((d.status ??= {}), newCondition(conditionTypes.progressing, 'True', reasons.newRS, `Created new replica set "${created.metadata?.name ?? ''}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await this.updateStatus();
    return created;
  }

  /** Scales a ReplicaSet to `newScale` with an event; returns whether it was scaled and the ReplicaSet as written. */
  async scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, specReplicas(rs) < newScale ? 'up' : 'down');
  }

  /** Sets a ReplicaSet's replicas and replicas annotations; the event tells the size change. */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number, operation: 'up' | 'down' | ''): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const d = this.d;
    const sizeNeedsUpdate = specReplicas(rs) !== newScale;
    const desired = specReplicas(d);
    const max = desired + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const oldScale = specReplicas(rs);
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec!, replicas: newScale };
    setReplicasAnnotations(copy, desired, max);
    const written = await this.rsClient.update(copy, { signal: this.ctx.signal });
    if (sizeNeedsUpdate) {
      const name = written.metadata?.name ?? '';
      const msg = operation === 'up' ? `Scaled up replica set ${name} from ${oldScale} to ${newScale}` : operation === 'down' ? `Scaled down replica set ${name} from ${oldScale} to ${newScale}` : '';
      this.ctx.recorder?.event(d, 'Normal', 'ScalingReplicaSet', msg);
    }
    return { scaled: sizeNeedsUpdate, rs: written };
  }

  /** A Deployment's replicas changed: bring its ReplicaSets to the new size, proportionally during a rollout. */
  async scale(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const d = this.d;
    const want = specReplicas(d);
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (specReplicas(activeOrLatest) === want) return;
      await this.scaleReplicaSetAndRecordEvent(activeOrLatest, want);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of activeReplicaSets(oldRSs)) await this.scaleReplicaSetAndRecordEvent(old, 0);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const all = activeReplicaSets([...oldRSs, newRS]);
    const allowed = want > 0 ? want + maxSurge(d) : 0;
    const toAdd = allowed - replicaCount(all);
    let operation: 'up' | 'down' | '' = '';
    if (toAdd > 0) {
      all.sort(bySizeNewer);
      operation = 'up';
    } else if (toAdd < 0) {
      all.sort(bySizeOlder);
      operation = 'down';
    }
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of all) {
      const name = rs.metadata?.name ?? '';
      if (toAdd !== 0) {
        const p = proportion(rs, d, toAdd, added);
        sizes.set(name, specReplicas(rs) + p);
        added += p;
      } else sizes.set(name, specReplicas(rs));
    }
    for (let i = 0; i < all.length; i++) {
      const rs = all[i]!;
      const name = rs.metadata?.name ?? '';
      if (i === 0 && toAdd !== 0) sizes.set(name, Math.max(0, (sizes.get(name) ?? 0) + toAdd - added));
      await this.scaleReplicaSet(rs, sizes.get(name) ?? 0, operation);
    }
  }

  /** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  async cleanupDeployment(oldRSs: ReplicaSet[]): Promise<void> {
    const d = this.d;
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata?.deletionTimestamp) continue;
      try {
        await this.rsClient.delete(rs.metadata?.name ?? '', { namespace: this.ns, signal: this.ctx.signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  /** Writes the status the ReplicaSets give, when it changed (syncDeploymentStatus). */
  async syncDeploymentStatus(all: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<void> {
    const next = calculateStatus(all, newRS, this.d, this.ctx.now());
    if (sameStatus(this.d.status, next)) return;
    this.d.status = next;
    await this.updateStatus();
  }

  /** Writes the status with the Progressing condition judged, and asks to look again before the deadline. */
  async syncRolloutStatus(all: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<void> {
    const d = this.d;
    const now = this.ctx.now();
    const next = calculateStatus(all, newRS, d, now);
    if (!hasProgressDeadline(d)) removeCondition(next, conditionTypes.progressing);
    const current = getCondition(d.status, conditionTypes.progressing);
    const complete = next.replicas === next.updatedReplicas && current?.reason === reasons.newRSAvailable;
    if (hasProgressDeadline(d) && !complete) {
      const subject = newRS ? `ReplicaSet "${newRS.metadata?.name ?? ''}"` : `Deployment "${d.metadata?.name ?? ''}"`;
      if (deploymentComplete(d, next)) {
        setCondition(next, newCondition(conditionTypes.progressing, 'True', reasons.newRSAvailable, `${subject} has successfully progressed.`, now));
      } else if (deploymentProgressing(d, next)) {
        const cond = newCondition(conditionTypes.progressing, 'True', reasons.rsUpdated, `${subject} is progressing.`, now);
        if (current) {
          if (current.status === 'True' && current.lastTransitionTime !== undefined) cond.lastTransitionTime = current.lastTransitionTime;
          removeCondition(next, conditionTypes.progressing);
        }
        setCondition(next, cond);
      } else if (deploymentTimedOut(d, next, now)) {
        setCondition(next, newCondition(conditionTypes.progressing, 'False', reasons.timedOut, `${subject} has timed out progressing.`, now));
      }
    }
    const failures = replicaFailures(all, newRS);
    if (failures[0]) setCondition(next, failures[0]);
    else removeCondition(next, conditionTypes.replicaFailure);
    if (sameStatus(d.status, next)) {
      this.requeueStuckDeployment(next, now);
      return;
    }
    d.status = next;
    await this.updateStatus();
  }

  /** Asks to be called again when the progress deadline of a rollout without progress passes. */
  private requeueStuckDeployment(next: Status, now: number): void {
    const d = this.d;
    const cond = getCondition(d.status, conditionTypes.progressing);
    if (!hasProgressDeadline(d) || !cond) return;
    if (deploymentComplete(d, next) || cond.reason === reasons.timedOut) return;
    const after = timeOf(cond.lastUpdateTime) + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - now;
    this.requeueAfterMs = after < 1000 ? 1000 : after + 1000;
  }
}

/** The only active ReplicaSet, or the newest when none is active (FindActiveOrLatest); none when several are active. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  oldRSs.sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...oldRSs, newRS]);
  if (active.length === 0) return newRS ?? oldRSs[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The replicas to add to (or remove from) one ReplicaSet in a proportional scale (GetReplicaSetProportion). */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (specReplicas(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = specReplicas(d) + maxSurge(d);
  const annotated = intAnnotation(rs, maxReplicasAnnotation) ?? d.status?.replicas ?? 0;
  const size = (specReplicas(rs) * deploymentReplicas) / annotated;
  return roundHalfAway(size) - specReplicas(rs);
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function isNamespaceTerminating(e: unknown): boolean {
  const causes = (e as { status?: { details?: { causes?: { reason?: string }[] } } }).status?.details?.causes ?? [];
  return causes.some((c) => c.reason === 'NamespaceTerminating');
}
