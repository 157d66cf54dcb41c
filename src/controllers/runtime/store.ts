// The informer's in-memory store: objects by key, plus indexes (by namespace, by owner uid, or any custom function).
import type { KubeObject } from '../../api/index.js';
import { keyOf } from './keys.js';

/** Maps an object to the index values it is filed under (none, one or many). */
export type IndexFunc<T = KubeObject> = (obj: T) => string[];

/** Named index functions. */
export type Indexers<T = KubeObject> = Record<string, IndexFunc<T>>;

/** The index every store has: objects by namespace ('' for cluster-scoped). */
export const namespaceIndex = 'namespace';

/** An index of objects by the uid of each of their owners; add it with `{ [ownerUidIndex]: indexByOwnerUid }`. */
export const ownerUidIndex = 'ownerUid';

/** Files an object under its namespace. */
export const indexByNamespace: IndexFunc = (obj) => [obj.metadata?.namespace ?? ''];

/** Files an object under the uid of every owner reference it has. */
export const indexByOwnerUid: IndexFunc = (obj) => (obj.metadata?.ownerReferences ?? []).map((r) => r.uid);

/**
 * The read side of a store, all a controller needs. Objects are shared with the informer and every other
 * controller: never mutate one, copy it first (`structuredClone`) and write the copy through the client.
 */
export interface Lister<T = KubeObject> {
  /** The object of a key (`namespace/name` or `name`). */
  get(key: string): T | undefined;
  /** Every object. */
  list(): T[];
  /** Every object of one namespace. */
  listInNamespace(namespace: string): T[];
  /** The objects an index files under `value`. */
  byIndex(index: string, value: string): T[];
  /** Every key. */
  keys(): string[];
  /** How many objects the store holds. */
  readonly size: number;
}

/** An indexed store (client-go's cache.Indexer), written only by its informer. */
export class Indexer<T extends KubeObject = KubeObject> implements Lister<T> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  // index name → value → keys
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Indexers<T> = {}) {
    this.addIndexers({ [namespaceIndex]: indexByNamespace as IndexFunc<T>, ...indexers });
  }

  /** Adds index functions; objects already stored are filed at once. Re-adding a name with another function throws. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      const had = this.indexers.get(name);
      if (had === fn) continue;
      if (had) throw new Error(`indexer conflict: ${name}`);
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) for (const v of fn(obj)) file(index, v, key);
    }
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listInNamespace(namespace: string): T[] {
    return this.byIndex(namespaceIndex, namespace);
  }

  byIndex(index: string, value: string): T[] {
    const idx = this.indices.get(index);
    if (!idx) throw new Error(`index with name ${index} does not exist`);
    const keys = idx.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) out.push(this.items.get(k)!);
    return out;
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  /** Stores an object under its key; returns the object it replaced. */
  set(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) for (const v of fn(obj)) file(this.indices.get(name)!, v, key);
    return old;
  }

  /** Removes the object of a key; returns it. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const keys = index.get(v);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(v);
      }
    }
  }
}

function file(index: Map<string, Set<string>>, value: string, key: string): void {
  let keys = index.get(value);
  if (!keys) index.set(value, (keys = new Set()));
  keys.add(key);
}
