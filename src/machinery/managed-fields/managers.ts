// metadata.managedFields read into per-manager field sets and written back, with Kubernetes' manager identity,
// entry order and cap on the number of update entries.
import type { ManagedFieldsEntry } from '../../api/index.js';
import { FieldSet } from './field-set.js';
import { goJsonString } from './path-element.js';

/** One field manager's ownership: who (manager, operation, apiVersion, subresource), when, and which fields. */
export interface ManagerSet {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource: string;
  /** RFC 3339 time of the manager's last change; undefined when never recorded. */
  time: string | undefined;
  set: FieldSet;
}

/** Managers by identity (see managerId). */
export type Managers = Map<string, ManagerSet>;

/** Update entries beyond this many are merged, oldest first, into `ancient-changes` (per apiVersion). */
export const maxUpdateManagers = 10;

/**
 * The identity of a manager, as Kubernetes builds it: the entry without time and fields, encoded as JSON. Appliers
 * are one manager whatever apiVersion they use; updaters are one per apiVersion.
 */
export function managerId(m: { manager: string; operation: string; apiVersion: string; subresource?: string | undefined }): string {
  const parts: string[] = [];
  if (m.manager) parts.push('"manager":' + goJsonString(m.manager));
  if (m.operation) parts.push('"operation":' + goJsonString(m.operation));
  if (m.operation !== 'Apply' && m.apiVersion) parts.push('"apiVersion":' + goJsonString(m.apiVersion));
  if (m.subresource) parts.push('"subresource":' + goJsonString(m.subresource));
  return '{' + parts.join(',') + '}';
}

/** True when a request's managedFields ask to clear them: an empty list, or a list of one empty entry. */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  if (entries.length !== 1) return false;
  const e: unknown = entries[0];
  if (e === null || typeof e !== 'object') return false;
  return Object.values(e as Record<string, unknown>).every((v) => v === undefined || v === null || v === '');
}

/** Reads managedFields; throws with Kubernetes' message on an entry it cannot use. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined | null): Managers {
  const out: Managers = new Map();
  (entries ?? []).forEach((e, i) => {
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (e.fieldsType === undefined || e.fieldsType === '') throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType "${e.fieldsType}" in managed fields entry ${i}`);
    let set: FieldSet;
    try {
      set = e.fieldsV1 === undefined || e.fieldsV1 === null ? new FieldSet() : FieldSet.fromFieldsV1(e.fieldsV1);
    } catch (err) {
      throw new Error(`error decoding versioned set: error decoding set: ${(err as Error).message}`);
    }
    const m: ManagerSet = {
      manager: e.manager ?? '',
      operation: e.operation,
      apiVersion: e.apiVersion,
      subresource: e.subresource ?? '',
      time: e.time || undefined,
      set,
    };
    out.set(managerId(m), m);
  });
  return out;
}

const seconds = (t: string | undefined): number => {
  if (!t) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
};

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Writes managers back as managedFields in Kubernetes' order; undefined when there are none. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] | undefined {
  if (managers.size === 0) return undefined;
  const list = [...managers.values()].map((m) => ({ m, sec: seconds(m.time) }));
  list.sort(
    ({ m: p, sec: ps }, { m: q, sec: qs }) =>
      byString(p.operation, q.operation) ||
      ps - qs ||
      byString(p.manager, q.manager) ||
      byString(p.apiVersion, q.apiVersion) ||
      byString(p.subresource, q.subresource),
  );
  return list.map(({ m }) => {
    const e: ManagedFieldsEntry = {};
    if (m.manager) e.manager = m.manager;
    e.operation = m.operation;
    e.apiVersion = m.apiVersion;
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.set.toFieldsV1();
    if (m.subresource) e.subresource = m.subresource;
    return e;
  });
}

/** Merges the oldest update entries into `ancient-changes` buckets until at most `max` update entries remain. */
export function capUpdateManagers(managers: Managers, max = maxUpdateManagers): Managers {
  let count = 0;
  for (const m of managers.values()) if (m.operation === 'Update') count++;
  if (count <= max) return managers;
  const updaters = [...managers].filter(([, m]) => m.operation === 'Update').map(([id]) => id);
  updaters.sort((a, b) => seconds(managers.get(a)?.time) - seconds(managers.get(b)?.time) || byString(a, b));
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i] as string;
    const m = managers.get(id);
    if (!m) continue;
    const bucket = managerId({ manager: 'ancient-changes', operation: 'Update', apiVersion: m.apiVersion });
    const first = firstByVersion.get(m.apiVersion);
    if (first === undefined) {
      firstByVersion.set(m.apiVersion, id);
      continue;
    }
    if (!managers.has(bucket)) {
      const f = managers.get(first);
      managers.delete(first);
      if (f) managers.set(bucket, { ...f, manager: 'ancient-changes', operation: 'Update', subresource: '' });
    }
    const b = managers.get(bucket) as ManagerSet;
    managers.set(bucket, { ...b, set: m.set.union(b.set), apiVersion: m.apiVersion, time: m.time });
    managers.delete(id);
    length--;
  }
  return managers;
}
