// An ordered set of keys with cheap inserts, deletes, rank queries and in-order scans.
import { compareKeys } from './keys.js';

const maxChunk = 512;

type Compare = (a: string, b: string) => number;

// Plain string comparison orders UTF-16 code units; it agrees with compareKeys (UTF-8 byte order) unless a
// character at or above U+D800 is involved, so the fast native comparison is used while no key has one.
const nativeCompare: Compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const wideChar = /[\ud800-\uffff]/;

/**
 * An ordered set of strings kept as a list of sorted chunks of at most 512 keys. An insert moves at most one
 * chunk's worth of pointers (a flat sorted array would move half the set: too slow at 150,000 keys), and
 * finding a key is two binary searches.
 */
export class SortedKeys {
  private chunks: string[][] = [];
  private total = 0;
  private wide = false;

  /** Number of keys. */
  get size(): number {
    return this.total;
  }

  /** Adds `key`; returns false when it was already there. */
  insert(key: string): boolean {
    if (!this.wide && wideChar.test(key)) this.wide = true;
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.total = 1;
      return true;
    }
    const cmp = this.compareFor(key);
    const ci = this.chunkFor(key, cmp);
    const chunk = this.chunks[ci] as string[];
    const i = lowerBound(chunk, key, cmp);
    if (i < chunk.length && chunk[i] === key) return false;
    if (i === chunk.length) chunk.push(key);
    else chunk.splice(i, 0, key);
    this.total++;
    if (chunk.length > maxChunk) this.chunks.splice(ci + 1, 0, chunk.splice(maxChunk >> 1));
    return true;
  }

  /** Removes `key`; returns false when it was not there. */
  delete(key: string): boolean {
    if (this.chunks.length === 0) return false;
    const cmp = this.compareFor(key);
    const ci = this.chunkFor(key, cmp);
    const chunk = this.chunks[ci] as string[];
    const i = lowerBound(chunk, key, cmp);
    if (i >= chunk.length || chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.total--;
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    else if (chunk.length < maxChunk >> 3 && ci + 1 < this.chunks.length) {
      // Merge small neighbours so that deleting most keys does not leave thousands of tiny chunks.
      const next = this.chunks[ci + 1] as string[];
      if (chunk.length + next.length <= maxChunk) {
        chunk.push(...next);
        this.chunks.splice(ci + 1, 1);
      }
    }
    return true;
  }

  /** Number of keys strictly less than `key` (or less than or equal, with `inclusive`). */
  rank(key: string, inclusive = false): number {
    const cmp = this.compareFor(key);
    let n = 0;
    for (const chunk of this.chunks) {
      const last = chunk[chunk.length - 1] as string;
      const c = cmp(last, key);
      if (c < 0 || (inclusive && c === 0)) {
        n += chunk.length;
        continue;
      }
      const i = lowerBound(chunk, key, cmp);
      return n + (inclusive && chunk[i] === key ? i + 1 : i);
    }
    return n;
  }

  /**
   * Calls `visit` with keys in order, starting at the first key >= `from` (> `from` when `exclusive`), until
   * `visit` returns false or the keys run out.
   */
  scan(from: string, exclusive: boolean, visit: (key: string) => boolean): void {
    if (this.chunks.length === 0) return;
    const cmp = this.compareFor(from);
    let ci = this.chunkFor(from, cmp);
    let chunk = this.chunks[ci] as string[];
    let i = lowerBound(chunk, from, cmp);
    if (exclusive && chunk[i] === from) i++;
    for (;;) {
      for (; i < chunk.length; i++) if (!visit(chunk[i] as string)) return;
      ci++;
      if (ci >= this.chunks.length) return;
      chunk = this.chunks[ci] as string[];
      i = 0;
    }
  }

  /** Up to `count` keys in order starting at position `start` (a rank). */
  slice(start: number, count: number): string[] {
    const out: string[] = [];
    let ci = 0;
    let skip = start;
    while (ci < this.chunks.length && skip >= (this.chunks[ci] as string[]).length) skip -= (this.chunks[ci++] as string[]).length;
    for (; ci < this.chunks.length && out.length < count; ci++, skip = 0) {
      const chunk = this.chunks[ci] as string[];
      const end = Math.min(chunk.length, skip + count - out.length);
      for (let i = skip; i < end; i++) out.push(chunk[i] as string);
    }
    return out;
  }

  // The index of the chunk whose range holds `key`: the last chunk whose first key is <= key (or the first).
  private compareFor(probe: string): Compare {
    return this.wide || wideChar.test(probe) ? compareKeys : nativeCompare;
  }

  private chunkFor(key: string, cmp: Compare): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cmp((this.chunks[mid] as string[])[0] as string, key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

// The first index whose key is >= `key`.
function lowerBound(arr: string[], key: string, cmp: Compare): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(arr[mid] as string, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
