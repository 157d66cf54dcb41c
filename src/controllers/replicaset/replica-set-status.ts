// A ReplicaSet's (or ReplicationController's) status as its controller computes it: counts of its pods and the
// ReplicaFailure condition (calculateStatus of Kubernetes' replica set utils).
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';
import { matchesLabels, selectorFromSet } from '../../machinery/index.js';
import { rfc3339 } from '../../util/index.js';
import { isPodAvailable, isPodReady, type Pod } from './pod-utils.js';

/** A condition of a ReplicaSet or ReplicationController. */
export interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The status of a ReplicaSet or ReplicationController. */
export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

/** A ReplicaSet or ReplicationController as their controller reads them. */
export interface Replicated extends KubeObject {
  spec?: { replicas?: number; minReadySeconds?: number; selector?: unknown; template?: PodTemplateSpec };
  status?: ReplicaSetStatus;
}

/** The condition type set while pods cannot be created or deleted. */
export const replicaFailure = 'ReplicaFailure';

/** The status `pods` (the active pods the set manages) give, with the ReplicaFailure condition of `manageError`. */
export function calculateStatus(rs: Replicated, pods: Pod[], manageError: Error | undefined, nowMs: number): ReplicaSetStatus {
  const old = rs.status ?? { replicas: 0 };
  const status: ReplicaSetStatus = { ...old, replicas: pods.length };
  if (old.conditions) status.conditions = old.conditions.map((c) => ({ ...c }));
  const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels ?? {});
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (matchesLabels(templateLabels, pod.metadata?.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, nowMs)) available++;
    }
  }
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  const failure = old.conditions?.find((c) => c.type === replicaFailure);
  if (manageError && !failure) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const cond: ReplicaSetCondition = { type: replicaFailure, status: 'True', lastTransitionTime: rfc3339(nowMs), reason, message: manageError.message };
    status.conditions = [...(status.conditions ?? []), cond];
  } else if (!manageError && failure) {
    status.conditions = (status.conditions ?? []).filter((c) => c.type !== replicaFailure);
    if (status.conditions.length === 0) delete status.conditions;
  }
  return status;
}

/** True when writing `next` would change nothing the controller owns (counts, generation, conditions). */
export function statusUnchanged(rs: Replicated, next: ReplicaSetStatus): boolean {
  const s = rs.status ?? { replicas: 0 };
  return (
    (s.replicas ?? 0) === next.replicas &&
    (s.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0) &&
    (s.readyReplicas ?? 0) === (next.readyReplicas ?? 0) &&
    (s.availableReplicas ?? 0) === (next.availableReplicas ?? 0) &&
    (rs.metadata?.generation ?? 0) === (s.observedGeneration ?? 0) &&
    JSON.stringify(s.conditions ?? []) === JSON.stringify(next.conditions ?? [])
  );
}
