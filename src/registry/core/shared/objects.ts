// Small helpers for working on decoded API objects: typed views, deep equality, map/list access.
import type { KubeObject } from '../../../api/index.js';

/** A decoded JSON object with unknown fields. */
export type JsonObject = Record<string, unknown>;

/** Views a stored object as its kind's type (the decoder guarantees only the JSON shape). */
export function as<T>(obj: KubeObject): T {
  return obj as unknown as T;
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality of JSON values; an absent key equals an explicit undefined. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** Like deepEqual, but empty maps/lists equal absent ones (Go's omitempty view of the same value). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
  if (empty(a) && empty(b)) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return a === b;
}

/** The entries of a string map that may be absent. */
export function entries<V>(m: Record<string, V> | undefined | null): [string, V][] {
  return m && typeof m === 'object' ? Object.entries(m) : [];
}

/** A list that may be absent. */
export function list<T>(l: readonly T[] | undefined | null): readonly T[] {
  return Array.isArray(l) ? l : [];
}

/** `k1=v1,k2=v2` sorted by key, or `<none>` (labels.FormatLabels). */
export function formatLabels(m: Record<string, string> | undefined): string {
  const e = entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** An RFC 3339 timestamp with second precision, as metav1.Time serializes. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Removes keys whose value is undefined, so optional fields stay absent under exactOptionalPropertyTypes. */
export function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
