// Pairs a new value with its old value node by node, as Kubernetes does for validation ratcheting and CEL
// transition rules: object fields by name, items of `x-kubernetes-list-type: map` lists by their keys; other
// list items have no old counterpart. Deep equality is cached per node.
import type { SchemaNode } from './compile.js';
import { deepEqual } from '../deep.js';
import { isMap, type JsonMap } from './types.js';

// The key of a list-map item: one scalar key as is, several joined as Kubernetes does; undefined if unkeyed.
function mapListKey(node: SchemaNode, item: unknown): unknown {
  if (!isMap(item)) return undefined;
  const keys = node.listMapKeys;
  if (keys.length === 1) {
    const v = item[keys[0] as string];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  }
  let out = '';
  for (const k of keys) {
    const v = item[k];
    if (typeof v === 'boolean') out += `\u0000${v}`;
    else if (typeof v === 'number') out += `\u0000${Number.isInteger(v) ? String(v) : v.toFixed(6)}`;
    else if (typeof v === 'string') out += `\u0000${JSON.stringify(v)}`;
    else return undefined;
  }
  return out;
}

/** Old items of a list-map list looked up by the keys of new items. */
export class MapList {
  private readonly keyed = new Map<unknown, unknown>();
  private pending: unknown[];
  constructor(
    private readonly node: SchemaNode,
    items: readonly unknown[],
  ) {
    const usable = node.type === 'array' && node.listType === 'map' && node.listMapKeys.length > 0;
    this.pending = usable ? [...items] : [];
  }
  /** The old item with the same keys as `item`, or undefined. */
  get(item: unknown): unknown {
    const key = mapListKey(this.node, item);
    if (key === undefined) return undefined;
    if (this.keyed.has(key)) return this.keyed.get(key);
    while (this.pending.length > 0) {
      const old = this.pending.shift();
      const k = mapListKey(this.node, old);
      if (k === undefined) continue;
      if (!this.keyed.has(k)) this.keyed.set(k, old);
      if (k === key) return old;
    }
    return undefined;
  }
}

/** A new value, its correlated old value and schema node; children are found with key() and index(). */
export class Correlation {
  private equal: boolean | undefined;
  private children: Map<string | number, Correlation | undefined> | undefined;
  private mapList: MapList | undefined;
  constructor(
    readonly value: unknown,
    readonly oldValue: unknown,
    readonly node: SchemaNode,
  ) {}

  /** The correlation of field `k`, when both values are objects holding it and the schema describes it. */
  key(k: string): Correlation | undefined {
    const cached = this.children?.get(k);
    if (cached !== undefined || this.children?.has(k)) return cached;
    let res: Correlation | undefined;
    const nv = this.value;
    const ov = this.oldValue;
    if (isMap(nv) && isMap(ov) && Object.prototype.hasOwnProperty.call(nv, k) && Object.prototype.hasOwnProperty.call(ov, k)) {
      const ap = this.node.additionalProperties;
      const sub = this.node.properties?.get(k) ?? (typeof ap === 'object' ? ap : undefined);
      if (sub) res = new Correlation(nv[k], ov[k], sub);
    }
    (this.children ??= new Map()).set(k, res);
    return res;
  }

  /** The correlation of item `i`: only items of list-map lists have an old counterpart. */
  index(i: number): Correlation | undefined {
    const cached = this.children?.get(i);
    if (cached !== undefined || this.children?.has(i)) return cached;
    let res: Correlation | undefined;
    const nv = this.value;
    const ov = this.oldValue;
    if (Array.isArray(nv) && Array.isArray(ov) && i < nv.length && this.node.listType === 'map' && this.node.items) {
      this.mapList ??= new MapList(this.node, ov);
      const old = this.mapList.get(nv[i]);
      if (old !== undefined && old !== null) res = new Correlation(nv[i], old, this.node.items);
    }
    (this.children ??= new Map()).set(i, res);
    return res;
  }

  /** True when the new value equals the old one, comparing through correlated children as Kubernetes does. */
  deepEqual(): boolean {
    if (this.equal === undefined) this.equal = this.computeEqual();
    return this.equal;
  }

  private computeEqual(): boolean {
    const nv = this.value;
    const ov = this.oldValue;
    if ((nv === null || nv === undefined) && (ov === null || ov === undefined)) return true;
    if (nv === null || nv === undefined || ov === null || ov === undefined) return false;
    if (Array.isArray(nv) !== Array.isArray(ov) || isMap(nv) !== isMap(ov)) return false;
    if (Array.isArray(nv) && Array.isArray(ov)) {
      if (nv.length !== ov.length) return false;
      for (let i = 0; i < nv.length; i++) {
        const c = this.index(i);
        if (!c) return this.mapList === undefined ? deepEqual(ov, nv) : false;
        if (!c.deepEqual()) return false;
      }
      return true;
    }
    if (isMap(nv) && isMap(ov)) {
      const nk = Object.keys(nv);
      if (nk.length !== Object.keys(ov as JsonMap).length) return false;
      for (const k of nk) {
        const c = this.key(k);
        if (!c || !c.deepEqual()) return false;
      }
      return true;
    }
    return deepEqual(ov, nv);
  }
}
