// The Recreate strategy: scale every old ReplicaSet to zero, wait until their pods are gone, then bring up the new one.
import { deploymentComplete } from './status.js';
import type { DeploymentSync } from './sync.js';
import { actualReplicaCount, activeReplicaSets, specReplicas, type ReplicaSet } from './util.js';
import type { Pod } from '../replicaset/index.js';

/** One step of a Recreate rollout (rolloutRecreate); `podMap` holds each ReplicaSet's pods by its uid. */
export async function rolloutRecreate(s: DeploymentSync, rsList: ReplicaSet[], podMap: Map<string, Pod[]>): Promise<void> {
  // The new ReplicaSet is not created yet: it would scale up before the old ones are down.
  let { newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(rsList, false);
  let all: (ReplicaSet | undefined)[] = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) if ((await s.scaleReplicaSetAndRecordEvent(rs, 0)).scaled) scaledDown = true;
  if (scaledDown) return s.syncRolloutStatus(all, newRS);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return s.syncRolloutStatus(all, newRS);
  if (!newRS) {
    ({ newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(rsList, true));
    all = [...oldRSs, newRS];
  }
  if (newRS) await s.scaleReplicaSetAndRecordEvent(newRS, specReplicas(s.d));
  if (deploymentComplete(s.d, s.d.status)) await s.cleanupDeployment(oldRSs);
  return s.syncRolloutStatus(all, newRS);
}

/** Whether an old ReplicaSet still has pods that are not finished (terminating ones count). */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: Map<string, Pod[]>): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    for (const p of pods) {
      const phase = p.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
