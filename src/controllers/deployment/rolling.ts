// The RollingUpdate strategy: scale the new ReplicaSet up within maxSurge, scale old ones down within
// maxUnavailable (unhealthy replicas first), and clean up history once the rollout is complete.
import { deploymentComplete } from './status.js';
import type { DeploymentSync } from './sync.js';
import { activeReplicaSets, availableReplicaCount, byCreation, maxUnavailable, newRSNewReplicas, replicaCount, specReplicas, type ReplicaSet } from './util.js';

/** One step of a rolling update (rolloutRolling). */
export async function rolloutRolling(s: DeploymentSync, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await s.getAllReplicaSetsAndSyncRevision(rsList, true);
  const all = [...oldRSs, newRS];
  if (!newRS) return s.syncRolloutStatus(all, newRS);
  if (await reconcileNewReplicaSet(s, all, newRS)) return s.syncRolloutStatus(all, newRS);
  if (await reconcileOldReplicaSets(s, all, activeReplicaSets(oldRSs), newRS)) return s.syncRolloutStatus(all, newRS);
  if (deploymentComplete(s.d, s.d.status)) await s.cleanupDeployment(oldRSs);
  return s.syncRolloutStatus(all, newRS);
}

async function reconcileNewReplicaSet(s: DeploymentSync, all: (ReplicaSet | undefined)[], newRS: ReplicaSet): Promise<boolean> {
  const want = specReplicas(s.d);
  if (specReplicas(newRS) === want) return false;
  if (specReplicas(newRS) > want) return (await s.scaleReplicaSetAndRecordEvent(newRS, want)).scaled;
  return (await s.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(s.d, all, newRS))).scaled;
}

async function reconcileOldReplicaSets(s: DeploymentSync, all: (ReplicaSet | undefined)[], oldRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const allPods = replicaCount(all);
  const minAvailable = specReplicas(s.d) - maxUnavailable(s.d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(s, oldRSs, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(s, [...cleaned.oldRSs, newRS], cleaned.oldRSs);
  return cleaned.count + scaledDown > 0;
}

/** Scales old ReplicaSets down by their unavailable replicas first: they cost no availability. */
async function cleanupUnhealthyReplicas(s: DeploymentSync, oldRSs: ReplicaSet[], maxCleanup: number): Promise<{ oldRSs: ReplicaSet[]; count: number }> {
  oldRSs.sort(byCreation);
  let total = 0;
  for (let i = 0; i < oldRSs.length; i++) {
    if (total >= maxCleanup) break;
    const rs = oldRSs[i]!;
    const replicas = specReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const down = Math.min(maxCleanup - total, replicas - available);
    const target = replicas - down;
    if (target > replicas) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata?.namespace ?? ''}/${rs.metadata?.name ?? ''} ${replicas} -> ${target}`);
    const r = await s.scaleReplicaSetAndRecordEvent(rs, target);
    total += down;
    oldRSs[i] = r.rs;
  }
  return { oldRSs, count: total };
}

/** Scales old ReplicaSets down, oldest first, as far as the available pods above minAvailable allow. */
async function scaleDownOldReplicaSetsForRollingUpdate(s: DeploymentSync, all: ReplicaSet[], oldRSs: ReplicaSet[]): Promise<number> {
  const minAvailable = specReplicas(s.d) - maxUnavailable(s.d);
  const available = availableReplicaCount(all);
  if (available <= minAvailable) return 0;
  oldRSs.sort(byCreation);
  let total = 0;
  const toScaleDown = available - minAvailable;
  for (const rs of oldRSs) {
    if (total >= toScaleDown) break;
    const replicas = specReplicas(rs);
    if (replicas === 0) continue;
    const down = Math.min(replicas, toScaleDown - total);
    const target = replicas - down;
    if (target > replicas) throw new Error(`when scaling down old RS, got invalid request to scale down ${rs.metadata?.namespace ?? ''}/${rs.metadata?.name ?? ''} ${replicas} -> ${target}`);
    await s.scaleReplicaSetAndRecordEvent(rs, target);
    total += down;
  }
  return total;
}
