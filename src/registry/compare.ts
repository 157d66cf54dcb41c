// Structural comparison of JSON objects, for no-op detection and generation bumps.
import type { KubeObject } from '../api/index.js';

/** True when two JSON values are equal (key order ignored). */
export function deepEqualJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqualJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let n = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    n++;
    if (!deepEqualJson(ao[k], bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) n--;
  return n === 0;
}

/** True when anything other than apiVersion, kind, metadata and status differs: the "spec" whose change bumps generation. */
export function specChanged(obj: KubeObject, old: KubeObject): boolean {
  const skip = new Set(['apiVersion', 'kind', 'metadata', 'status']);
  const keys = new Set([...Object.keys(obj), ...Object.keys(old)]);
  for (const k of keys) {
    if (skip.has(k)) continue;
    if (!deepEqualJson(obj[k], old[k])) return true;
  }
  return false;
}
