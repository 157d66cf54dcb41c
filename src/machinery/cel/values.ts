// CEL values as kin represents them, and the operations Kubernetes defines on them beyond the library's: equality
// (cross-type numbers, schema objects, lists with `x-kubernetes-list-type: set|map` compared regardless of order)
// and `+` on set and map lists (union and merge). Also the generic JSON ⇄ CEL conversion used where no schema is
// known: whole JSON numbers are CEL ints (BigInt), as Kubernetes' unstructured decoder makes them int64.
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { Optional } from '@marcbachmann/cel-js';

/** How a schema object field is read: its JSON name and the conversion of its JSON value. */
export interface FieldDecl {
  readonly jsonName: string;
  readonly convert: (json: unknown) => unknown;
}

/** The fields of a schema object type, by their CEL (escaped) names. */
export interface ObjectDecl {
  readonly typeName: string;
  readonly fields: ReadonlyMap<string, FieldDecl>;
}

/**
 * A JSON object seen through its schema: a CEL object whose fields are the schema's properties. Fields are converted
 * on first access, so a rule that reads one field of a large object converts only that field. Absent and null
 * fields read as absent (`has()` is false).
 */
export class CelObject extends Map<string, unknown> {
  readonly #raw: Record<string, unknown>;
  readonly #decl: ObjectDecl;
  constructor(raw: Record<string, unknown>, decl: ObjectDecl) {
    super();
    this.#raw = raw;
    this.#decl = decl;
  }

  /** The type declaration this object was converted with. */
  get decl(): ObjectDecl {
    return this.#decl;
  }

  override get(key: string): unknown {
    if (super.has(key)) return super.get(key);
    const f = this.#decl.fields.get(key);
    if (f === undefined) return undefined;
    const raw = Object.prototype.hasOwnProperty.call(this.#raw, f.jsonName) ? this.#raw[f.jsonName] : undefined;
    const v = raw === undefined || raw === null ? undefined : f.convert(raw);
    super.set(key, v);
    return v;
  }

  override has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** The CEL names of the fields that are set. */
  setFields(): string[] {
    return [...this.#decl.fields.keys()].filter((k) => this.get(k) !== undefined);
  }

  override *entries(): MapIterator<[string, unknown]> {
    for (const k of this.setFields()) yield [k, this.get(k)];
  }

  override [Symbol.iterator](): MapIterator<[string, unknown]> {
    return this.entries();
  }
}

/** How a list compares and concatenates: `set` and `map` lists are unordered (map lists keyed by `keys`). */
export type ListSemantics = { type: 'set' } | { type: 'map'; keys: readonly string[] };

const listSemantics = new WeakMap<readonly unknown[], ListSemantics>();

/** Marks a converted list as an `x-kubernetes-list-type: set|map` list. */
export function tagList<T extends unknown[]>(list: T, semantics: ListSemantics): T {
  listSemantics.set(list, semantics);
  return list;
}

function fieldOf(v: unknown, key: string): unknown {
  if (v instanceof Map) return v.get(key);
  if (v !== null && typeof v === 'object') return (v as Record<string, unknown>)[key];
  return undefined;
}

function sameKey(a: unknown, b: unknown, keys: readonly string[]): boolean {
  return keys.every((k) => celEquals(fieldOf(a, k) ?? null, fieldOf(b, k) ?? null));
}

function containsEqual(list: readonly unknown[], v: unknown): boolean {
  return list.some((x) => celEquals(x, v));
}

function listEquals(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  const sem = listSemantics.get(a) ?? listSemantics.get(b);
  if (sem === undefined) return a.every((x, i) => celEquals(x, b[i]));
  if (sem.type === 'set') return b.every((x) => containsEqual(a, x));
  return b.every((x) => {
    const match = a.find((y) => sameKey(y, x, sem.keys));
    return match !== undefined && celEquals(match, x);
  });
}

function entriesOf(v: object): [unknown, unknown][] {
  if (v instanceof Map) return [...v.entries()];
  return Object.entries(v);
}

function mapEquals(a: object, b: object): boolean {
  if (a instanceof CelObject || b instanceof CelObject) {
    if (!(a instanceof CelObject && b instanceof CelObject) || a.decl.typeName !== b.decl.typeName) return false;
  }
  const ea = entriesOf(a);
  const eb = new Map(entriesOf(b));
  if (ea.length !== eb.size) return false;
  for (const [k, v] of ea) {
    if (!eb.has(k)) return false;
    if (!celEquals(v, eb.get(k))) return false;
  }
  return true;
}

/** A value with its own notion of equality (quantities, IPs, CIDRs, URLs). */
export interface Equatable {
  celEquals(other: unknown): boolean;
}

function isEquatable(v: object): v is Equatable {
  return typeof (v as Partial<Equatable>).celEquals === 'function';
}

/** CEL equality with Kubernetes' semantics: heterogeneous numbers compare by value; other type mismatches are false. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' || typeof a === 'number' || a instanceof UnsignedInt) {
    const x = a instanceof UnsignedInt ? a.valueOf() : a;
    const y = b instanceof UnsignedInt ? b.valueOf() : b;
    // Loose equality compares a bigint and a number by exact value (NaN equals nothing).
    return (typeof y === 'bigint' || typeof y === 'number') && x == y; // eslint-disable-line eqeqeq
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Uint8Array) return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Duration) return b instanceof Duration && a.seconds === b.seconds && a.nanos === b.nanos;
  if (a instanceof Optional) {
    if (!(b instanceof Optional) || a.hasValue() !== b.hasValue()) return false;
    return !a.hasValue() || celEquals(a.value(), b.value());
  }
  if (Array.isArray(a)) return Array.isArray(b) && listEquals(a, b);
  if (Array.isArray(b)) return false;
  if (isEquatable(a)) return a.celEquals(b);
  if (isEquatable(b)) return false;
  const ca = a.constructor;
  const cb = b.constructor;
  const mapLike = (c: unknown): boolean => c === undefined || c === Object || c === Map || (typeof c === 'function' && c.prototype instanceof CelObject);
  if (mapLike(ca) && mapLike(cb)) return mapEquals(a, b);
  // Library types (type values) compare by name.
  return String(a) === String(b) && ca === cb;
}

/** `a + b` for lists: set lists take the union, map lists merge by key, other lists concatenate. */
export function addLists(a: readonly unknown[], b: readonly unknown[]): unknown[] {
  const sem = listSemantics.get(a);
  if (sem === undefined) return [...a, ...b];
  const out = [...a];
  if (sem.type === 'set') {
    for (const x of b) if (!containsEqual(out, x)) out.push(x);
  } else {
    for (const x of b) {
      const i = out.findIndex((y) => sameKey(y, x, sem.keys));
      if (i >= 0) out[i] = x;
      else out.push(x);
    }
  }
  return tagList(out, sem);
}

/** Converts JSON without a schema: whole numbers become ints (BigInt), objects become maps. */
export function jsonToCel(v: unknown): unknown {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(jsonToCel);
  if (v !== null && typeof v === 'object' && (v.constructor === Object || v.constructor === undefined)) {
    const m = new Map<string, unknown>();
    for (const [k, x] of Object.entries(v)) m.set(k, jsonToCel(x));
    return m;
  }
  return v;
}

/** A CEL value that knows its JSON form (quantities, URLs, IPs). */
export interface JsonConvertible {
  toJSON(): unknown;
}

function toRfc3339(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

/** Converts a CEL value back to JSON: ints become numbers, timestamps RFC 3339 strings, bytes base64. */
export function celToJson(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof UnsignedInt) return Number(v.valueOf());
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Date) return toRfc3339(v);
  if (v instanceof Duration) return v.toString();
  if (v instanceof Optional) return v.hasValue() ? celToJson(v.value()) : null;
  if (Array.isArray(v)) return v.map(celToJson);
  if (v instanceof CelObject) {
    const out: Record<string, unknown> = {};
    for (const k of v.setFields()) out[v.decl.fields.get(k)?.jsonName ?? k] = celToJson(v.get(k));
    return out;
  }
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[String(k)] = celToJson(x);
    return out;
  }
  if (typeof (v as Partial<JsonConvertible>).toJSON === 'function') return (v as JsonConvertible).toJSON();
  if (v.constructor === Object || v.constructor === undefined) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = celToJson(x);
    return out;
  }
  return String(v);
}
