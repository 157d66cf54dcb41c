// Helpers shared by the walks over typed values: shapes, equality, list item identities and Go zero values.
import { goQuote, keyElement, valueElement, type PathElement } from './path-element.js';
import type { ListShape, SsaType } from './ssa-type.js';

/** A JSON object. */
export type Obj = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** How a walk treats a value of a type: as an object, as a list or as an atomic leaf; undefined when absent. */
export type Shape = 'map' | 'list' | 'leaf' | undefined;

/** The shape of `v` under `t` (null takes the type's own shape, as an empty object or list). */
export function shapeOf(v: unknown, t: SsaType): Shape {
  if (v === undefined) return undefined;
  if (v === null) return t.map ? 'map' : t.list ? 'list' : 'leaf';
  if (Array.isArray(v)) return t.list ? 'list' : 'leaf';
  if (typeof v === 'object') return t.map ? 'map' : 'leaf';
  return 'leaf';
}

/** The shape both sides are walked with; sides of different shapes are compared as leaves. */
export function commonShape(l: unknown, r: unknown, t: SsaType): Shape {
  const a = shapeOf(l, t);
  const b = shapeOf(r, t);
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  return 'leaf';
}

/** True for an absent, null or empty object. */
export function emptyMap(v: unknown): boolean {
  if (!isObj(v)) return true;
  for (const k in v) if (v[k] !== undefined) return false;
  return true;
}

/** True for an absent, null or empty list. */
export function emptyList(v: unknown): boolean {
  return !Array.isArray(v) || v.length === 0;
}

/** Deep equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Obj;
  const bo = b as Obj;
  // Keys holding undefined are absent, as in JSON.
  let n = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined) continue;
    if (!jsonEqual(v, bo[k])) return false;
    n++;
  }
  for (const k in bo) if (bo[k] !== undefined) n--;
  return n === 0;
}

/** A malformed typed value (duplicate keys, items without keys, undeclared fields), with its path. */
export class TypedValueError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(path === '' ? detail : `${path}: ${detail}`);
    this.name = 'TypedValueError';
  }
}

/** The identity of a list item: its key fields in a map list, its value in a set. Throws TypedValueError text. */
export function itemElement(item: unknown, list: ListShape): PathElement {
  const keys = list.keys;
  if (keys !== undefined && keys.length > 0) {
    if (item === null) throw new Error('associative list with keys may not have a null element');
    if (!isObj(item)) throw new Error('associative list with keys may not have non-map elements');
    const fields: [string, unknown][] = [];
    for (const k of keys) {
      if (k in item) fields.push([k, item[k]]);
      else {
        const d = list.keyDefault(k);
        if (d !== undefined && d !== null) fields.push([k, d]);
      }
    }
    if (fields.length === 0) {
      throw new Error(
        `associative list with keys has an element that omits all key fields [${keys.map(goQuote).join(' ')}] (and doesn't have default values for any key fields)`,
      );
    }
    return keyElement(fields);
  }
  if (isObj(item)) throw new Error("associative list without keys has an element that's a map type");
  if (Array.isArray(item)) throw new Error('not supported: associative list with lists as elements');
  if (item === null) throw new Error("associative list without keys has an element that's an explicit null");
  return valueElement(item);
}
