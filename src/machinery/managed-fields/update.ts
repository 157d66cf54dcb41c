// managedFields after a write that is not an apply (create, update, patch): the writer's Update entry gains the
// fields the write changed, other managers lose them, as Kubernetes' field manager records it.
import type { KubeObject, ManagedFieldsEntry } from '../../api/index.js';
import { capUpdateManagers, decodeManagedFields, encodeManagedFields, isResetManagedFields, managerId, type Managers } from './managers.js';
import { reconcileManagers, settleOwnership, stripMeta, timeString, withoutManagedFields, type OwnershipContext } from './updater.js';

/** Who made a non-apply write, and when. */
export interface UpdateOptions extends OwnershipContext {
  /** The field manager (`?fieldManager=`, else derived from the user agent by the caller); empty means `unknown`. */
  manager: string;
  /** Always `Update` for these writes (apply has its own function). */
  operation?: 'Update';
  /** apiVersion of the request (`apps/v1`). */
  apiVersion: string;
  /** Time of the write, in ms since the epoch (recorded with second precision). */
  time: number;
  /** `status`, `scale`, ... for subresource writes: recorded as a separate manager; managedFields in the body are ignored. */
  subresource?: string | undefined;
}

const unknownManager = 'unknown';

/** Reads the managers a write starts from: the request's own managedFields when it sets usable ones, else the live ones. */
function startingManagers(live: KubeObject | undefined, next: KubeObject, subresource: boolean): Managers {
  const fromLive = (): Managers => {
    try {
      return decodeManagedFields(live?.metadata?.managedFields);
    } catch {
      return new Map();
    }
  };
  if (subresource) return fromLive();
  const requested = next.metadata?.managedFields;
  if (isResetManagedFields(requested)) return new Map();
  try {
    const m = decodeManagedFields(requested);
    return m.size > 0 ? m : fromLive();
  } catch {
    return fromLive();
  }
}

/**
 * The managedFields to store with `next` after a create (`live` undefined), update or non-apply patch of `live`.
 * `next` is the object about to be stored (defaulted), possibly carrying managedFields from the request: a usable
 * list replaces the live one, `[]` or `[{}]` clears them, anything else keeps the live ones. Returns undefined when
 * the object keeps no managedFields (they were cleared and no apply has happened since). Never throws: an object
 * whose fields cannot be compared keeps the live managedFields, as Kubernetes does.
 */
export function updateManagedFields(live: KubeObject | undefined, next: KubeObject, opts: UpdateOptions): ManagedFieldsEntry[] | undefined {
  const subresource = opts.subresource ?? '';
  const managers = startingManagers(live, next, subresource !== '');
  // An existing object without managedFields is not tracked until its next apply.
  if (managers.size === 0 && live?.metadata?.uid) return undefined;
  try {
    recordUpdate(withoutManagedFields(live), withoutManagedFields(next), managers, opts, subresource);
  } catch {
    return live?.metadata?.managedFields;
  }
  return encodeManagedFields(capUpdateManagers(managers));
}

/** Gives the fields changed from `before` to `after` to the manager's Update entry (in place). */
export function recordUpdate(before: unknown, after: unknown, managers: Managers, opts: UpdateOptions, subresource: string): void {
  const current = 'current-operation';
  reconcileManagers(managers, opts.type);
  const settled = settleOwnership(before, after, managers, current, true, opts);
  if (!('comparison' in settled)) return;
  const c = settled.comparison;
  let set = c.modified.union(c.added);
  if (opts.resetFields) set = set.recursiveDifference(opts.resetFields);
  set = stripMeta(set);
  if (set.isEmpty()) return;
  const manager = opts.manager || unknownManager;
  const entry = { manager, operation: 'Update' as const, apiVersion: opts.apiVersion, subresource, time: timeString(opts.time), set };
  const id = managerId(entry);
  const previous = managers.get(id);
  if (previous) entry.set = set.union(previous.set);
  managers.set(id, entry);
}
