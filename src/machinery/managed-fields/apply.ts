// Server-side apply: merge an applied configuration into the live object, give its fields to the applier's Apply
// entry, remove what the applier stopped applying (unless someone else owns it), refuse to change others' fields.
import type { KubeObject, ManagedFieldsEntry } from '../../api/index.js';
import type { StatusError } from '../errors.js';
import { applyFailure, conflictError, invalidObjectType, managedFieldsInApply, typedPatchError, undecodableManagedFields } from './conflicts.js';
import type { FieldSet } from './field-set.js';
import { decodeManagedFields, encodeManagedFields, managerId, type Managers } from './managers.js';
import { dropNulls, ensureNamedFieldsAreMembers, merge, removeItems } from './merge.js';
import { appliedFieldSet } from './to-field-set.js';
import { recordUpdate } from './update.js';
import { reconcileManagers, settleOwnership, stripMeta, timeString, withoutManagedFields, type OwnershipContext } from './updater.js';
import { jsonEqual } from './values.js';
import { allowedConflictsFromLastApplied, conflictsOutside, kubectlApplyManager, updateLastApplied } from './last-applied.js';

/** Who applies, with which apiVersion/kind, and whether to take fields from other managers. */
export interface ApplyOptions extends OwnershipContext {
  /** The field manager (`?fieldManager=`, required for apply). */
  manager: string;
  /** `?force=true`: take conflicting fields instead of failing. */
  force: boolean;
  /** apiVersion and kind of the endpoint; the applied object must carry the same. */
  apiVersion: string;
  kind: string;
  /** Time of the write, in ms since the epoch. */
  time: number;
  /** `status` for applies to a subresource. */
  subresource?: string | undefined;
}

/** The merged object (managedFields set) and whether it differs from the live one. */
export interface ApplyResult {
  object: KubeObject;
  managedFields: ManagedFieldsEntry[] | undefined;
  /** false when the apply left the object as it was; managedFields may still differ from the live ones */
  changed: boolean;
}

/**
 * Applies `applied` to `live` (undefined: the object does not exist yet). Returns the object to store, or the
 * StatusError Kubernetes answers with: 409 for conflicts, 400 for a wrong kind or managedFields in the body, 500
 * for a configuration the typed merge refuses. The result still has to be defaulted, validated and admitted.
 */
export function apply(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): ApplyResult | StatusError {
  // The checks come in Kubernetes' order: stored managedFields, kind, earlier owners, then the body itself.
  let managers: Managers;
  try {
    managers = decodeManagedFields(live?.metadata?.managedFields);
  } catch (e) {
    return undecodableManagedFields(e as Error);
  }
  if (applied.apiVersion !== opts.apiVersion || applied.kind !== opts.kind) return invalidObjectType(applied.apiVersion ?? '', applied.kind ?? '');
  const subresource = opts.subresource ?? '';
  const liveView = withoutManagedFields(live);
  try {
    // Fields set before the first apply (or after managedFields were cleared) go to a `before-first-apply` updater.
    if (managers.size === 0) recordUpdate({}, liveView, managers, { ...opts, manager: 'before-first-apply' }, subresource);
  } catch (e) {
    return applyFailure(`failed to create manager for existing fields: ${(e as Error).message}`);
  }
  if (applied.metadata?.managedFields !== undefined && applied.metadata.managedFields !== null) return managedFieldsInApply();

  const { set: appliedSet, errors } = appliedFieldSet(applied, opts.type);
  const target = { namespace: applied.metadata?.namespace ?? live?.metadata?.namespace, name: applied.metadata?.name ?? live?.metadata?.name, apiVersion: opts.apiVersion, kind: opts.kind };
  if (errors.length > 0) return typedPatchError(target, errors);

  reconcileManagers(managers, opts.type);
  const entry = { manager: opts.manager, operation: 'Apply' as const, apiVersion: opts.apiVersion, subresource };
  const id = managerId(entry);
  const last = managers.get(id);
  let merged: KubeObject;
  try {
    merged = (merge(liveView, applied, opts.type) ?? {}) as KubeObject;
  } catch (e) {
    return applyFailure(`failed to merge config: ${(e as Error).message}`);
  }
  const owned = opts.resetFields ? appliedSet.recursiveDifference(opts.resetFields) : appliedSet;
  managers.set(id, { ...entry, time: last?.time, set: owned });
  if (last && !last.set.isEmpty()) merged = prune(merged, managers, last.set, opts);

  let settled: ReturnType<typeof settleOwnership>;
  try {
    settled = settleOwnership(liveView, merged, managers, id, opts.force, opts);
  } catch (e) {
    return applyFailure(`failed to compare objects: ${(e as Error).message}`);
  }
  if ('conflicts' in settled) {
    // kubectl taking over an object it applied client-side: the fields of its last-applied configuration that
    // still hold those values are its own, so conflicts on them are forgiven (and the apply forced).
    const allowed = opts.manager === kubectlApplyManager ? allowedConflictsFromLastApplied(liveView, opts.type) : undefined;
    const remaining = allowed ? conflictsOutside(settled.conflicts, allowed) : settled.conflicts;
    if (remaining.length > 0) return conflictError(remaining);
    try {
      settled = settleOwnership(liveView, merged, managers, id, true, opts);
    } catch (e) {
      return applyFailure(`failed to compare objects: ${(e as Error).message}`);
    }
  }

  const changed = live === undefined || !jsonEqual(liveView, merged);
  const mine = managers.get(id);
  if (mine) {
    const set = stripMeta(mine.set);
    if (set.isEmpty()) managers.delete(id);
    else managers.set(id, { ...mine, set, time: changed ? timeString(opts.time) : mine.time });
  }
  const managedFields = encodeManagedFields(managers);
  let object = changed ? (dropNulls(merged, opts.type) as KubeObject) : liveView;
  // A server-side apply by kubectl keeps the client-side annotation in step, outside field ownership.
  const synced = updateLastApplied(object, applied, opts.manager);
  if (synced !== object) {
    object = synced;
    if (!jsonEqual(synced, liveView)) return { object: withManagedFields(object, managedFields), managedFields, changed: true };
  }
  return { object: withManagedFields(object, managedFields), managedFields, changed };
}

/**
 * Removes what the applier applied last time and no longer applies, unless some manager (the applier's new
 * configuration included) still owns it.
 */
function prune(merged: KubeObject, managers: Managers, last: FieldSet, ctx: OwnershipContext): KubeObject {
  let owned: FieldSet | undefined;
  for (const m of managers.values()) owned = owned ? owned.union(m.set) : m.set;
  const lastNamed = ensureNamedFieldsAreMembers(last, ctx.type);
  const toRemove = owned ? lastNamed.difference(ensureNamedFieldsAreMembers(owned, ctx.type)) : lastNamed;
  if (toRemove.isEmpty()) return merged;
  return removeItems(merged, toRemove, ctx.type) as KubeObject;
}

/** `obj` with metadata.managedFields replaced (removed when undefined); `obj` itself is not modified. */
export function withManagedFields(obj: KubeObject, managedFields: ManagedFieldsEntry[] | undefined): KubeObject {
  const { managedFields: _, ...meta } = obj.metadata ?? {};
  if (managedFields === undefined) return obj.metadata ? { ...obj, metadata: meta } : obj;
  return { ...obj, metadata: { ...meta, managedFields } };
}
