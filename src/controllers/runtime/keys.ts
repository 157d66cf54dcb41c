// Object keys ("namespace/name", or "name" for cluster-scoped objects) and the tombstone of an unseen delete.
import type { KubeObject } from '../../api/index.js';

/** The key of an object: `namespace/name`, or `name` when it has no namespace (client-go's MetaNamespaceKeyFunc). */
export function keyOf(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** Splits a key into namespace ('' for cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The key of `name` in `namespace` (cluster-scoped when the namespace is empty or absent). */
export function makeKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * What a delete handler gets for an object that vanished while the informer was not watching (found missing on a
 * relist): its key and the last state the informer saw, which may be stale.
 */
export interface DeletedFinalStateUnknown<T = KubeObject> {
  readonly tombstone: true;
  readonly key: string;
  readonly obj: T;
}

/** Builds a tombstone. */
export function tombstone<T>(key: string, obj: T): DeletedFinalStateUnknown<T> {
  return { tombstone: true, key, obj };
}

/** True for a tombstone rather than an object. */
export function isTombstone<T>(x: T | DeletedFinalStateUnknown<T>): x is DeletedFinalStateUnknown<T> {
  return typeof x === 'object' && x !== null && (x as { tombstone?: unknown }).tombstone === true && 'key' in x;
}

/** The object of a delete notification, tombstone or not. */
export function objectOfDelete<T>(x: T | DeletedFinalStateUnknown<T>): T {
  return isTombstone(x) ? x.obj : x;
}
