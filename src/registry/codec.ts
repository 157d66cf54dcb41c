// The object codec: API objects to stored bytes and back, with each revision decoded and serialized once.
//
// Stored bytes hold the object without metadata.resourceVersion (the storage revision is the resourceVersion,
// as in Kubernetes). Decoding sets it. Decoded objects and their JSON text are memoized per stored value, so
// every reader and watcher of one revision shares one object and one string: callers must never mutate them.
import type { KubeObject } from '../api/index.js';
import { deepFreeze, freezeShared } from '../util/index.js';

interface Memo {
  rv: number;
  obj: KubeObject;
  json?: string;
  bytes?: Uint8Array;
}

const memo = new WeakMap<Uint8Array, Memo>();
const decoder = new TextDecoder();

/** The stored bytes of an object (resourceVersion dropped). */
export function encodeObject(obj: KubeObject): Uint8Array {
  const meta = obj.metadata;
  if (meta && meta.resourceVersion !== undefined) {
    const { resourceVersion: _rv, ...rest } = meta;
    return Buffer.from(JSON.stringify({ ...obj, metadata: rest }));
  }
  return Buffer.from(JSON.stringify(obj));
}

function entry(value: Uint8Array, rv: number): Memo {
  const m = memo.get(value);
  if (m && m.rv === rv) return m;
  const obj = JSON.parse(decoder.decode(value)) as KubeObject;
  const meta = (obj.metadata ??= {});
  meta.resourceVersion = String(rv);
  if (freezeShared) deepFreeze(obj);
  const fresh: Memo = { rv, obj };
  // A delete event carries the last value at a newer revision; keep the memo of the live revision.
  if (!m) memo.set(value, fresh);
  return fresh;
}

/** The object stored in `value` at revision `rv`. Shared: never mutate it (use `cloneObject`). */
export function decodeObject(value: Uint8Array, rv: number): KubeObject {
  return entry(value, rv).obj;
}

/** The JSON text of the object stored in `value` at revision `rv`, serialized once per revision. */
export function objectJson(value: Uint8Array, rv: number): string {
  const e = entry(value, rv);
  return (e.json ??= JSON.stringify(e.obj));
}

/** The UTF-8 bytes of `objectJson`, made once per revision: lists are sent as bytes joined without re-encoding. */
export function objectJsonBytes(value: Uint8Array, rv: number): Uint8Array {
  const e = entry(value, rv);
  return (e.bytes ??= Buffer.from((e.json ??= JSON.stringify(e.obj))));
}

/** A private deep copy of a JSON object. */
export function cloneObject<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneObject) as T;
  const out: Record<string, unknown> = {};
  for (const k in v as Record<string, unknown>) out[k] = cloneObject((v as Record<string, unknown>)[k]);
  return out as T;
}
