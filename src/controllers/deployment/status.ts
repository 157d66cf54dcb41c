// A Deployment's status: counts summed over its ReplicaSets, the Available and Progressing conditions and how a
// rollout's progress and deadline are judged (Kubernetes' deployment status and progress rules).
import type { DeploymentCondition, DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import { rfc3339 } from '../../util/index.js';
import { timeOf } from '../replicaset/index.js';
import { stableStringify } from './hash.js';
import {
  actualReplicaCount,
  availableReplicaCount,
  hasProgressDeadline,
  maxUnavailable,
  readyReplicaCount,
  replicaCount,
  specReplicas,
  type Deployment,
  type ReplicaSet,
} from './util.js';

/** Condition types and reasons of Deployments. */
export const conditionTypes = { available: 'Available', progressing: 'Progressing', replicaFailure: 'ReplicaFailure' } as const;

/** The reasons the Deployment controller writes (Kubernetes' names). */
export const reasons = {
  newRS: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  failedRSCreate: 'ReplicaSetCreateError',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** A Deployment status with writable conditions. */
export type Status = DeploymentStatus & { conditions?: DeploymentCondition[] };

/** A condition stamped `nowMs` (NewDeploymentCondition). */
export function newCondition(type: string, status: string, reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = rfc3339(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** The condition of a type, if any. */
export function getCondition(s: Status | undefined, type: string): DeploymentCondition | undefined {
  return s?.conditions?.find((c) => c.type === type);
}

/** Sets a condition unless one with the same status and reason is there; keeps lastTransitionTime if the status holds. */
export function setCondition(s: Status, cond: DeploymentCondition): void {
  const cur = getCondition(s, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  const next = { ...cond };
  if (cur && cur.status === cond.status && cur.lastTransitionTime !== undefined) next.lastTransitionTime = cur.lastTransitionTime;
  s.conditions = [...(s.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

/** Removes the condition of a type. */
export function removeCondition(s: Status, type: string): void {
  if (!s.conditions) return;
  s.conditions = s.conditions.filter((c) => c.type !== type);
}

/** The status the ReplicaSets give, with the Available condition (calculateStatus). */
export function calculateStatus(all: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): Status {
  const available = availableReplicaCount(all);
  const unavailable = Math.max(0, replicaCount(all) - available);
  const status: Status = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: actualReplicaCount(all),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(all),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const conditions = d.status?.conditions ?? [];
  if (conditions.length > 0) status.conditions = conditions.map((c) => ({ ...c }));
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(conditionTypes.available, 'True', reasons.minimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition(conditionTypes.available, 'False', reasons.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

/** Every replica is updated and available and the spec was observed (DeploymentComplete). */
export function deploymentComplete(d: Deployment, s: Status | undefined): boolean {
  const want = specReplicas(d);
  return (s?.updatedReplicas ?? 0) === want && (s?.replicas ?? 0) === want && (s?.availableReplicas ?? 0) === want && (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** The new status shows progress over the Deployment's current one (DeploymentProgressing). */
export function deploymentProgressing(d: Deployment, s: Status): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** No progress reported within progressDeadlineSeconds of the last one (DeploymentTimedOut). */
export function deploymentTimedOut(d: Deployment, s: Status, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(s, conditionTypes.progressing);
  if (!cond) return false;
  if (cond.reason === reasons.newRSAvailable) return false;
  if (cond.reason === reasons.timedOut) return true;
  const from = timeOf(cond.lastUpdateTime);
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

/** ReplicaFailure conditions of the new ReplicaSet, else of any ReplicaSet, as Deployment conditions. */
export function replicaFailures(all: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const convert = (c: { type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }): DeploymentCondition => ({
    type: c.type,
    status: c.status,
    ...(c.lastTransitionTime !== undefined ? { lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime } : {}),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    ...(c.message !== undefined ? { message: c.message } : {}),
  });
  const ofNew = (newRS?.status?.conditions ?? []).filter((c) => c.type === conditionTypes.replicaFailure).map(convert);
  if (ofNew.length > 0) return ofNew;
  const out: DeploymentCondition[] = [];
  for (const rs of all) for (const c of rs?.status?.conditions ?? []) if (c.type === conditionTypes.replicaFailure) out.push(convert(c));
  return out;
}

/** Status in the form written: zero counts left out, as Kubernetes' omitempty leaves them out. */
export function compactStatus(s: Status): Status {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined || (typeof v === 'number' && v === 0 && k !== 'collisionCount')) continue;
    if (k === 'conditions' && Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as Status;
}

/** True when two statuses say the same (zero and absent counts alike). */
export function sameStatus(a: Status | undefined, b: Status | undefined): boolean {
  return stableStringify(compactStatus(a ?? {})) === stableStringify(compactStatus(b ?? {}));
}
