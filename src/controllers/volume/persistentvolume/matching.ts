// Which PersistentVolume a claim binds to: the pure matching rules of the PV binder (class, access modes,
// capacity, selector, pre-binding), smallest fitting volume first.
import type { PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, PersistentVolumeSpec, PersistentVolumeStatus } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { compareQuantities, labelSelectorFromObject, matchesLabels, parseQuantity, type Quantity } from '../../../machinery/index.js';

/** A PersistentVolume as the binder reads it. */
export interface Volume extends KubeObject {
  spec?: PersistentVolumeSpec;
  status?: PersistentVolumeStatus;
}
/** A PersistentVolumeClaim as the binder reads it. */
export interface Claim extends KubeObject {
  spec?: PersistentVolumeClaimSpec;
  status?: PersistentVolumeClaimStatus;
}

function storageOf(q: Record<string, string> | undefined): Quantity | undefined {
  const s = q?.['storage'];
  if (s === undefined) return undefined;
  try {
    return parseQuantity(String(s));
  } catch {
    return undefined;
  }
}

/** The class of a claim ('' when it names none). */
export function claimClass(c: Claim): string {
  return c.spec?.storageClassName ?? '';
}

/** Whether a volume's claimRef points at this claim (by namespace and name, and uid when both have one). */
export function refersTo(pv: Volume, c: Claim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.namespace !== c.metadata?.namespace || ref.name !== c.metadata?.name) return false;
  return !ref.uid || !c.metadata?.uid || ref.uid === c.metadata.uid;
}

/** Whether a volume can hold a claim, leaving aside who else claims it: class, modes, capacity, selector. */
export function volumeFits(pv: Volume, c: Claim): boolean {
  if ((pv.spec?.storageClassName ?? '') !== claimClass(c)) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (c.spec?.volumeMode ?? 'Filesystem')) return false;
  const have = new Set(pv.spec?.accessModes ?? []);
  if (!(c.spec?.accessModes ?? []).every((m) => have.has(m))) return false;
  const want = storageOf(c.spec?.resources?.requests);
  const size = storageOf(pv.spec?.capacity);
  if (want && (!size || compareQuantities(size, want) < 0)) return false;
  if (c.spec?.selector && !matchesLabels(labelSelectorFromObject(c.spec.selector), pv.metadata?.labels)) return false;
  return true;
}

/**
 * The volume a pending claim binds to: one pre-bound to it (claimRef) first, else among the volumes not bound
 * to anyone (no claimRef, not being deleted, not Released/Failed) the smallest that fits. A claim naming a
 * volume (spec.volumeName) only takes that one.
 */
export function findVolumeFor(c: Claim, volumes: readonly Volume[]): Volume | undefined {
  const wanted = c.spec?.volumeName;
  const candidates = volumes.filter((pv) => !pv.metadata?.deletionTimestamp && (!wanted || pv.metadata?.name === wanted));
  const preBound = candidates.find((pv) => refersTo(pv, c) && volumeFits(pv, c));
  if (preBound) return preBound;
  let best: Volume | undefined;
  for (const pv of candidates) {
    if (pv.spec?.claimRef) continue;
    const phase = pv.status?.phase;
    if (phase === 'Released' || phase === 'Failed') continue;
    if (!volumeFits(pv, c)) continue;
    if (!best || compareQuantities(storageOf(pv.spec?.capacity) ?? parseQuantity('0'), storageOf(best.spec?.capacity) ?? parseQuantity('0')) < 0) best = pv;
  }
  return best;
}
