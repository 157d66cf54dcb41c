// The object codec: API objects to stored bytes and back, with each revision decoded and serialized once.
//
// Stored bytes hold the object without metadata.resourceVersion (the storage revision is the resourceVersion,
// as in Kubernetes). Decoding sets it. Decoded objects and their JSON bytes are memoized per stored value, so
// every reader and watcher of one revision shares one object and one buffer: callers must never mutate them.
import type { KubeObject } from '../api/index.js';
import { deepFreeze, freezeShared } from '../util/index.js';

interface Memo {
  rv: number;
  obj: KubeObject;
  /** The JSON bytes, once some reader asked for them (a view into a framed watch line when one was made first). */
  bytes?: Uint8Array;
}

const memo = new WeakMap<Uint8Array, Memo>();
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The UTF-8 bytes of `s` in a buffer of their own. Node's `Buffer.from(string)` carves small buffers out of shared
 * 8 KiB slabs, and one long-lived slice (a stored value, a memoized JSON) keeps its whole slab alive: with
 * hundreds of thousands of objects that is most of the memory they take.
 */
export function ownedBytes(s: string): Buffer {
  const u = encoder.encode(s);
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** The stored bytes of an object (resourceVersion dropped). */
export function encodeObject(obj: KubeObject): Uint8Array {
  const meta = obj.metadata;
  if (meta && meta.resourceVersion !== undefined) {
    const { resourceVersion: _rv, ...rest } = meta;
    return ownedBytes(JSON.stringify({ ...obj, metadata: rest }));
  }
  return ownedBytes(JSON.stringify(obj));
}

function decode(value: Uint8Array, rv: number): KubeObject {
  const obj = JSON.parse(decoder.decode(value)) as KubeObject;
  const meta = (obj.metadata ??= {});
  meta.resourceVersion = String(rv);
  if (freezeShared) deepFreeze(obj);
  return obj;
}

function entry(value: Uint8Array, rv: number): Memo {
  const m = memo.get(value);
  if (m && m.rv === rv) return m;
  const fresh: Memo = { rv, obj: decode(value, rv) };
  // A delete event carries the last value at a newer revision; keep the memo of the live revision.
  if (!m) memo.set(value, fresh);
  return fresh;
}

/** The object stored in `value` at revision `rv`. Shared: never mutate it (use `cloneObject`). */
export function decodeObject(value: Uint8Array, rv: number): KubeObject {
  return entry(value, rv).obj;
}

/** The JSON text of the object stored in `value` at revision `rv`. */
export function objectJson(value: Uint8Array, rv: number): string {
  const e = entry(value, rv);
  return e.bytes ? decoder.decode(e.bytes) : JSON.stringify(e.obj);
}

/** The UTF-8 JSON bytes of the object stored in `value` at revision `rv`, made once per revision. */
export function objectJsonBytes(value: Uint8Array, rv: number): Uint8Array {
  const e = entry(value, rv);
  return (e.bytes ??= ownedBytes(JSON.stringify(e.obj)));
}

/**
 * `head`, the object's JSON bytes, then `tail`, in one buffer of their own (a watch line). When the revision has no
 * JSON bytes yet, they become a view into this buffer: one copy of the JSON serves the watch and later lists.
 */
export function framedObjectJson(value: Uint8Array, rv: number, head: string, tail: string): Uint8Array {
  const e = entry(value, rv);
  return framedMemo(e, () => JSON.stringify(e.obj), head, tail);
}

/**
 * `head` + the JSON memoized in `m.bytes` + `tail` in one buffer of its own. When `m` has no bytes yet, they are
 * made from `json()` and kept as a view into that buffer.
 */
export function framedMemo(m: { bytes?: Uint8Array }, json: () => string, head: string, tail: string): Uint8Array {
  if (m.bytes) return frame(head, m.bytes, tail);
  const framed = ownedBytes(head + json() + tail);
  m.bytes = framed.subarray(Buffer.byteLength(head), framed.byteLength - Buffer.byteLength(tail));
  return framed;
}

/** `head` + `bytes` + `tail` in a buffer of its own. */
export function frame(head: string, bytes: Uint8Array, tail: string): Buffer {
  const h = Buffer.byteLength(head);
  const t = Buffer.byteLength(tail);
  const out = Buffer.allocUnsafeSlow(h + bytes.byteLength + t);
  out.write(head, 0);
  out.set(bytes, h);
  out.write(tail, h + bytes.byteLength);
  return out;
}

/**
 * The JSON bytes of a revision for a one-off answer (the response to the write that made it): the memoized bytes
 * when a watcher or reader already made them, else made without memoizing anything, so that objects nobody
 * watches (Events, mostly) keep no decoded form in memory.
 */
export function transientObjectJson(value: Uint8Array, rv: number): Uint8Array {
  const m = memo.get(value);
  if (m && m.rv === rv) return (m.bytes ??= ownedBytes(JSON.stringify(m.obj)));
  return ownedBytes(JSON.stringify(decode(value, rv)));
}

/** A private deep copy of a JSON object. */
export function cloneObject<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneObject) as T;
  const out: Record<string, unknown> = {};
  for (const k in v as Record<string, unknown>) out[k] = cloneObject((v as Record<string, unknown>)[k]);
  return out as T;
}
