// The controller reference manager: a controller claims the objects its selector matches. It keeps the ones it
// owns, adopts matching orphans (adding itself as managing owner) and releases owned ones that stopped matching.
import type { KubeObject, OwnerReference } from '../../api/index.js';
import { isInvalid, isNotFound, type ResourceClient } from '../../client/index.js';
import { matchesLabels, type LabelSelector } from '../../machinery/index.js';
import { controllerRefOf } from './pod-utils.js';

/** What `claimObjects` works with. */
export interface ClaimOptions<T extends KubeObject> {
  /** The controller claiming (a ReplicaSet, a Deployment, ...), as last seen. */
  owner: KubeObject;
  /** The reference the owner puts on what it adopts. */
  ownerRef: OwnerReference;
  selector: LabelSelector;
  /** Objects that may be claimed: those the owner manages and orphans, in the owner's namespace. */
  candidates: readonly T[];
  /** The client of the claimed objects, for the adopt and release patches. */
  client: ResourceClient<T>;
  /**
   * Checked once before the first adoption: throws when the owner may not adopt (it is gone, replaced by another
   * object of the same name, or being deleted). Read it fresh from the API, not from a cache.
   */
  canAdopt: () => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Claims objects as Kubernetes' ClaimObject does and returns those the owner now manages. Adopt and release
 * failures are collected; an object that vanished meanwhile is skipped. Throws after trying every object when any
 * patch failed, with every failure's message.
 */
export async function claimObjects<T extends KubeObject>(o: ClaimOptions<T>): Promise<T[]> {
  const claimed: T[] = [];
  const errors: string[] = [];
  const ownerUid = o.owner.metadata?.uid;
  const ownerDeleting = !!o.owner.metadata?.deletionTimestamp;
  let adoptable: Promise<void> | undefined;
  for (const obj of o.candidates) {
    const ref = controllerRefOf(obj);
    const matches = matchesLabels(o.selector, obj.metadata?.labels);
    if (ref) {
      if (ref.uid !== ownerUid) continue; // managed by another controller
      if (matches) {
        claimed.push(obj);
        continue;
      }
      if (ownerDeleting) continue;
      try {
        await release(o, obj);
      } catch (e) {
        // Gone or changed beyond recognition (Invalid): nothing left to release.
        if (!isNotFound(e) && !isInvalid(e)) errors.push(messageOf(e));
      }
      continue;
    }
    if (ownerDeleting || !matches || obj.metadata?.deletionTimestamp) continue;
    if (o.owner.metadata?.namespace && o.owner.metadata.namespace !== obj.metadata?.namespace) continue;
    try {
      adoptable ??= o.canAdopt();
      await adoptable;
      claimed.push(await adopt(o, obj));
    } catch (e) {
      if (!isNotFound(e)) errors.push(messageOf(e));
    }
  }
  if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  return claimed;
}

function adopt<T extends KubeObject>(o: ClaimOptions<T>, obj: T): Promise<T> {
  // The object's uid in the patch makes it fail on a different object that took the same name.
  const patch = { metadata: { ownerReferences: [o.ownerRef], uid: obj.metadata?.uid } };
  return o.client.patch(obj.metadata?.name ?? '', 'strategic', patch, { namespace: obj.metadata?.namespace ?? '', ...(o.signal ? { signal: o.signal } : {}) });
}

function release<T extends KubeObject>(o: ClaimOptions<T>, obj: T): Promise<T> {
  const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: o.ownerRef.uid }], uid: obj.metadata?.uid } };
  return o.client.patch(obj.metadata?.name ?? '', 'strategic', patch, { namespace: obj.metadata?.namespace ?? '', ...(o.signal ? { signal: o.signal } : {}) });
}

/** The check `canAdopt` usually is: the owner, read fresh, is the same object and is not being deleted. */
export function recheckOwner(kind: string, owner: KubeObject, getFresh: () => Promise<KubeObject>): () => Promise<void> {
  return async () => {
    const fresh = await getFresh();
    const m = owner.metadata ?? {};
    if (fresh.metadata?.uid !== m.uid) throw new Error(`original ${kind} ${m.namespace ?? ''}/${m.name ?? ''} is gone: got uid ${fresh.metadata?.uid ?? ''}, wanted ${m.uid ?? ''}`);
    if (fresh.metadata?.deletionTimestamp) throw new Error(`${kind} ${m.namespace ?? ''}/${m.name ?? ''} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
