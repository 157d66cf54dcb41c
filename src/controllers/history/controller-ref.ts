// Claiming dependents by selector (adopt orphans, release those that no longer match), as Kubernetes'
// ControllerRefManager does for the pods and revisions of workload controllers.
import type { KubeObject, OwnerReference } from '../../api/index.js';
import { isNotFound, type ResourceClient } from '../../client/index.js';
import { matchesLabels, tryLabelSelectorFromObject, type LabelSelector } from '../../machinery/index.js';
import { makeKey, type Lister } from '../runtime/index.js';

/** The controller reference of an object (the owner reference with `controller: true`), if any. */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/**
 * The key mapper of a workload controller's dependents (pods, revisions): an object with a controller reference
 * wakes its controller if that is of `kind`, and nothing else; an orphan wakes every owner of `kind` in its
 * namespace whose selector matches it (one of them may adopt it).
 */
export function ownerOrSelecting(kind: string, owners: Lister<KubeObject & { spec?: { selector?: unknown } }>): (obj: KubeObject) => string[] {
  return (obj) => {
    const ns = obj.metadata?.namespace ?? '';
    const ref = controllerRefOf(obj);
    if (ref) return ref.kind === kind ? [makeKey(ns, ref.name)] : [];
    return owners
      .listInNamespace(ns)
      .filter((s) => {
        const sel = tryLabelSelectorFromObject(s.spec?.selector as Parameters<typeof tryLabelSelectorFromObject>[0]);
        return typeof sel !== 'string' && matchesLabels(sel, obj.metadata?.labels);
      })
      .map((s) => makeKey(ns, s.metadata?.name ?? ''));
  };
}

/** What `claimObjects` needs to know about the owner. */
export interface ClaimOptions<T extends KubeObject> {
  /** The owner (its uid, and whether it is being deleted). */
  owner: KubeObject;
  /** The controller reference an adopted object gets. */
  ref: OwnerReference;
  selector: LabelSelector;
  /** Where adoption and release are written. */
  client: ResourceClient<T>;
  signal?: AbortSignal;
}

/**
 * The objects the owner controls: those whose controller reference names its uid and that its selector still
 * matches (others are released), plus orphans its selector matches (adopted). An owner being deleted adopts
 * nothing and releases nothing; objects being deleted are neither adopted nor released.
 */
export async function claimObjects<T extends KubeObject>(candidates: readonly T[], o: ClaimOptions<T>): Promise<T[]> {
  const uid = o.owner.metadata?.uid;
  const ownerDeleting = Boolean(o.owner.metadata?.deletionTimestamp);
  const claimed: T[] = [];
  for (const obj of candidates) {
    const ref = controllerRefOf(obj);
    const matches = matchesLabels(o.selector, obj.metadata?.labels);
    const deleting = Boolean(obj.metadata?.deletionTimestamp);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches || ownerDeleting || deleting) {
        claimed.push(obj);
        continue;
      }
      await writeRefs(o, obj, (obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid));
      continue;
    }
    if (!matches || ownerDeleting || deleting) continue;
    const adopted = await writeRefs(o, obj, [...(obj.metadata?.ownerReferences ?? []), o.ref]);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

// Writes an object's owner references with its resourceVersion as precondition; undefined when it is gone.
async function writeRefs<T extends KubeObject>(o: ClaimOptions<T>, obj: T, refs: OwnerReference[]): Promise<T | undefined> {
  try {
    const patch = { metadata: { ownerReferences: refs, resourceVersion: obj.metadata?.resourceVersion } };
    return await o.client.patch(obj.metadata?.name ?? '', 'merge', patch, { namespace: obj.metadata?.namespace ?? '', ...(o.signal ? { signal: o.signal } : {}) });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
