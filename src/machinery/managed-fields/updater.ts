// The ownership bookkeeping shared by updates and applies: compare the object before and after, take changed
// fields away from their previous owners (or report them as conflicts), and drop what a write removed.
import type { KubeObject } from '../../api/index.js';
import { rfc3339 } from '../../util/index.js';
import { compareChanges, excludeFields, type Comparison } from './compare.js';
import type { Conflict } from './conflicts.js';
import { FieldSet } from './field-set.js';
import type { Managers } from './managers.js';
import { reconcileWithSchema } from './reconcile.js';
import type { SsaType } from './ssa-type.js';

/** What every ownership computation needs: the object's type and the fields its strategy resets. */
export interface OwnershipContext {
  type: SsaType;
  /** Fields the write cannot set (status on the main resource, spec on /status): never owned, never conflicting. */
  resetFields?: FieldSet | undefined;
}

/** A set of whole fields from dotted paths (`resetFields('status')`, `resetFields('spec', 'metadata.labels')`). */
export function resetFields(...dotted: string[]): FieldSet {
  return FieldSet.of(...dotted.map((p) => p.split('.').map((name) => 'f:' + name)));
}

/** Fields never recorded in managedFields: type meta and the metadata the server owns. */
export const strippedFields: FieldSet = FieldSet.of(
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ['f:metadata', 'f:name'],
  ['f:metadata', 'f:namespace'],
  ['f:metadata', 'f:creationTimestamp'],
  ['f:metadata', 'f:selfLink'],
  ['f:metadata', 'f:uid'],
  ['f:metadata', 'f:clusterName'],
  ['f:metadata', 'f:generation'],
  ['f:metadata', 'f:managedFields'],
  ['f:metadata', 'f:resourceVersion'],
);

const strippedTop = strippedFields.members;
const strippedMeta = strippedFields.withPrefix('f:metadata').members;

/** `set` without the fields never recorded in managedFields (a cheap `difference(strippedFields)`). */
export function stripMeta(set: FieldSet): FieldSet {
  const meta = set.children.get('f:metadata');
  let touches = false;
  for (const m of strippedTop) if (set.members.has(m)) touches = true;
  if (meta) for (const m of strippedMeta) if (meta.members.has(m)) touches = true;
  return touches ? set.difference(strippedFields) : set;
}

/** Brings every manager's fields in line with the current schema (parts of now-atomic values), in place. */
export function reconcileManagers(managers: Managers, type: SsaType): void {
  for (const [id, m] of managers) {
    const set = reconcileWithSchema(m.set, type);
    if (set !== m.set) managers.set(id, { ...m, set });
  }
}

/** `obj` without metadata.managedFields (a shallow copy when it has them), as ownership compares objects. */
export function withoutManagedFields(obj: KubeObject | undefined): KubeObject {
  if (!obj) return {};
  const meta = obj.metadata;
  if (!meta || meta.managedFields === undefined) return obj;
  const { managedFields: _, ...rest } = meta;
  return { ...obj, metadata: rest };
}

/**
 * Compares `before` and `after` and settles ownership for every manager but `workflow`: fields that changed are
 * taken from their owners (conflicts, unless `force`), removed fields are dropped, empty managers disappear.
 * Modifies `managers` only when it returns a comparison.
 */
export function settleOwnership(
  before: unknown,
  after: unknown,
  managers: Managers,
  workflow: string,
  force: boolean,
  ctx: OwnershipContext,
): { comparison: Comparison } | { conflicts: Conflict[] } {
  const comparison = excludeFields(compareChanges(before, after, ctx.type), ctx.resetFields);
  const changed = comparison.modified.union(comparison.added);
  const conflicts: Conflict[] = [];
  const taken = new Map<string, FieldSet>();
  if (!changed.isEmpty()) {
    for (const [id, m] of managers) {
      if (id === workflow) continue;
      const c = m.set.intersection(changed);
      if (c.isEmpty()) continue;
      taken.set(id, c);
      if (!force) for (const path of c.paths()) conflicts.push({ managerId: id, manager: m, path });
    }
  }
  if (!force && conflicts.length > 0) return { conflicts };
  const removed = comparison.removed;
  for (const [id, m] of managers) {
    if (id === workflow) continue;
    let set = m.set;
    const c = taken.get(id);
    if (c) set = set.difference(c);
    if (!removed.isEmpty()) set = set.difference(removed);
    if (set !== m.set) managers.set(id, { ...m, set });
  }
  for (const [id, m] of managers) if (m.set.isEmpty()) managers.delete(id);
  return { comparison };
}

let lastSecond = NaN;
let lastTime = '';

/** RFC 3339 (seconds) of a time in ms, remembering the last one: writes in the same second share it. */
export function timeString(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== lastSecond) {
    lastSecond = sec;
    lastTime = rfc3339(ms);
  }
  return lastTime;
}
