// Current key-values in key order, with paged prefix lists, optionally seen through a snapshot overlay.
import type { KeyValue } from './backend.js';
import { compareKeys, prefixEnd } from './keys.js';
import { SortedKeys } from './sorted-keys.js';

/** The state at an older revision of the keys changed since: undefined for keys that did not exist then. */
export type Overlay = Map<string, KeyValue | undefined>;

/** One page of a list from the index. */
export interface IndexPage {
  items: KeyValue[];
  more: boolean;
  remaining: number;
}

/** Every current KeyValue by key (a hash map) and in key order (a sorted key set). */
export class KeyIndex {
  private readonly keys = new SortedKeys();
  private readonly map = new Map<string, KeyValue>();

  /** Number of keys. */
  get size(): number {
    return this.map.size;
  }

  /** The current KeyValue of `key`. */
  get(key: string): KeyValue | undefined {
    return this.map.get(key);
  }

  /** Stores `kv` (replacing the key's previous KeyValue, which is returned). */
  set(kv: KeyValue): KeyValue | undefined {
    const prev = this.map.get(kv.key);
    this.map.set(kv.key, kv);
    if (!prev) this.keys.insert(kv.key);
    return prev;
  }

  /** Removes `key`, returning its last KeyValue. */
  delete(key: string): KeyValue | undefined {
    const prev = this.map.get(key);
    if (prev) {
      this.map.delete(key);
      this.keys.delete(key);
    }
    return prev;
  }

  /** Every KeyValue, in no particular order. */
  values(): IterableIterator<KeyValue> {
    return this.map.values();
  }

  /**
   * Up to `limit` keys under `prefix` strictly after `after`, in key order. With an overlay, the page shows the
   * older state the overlay describes instead of the current one.
   */
  list(prefix: string, after: string | undefined, limit: number, overlay?: Overlay): IndexPage {
    const exclusive = after !== undefined && compareKeys(after, prefix) >= 0;
    const start = exclusive ? (after as string) : prefix;
    if (!overlay) {
      // Ranks give the size of the range up front: copy the page without testing each key against the prefix.
      const end = prefixEnd(prefix);
      const lo = this.keys.rank(start, exclusive);
      const total = Math.max(0, (end === undefined ? this.keys.size : this.keys.rank(end)) - lo);
      const take = Math.min(total, limit);
      const keys = this.keys.slice(lo, take);
      const items = new Array<KeyValue>(keys.length);
      for (let i = 0; i < keys.length; i++) items[i] = this.map.get(keys[i] as string) as KeyValue;
      return { items, more: total > take, remaining: total - take };
    }
    const ov = overlay;
    const items: KeyValue[] = [];
    let more = false;
    const emit = (kv: KeyValue | undefined): boolean => {
      if (!kv) return true;
      if (items.length === limit) {
        more = true;
        return false;
      }
      items.push(kv);
      return true;
    };
    const older = sortedOverlayKeys(ov, prefix, start, exclusive);
    let j = 0;
    let open = true;
    this.keys.scan(start, exclusive, (key) => {
      if (!key.startsWith(prefix)) return false;
      for (; j < older.length; j++) {
        const k = older[j] as string;
        const c = compareKeys(k, key);
        if (c > 0) break;
        if (!emit(ov.get(k))) return (open = false);
        if (c === 0) {
          j++;
          return true; // the overlay's state of this key replaces the current one
        }
      }
      return (open = emit(this.map.get(key)));
    });
    for (; open && j < older.length; j++) open = emit(ov.get(older[j] as string));
    const last = items[items.length - 1];
    const remaining = more && last ? this.countRange(prefix, last.key, ov) : 0;
    return { items, more, remaining };
  }

  /** Number of keys under `prefix` (at the overlay's revision when one is given). */
  count(prefix: string, overlay?: Overlay): number {
    return this.countRange(prefix, undefined, overlay);
  }

  // Keys under `prefix` strictly after `after` (all of them when undefined).
  private countRange(prefix: string, after: string | undefined, overlay?: Overlay): number {
    const end = prefixEnd(prefix);
    const hi = end === undefined ? this.keys.size : this.keys.rank(end);
    const lo = after === undefined ? this.keys.rank(prefix) : this.keys.rank(after, true);
    let n = hi - lo;
    if (overlay) {
      for (const [k, kv] of overlay) {
        if (!k.startsWith(prefix) || (after !== undefined && compareKeys(k, after) <= 0)) continue;
        if (this.map.has(k)) n--;
        if (kv) n++;
      }
    }
    return n;
  }
}

// The overlay's keys under `prefix` from `start` on, in key order.
function sortedOverlayKeys(overlay: Overlay, prefix: string, start: string, exclusive: boolean): string[] {
  const out: string[] = [];
  for (const k of overlay.keys()) {
    if (!k.startsWith(prefix)) continue;
    const c = compareKeys(k, start);
    if (c > 0 || (c === 0 && !exclusive)) out.push(k);
  }
  return out.sort(compareKeys);
}
