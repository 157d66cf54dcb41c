// Small helpers on JSON values used across kin: structural equality and fast copies.

/** A JSON scalar. */
export type JsonPrimitive = string | number | boolean | null;
/** Any JSON value, as produced by JSON.parse. */
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** True for a plain (non-array, non-null) object. */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Structural equality of JSON values: same scalars, arrays of equal items in order, objects with the same
 * keys in any order. A property holding `undefined` counts as absent, as JSON.stringify would drop it.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let na = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined) continue;
    na++;
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !deepEqual(v, bo[k])) return false;
  }
  let nb = 0;
  for (const k in bo) if (bo[k] !== undefined) nb++;
  return na === nb;
}

/**
 * Deep copy of a JSON value (objects, arrays, scalars). A hand-written walk: for the small objects of the API
 * it is several times faster than structuredClone and than a JSON round trip. `undefined` properties are kept.
 */
export function clone<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const n = v.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = clone(v[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  const src = v as Record<string, unknown>;
  for (const k in src) {
    // A `__proto__` key from JSON.parse is an own property; plain assignment would set the prototype instead.
    if (k === '__proto__') Object.defineProperty(out, k, { value: clone(src[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = clone(src[k]);
  }
  return out as T;
}
