// JSON Merge Patch (RFC 7386, `application/merge-patch+json`) as kube-apiserver applies it, and the two-way diff
// that produces one. Follows the library Kubernetes uses, including where it strays from the RFC: nulls inside
// newly added objects are dropped even within arrays, and a non-object patch value replaces the target as is.
import { badRequest } from './errors.js';
import { clone, deepEqual, isJsonObject, type JsonObject, type JsonValue } from './deep.js';

// Copies a value, dropping null members of objects at any depth (array items that are null stay).
function pruneNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map((x) => (x === null ? null : pruneNulls(x)));
  if (isJsonObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (x !== null && x !== undefined) setMember(out, k, pruneNulls(x));
    }
    return out;
  }
  return v;
}

function setMember(o: JsonObject, key: string, v: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

// Merges `patch` into `doc` in place. Patch values are copied, never shared.
function mergeInto(doc: JsonObject, patch: JsonObject): void {
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === undefined) continue;
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = Object.prototype.hasOwnProperty.call(doc, k) ? doc[k] : undefined;
    if (cur === undefined || cur === null || !isJsonObject(cur)) {
      setMember(doc, k, pruneNulls(v));
    } else if (!isJsonObject(v)) {
      // An object replaced by a non-object: the patch value is taken as is, nulls and all.
      setMember(doc, k, clone(v));
    } else {
      mergeInto(cur, v);
    }
  }
}

/**
 * Applies a merge patch to a document and returns the result; neither argument is changed. A patch that is
 * null or a scalar is refused with 400 `Invalid JSON Patch`; an array patch replaces the document.
 */
export function applyMergePatch(doc: JsonValue, patch: unknown): JsonValue {
  if (patch === null || patch === undefined || (typeof patch !== 'object' && !Array.isArray(patch))) throw badRequest('Invalid JSON Patch');
  const p = patch as JsonValue;
  if (Array.isArray(p)) return pruneNulls(p);
  const pobj = p as JsonObject;
  if (!isJsonObject(doc)) return pruneNulls(pobj);
  const out = clone(doc);
  mergeInto(out, pobj);
  return out;
}

/** The type names the diff compares by: values of different kinds are never merged. */
function kindOf(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function diff(a: JsonObject, b: JsonObject): JsonObject {
  const into: JsonObject = {};
  for (const key of Object.keys(b)) {
    const bv = b[key] as JsonValue;
    if (!Object.prototype.hasOwnProperty.call(a, key)) {
      setMember(into, key, clone(bv));
      continue;
    }
    const av = a[key] as JsonValue;
    if (kindOf(av) !== kindOf(bv)) {
      setMember(into, key, clone(bv));
      continue;
    }
    if (isJsonObject(av) && isJsonObject(bv)) {
      const d = diff(av, bv);
      if (Object.keys(d).length > 0) setMember(into, key, d);
    } else if (av !== null && !deepEqual(av, bv)) {
      setMember(into, key, clone(bv));
    }
  }
  for (const key of Object.keys(a)) if (!Object.prototype.hasOwnProperty.call(b, key)) setMember(into, key, null);
  return into;
}

/**
 * The merge patch that turns `original` into `modified` (two objects, or two arrays of objects of the same
 * length, diffed item by item). Removed keys become null. Throws an Error with the library's message
 * (`Invalid JSON Document`, `Mismatched JSON Documents`) for other inputs.
 */
export function createMergePatch(original: JsonValue, modified: JsonValue): JsonValue {
  const oa = Array.isArray(original);
  const ma = Array.isArray(modified);
  if (oa && ma) {
    if (original.length !== modified.length) throw new Error('Invalid JSON Document');
    return original.map((o, i) => objectDiff(o, modified[i] ?? null));
  }
  if (oa || ma) throw new Error('Mismatched JSON Documents');
  return objectDiff(original, modified);
}

function objectDiff(original: JsonValue, modified: JsonValue): JsonObject {
  if (!isJsonObject(original) || !isJsonObject(modified)) throw new Error('Invalid JSON Document');
  return diff(original, modified);
}
