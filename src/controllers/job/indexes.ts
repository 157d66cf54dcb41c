// Sets of completion indexes kept as sorted, disjoint intervals and written as Kubernetes writes
// status.completedIndexes and status.failedIndexes: "1,3-5,7".

/** One closed interval of indexes. */
export interface Interval {
  first: number;
  last: number;
}

/** A sorted list of disjoint, non-adjacent intervals. */
export class IndexSet {
  constructor(readonly intervals: readonly Interval[] = []) {}

  /** Parses "1,3-5,7", keeping only indexes below `completions` and skipping malformed parts. */
  static parse(text: string | undefined | null, completions: number): IndexSet {
    if (!text) return new IndexSet();
    const intervals: Interval[] = [];
    for (const part of text.split(',')) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(part);
      if (!m) continue;
      const first = Number(m[1]);
      let last = m[2] === undefined ? first : Number(m[2]);
      if (first >= completions || last < first) continue;
      last = Math.min(last, completions - 1);
      intervals.push({ first, last });
    }
    return new IndexSet(normalize(intervals));
  }

  /** How many indexes the set holds. */
  total(): number {
    let n = 0;
    for (const i of this.intervals) n += i.last - i.first + 1;
    return n;
  }

  /** True when `ix` is in the set. */
  has(ix: number): boolean {
    return this.intervals.some((i) => i.first <= ix && ix <= i.last);
  }

  /** The set with these indexes added. */
  with(indexes: Iterable<number>): IndexSet {
    const added = [...this.intervals];
    for (const ix of indexes) added.push({ first: ix, last: ix });
    return new IndexSet(normalize(added));
  }

  /** The union of two sets. */
  merge(other: IndexSet): IndexSet {
    return new IndexSet(normalize([...this.intervals, ...other.intervals]));
  }

  /** Every index in order. */
  *values(): Generator<number> {
    for (const i of this.intervals) for (let v = i.first; v <= i.last; v++) yield v;
  }

  /** "1,3-5,7" (two adjacent indexes are written "3,4", as Kubernetes does). */
  toString(): string {
    return this.intervals.map((i) => (i.first === i.last ? `${i.first}` : i.last === i.first + 1 ? `${i.first},${i.last}` : `${i.first}-${i.last}`)).join(',');
  }
}

function normalize(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a.first - b.first);
  const out: Interval[] = [];
  for (const i of sorted) {
    const prev = out[out.length - 1];
    if (prev && i.first <= prev.last + 1) prev.last = Math.max(prev.last, i.last);
    else out.push({ ...i });
  }
  return out;
}
