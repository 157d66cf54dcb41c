// VolumeBinding: a pod's PersistentVolumeClaims must exist, Immediate claims must be bound, and the volumes of bound
// claims must be reachable from the node (their node affinity). Claims of a WaitForFirstConsumer class pass; the
// scheduler selects their node before binding the pod (see Scheduler.bind).
import type { PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, PersistentVolumeSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import type { NodeInfo } from '../node-info.js';
import { rejected, type CycleState, type Plugin, type Pod } from '../types.js';
import { termMatchesNode } from './helpers.js';

/** A claim as the plugin reads it. */
export interface ClaimLike extends KubeObject {
  spec?: PersistentVolumeClaimSpec;
  status?: PersistentVolumeClaimStatus;
}
/** A volume as the plugin reads it. */
export interface VolumeLike extends KubeObject {
  spec?: PersistentVolumeSpec;
}
/** A StorageClass as the plugin reads it. */
export interface StorageClassLike extends KubeObject {
  volumeBindingMode?: string;
}

/** Where the plugin looks claims, volumes and classes up (the scheduler's informer stores). */
export interface VolumeLookup {
  claim(namespace: string, name: string): ClaimLike | undefined;
  volume(name: string): VolumeLike | undefined;
  storageClass(name: string): StorageClassLike | undefined;
}

/** The claim names a pod uses: `persistentVolumeClaim.claimName`, and `<pod>-<volume>` for ephemeral volumes. */
export function podClaimNames(pod: Pod): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(`${pod.metadata?.name ?? ''}-${v.name}`);
  }
  return out;
}

/** Whether a claim is bound to a volume. */
export function claimIsBound(c: ClaimLike): boolean {
  return !!c.spec?.volumeName;
}

/** Whether an unbound claim waits for its first consumer (its class says WaitForFirstConsumer). */
export function claimIsDelayed(c: ClaimLike, lookup: VolumeLookup): boolean {
  const cls = c.spec?.storageClassName;
  return !!cls && lookup.storageClass(cls)?.volumeBindingMode === 'WaitForFirstConsumer';
}

interface VolumeState {
  boundVolumes: VolumeLike[];
}

const pluginName = 'VolumeBinding';

/** Builds the VolumeBinding plugin over a lookup. */
export function volumeBinding(lookup: VolumeLookup): Plugin {
  return {
    name: pluginName,
    preFilter(state: CycleState) {
      const names = podClaimNames(state.pod);
      if (names.length === 0) return 'skip';
      const ns = state.pod.metadata?.namespace ?? '';
      const bound: VolumeLike[] = [];
      let unboundImmediate = false;
      for (const name of names) {
        const c = lookup.claim(ns, name);
        if (!c) return { status: rejected(pluginName, 'UnschedulableAndUnresolvable', `persistentvolumeclaim "${name}" not found`) };
        if (c.metadata?.deletionTimestamp) return { status: rejected(pluginName, 'UnschedulableAndUnresolvable', `persistentvolumeclaim "${name}" is being deleted`) };
        if (claimIsBound(c)) {
          const pv = lookup.volume(c.spec!.volumeName!);
          if (!pv) return { status: rejected(pluginName, 'UnschedulableAndUnresolvable', 'pod has unbound immediate PersistentVolumeClaims') };
          bound.push(pv);
        } else if (!claimIsDelayed(c, lookup)) unboundImmediate = true;
      }
      if (unboundImmediate) return { status: rejected(pluginName, 'UnschedulableAndUnresolvable', 'pod has unbound immediate PersistentVolumeClaims') };
      state.data.set(pluginName, { boundVolumes: bound } satisfies VolumeState);
      return undefined;
    },
    filter(state: CycleState, node: NodeInfo) {
      const s = state.data.get(pluginName) as VolumeState | undefined;
      for (const pv of s?.boundVolumes ?? []) {
        const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
        if (!terms) continue;
        if (!terms.some((t) => termMatchesNode(t, node.labels, node.name))) return rejected(pluginName, 'UnschedulableAndUnresolvable', 'node(s) had volume node affinity conflict');
      }
      return undefined;
    },
  };
}
