// Sets of field paths as Kubernetes keeps them per field manager: a trie whose nodes are path elements, where a
// node is a member of the set or only leads to members. Encoded as FieldsV1 (`{"f:spec":{".":{},"f:x":{}}}`).
import { comparePathElements, parsePathElement, pathString, type FieldPath, type PathElement } from './path-element.js';

/** FieldsV1: the JSON trie Kubernetes stores in `managedFields[].fieldsV1`. */
export type FieldsV1 = { [pathElement: string]: FieldsV1 };

/**
 * A set of field paths. Treat a set as immutable once built: operations return new sets that may share subtrees
 * with their inputs. `members` are the path elements that belong to the set at this level; `children` lead to
 * deeper members (a node may be both).
 */
export class FieldSet {
  // Allocated on first use: most nodes of a set are leaves with no children.
  private m: Set<PathElement> | undefined;
  private c: Map<PathElement, FieldSet> | undefined;
  // The FieldsV1 this set was read from, when it was already in the encoder's spelling and order.
  private src: FieldsV1 | undefined;

  /** The path elements that are members at this level (read only). */
  get members(): ReadonlySet<PathElement> {
    return this.m ?? noMembers;
  }

  /** The subsets below this level, by path element (read only). */
  get children(): ReadonlyMap<PathElement, FieldSet> {
    return this.c ?? noChildren;
  }

  /** Makes `pe` a member at this level (building only). */
  addMember(pe: PathElement): void {
    this.src = undefined;
    (this.m ??= new Set()).add(pe);
  }

  /** Sets the subset below `pe` (building only). */
  setChild(pe: PathElement, s: FieldSet): void {
    this.src = undefined;
    (this.c ??= new Map()).set(pe, s);
  }

  /** Adds a path (building; only on sets not shared yet). The empty path is never a member. */
  insert(path: FieldPath): this {
    const n = path.length;
    if (n === 0) return this;
    let s: FieldSet = this;
    for (let i = 0; i < n - 1; i++) s = s.descend(path[i] as PathElement);
    s.addMember(path[n - 1] as PathElement);
    return this;
  }

  /** The child set under `pe`, created when missing (building only). */
  descend(pe: PathElement): FieldSet {
    this.src = undefined;
    const c = (this.c ??= new Map());
    let s = c.get(pe);
    if (!s) c.set(pe, (s = new FieldSet()));
    return s;
  }

  /** True when the path is a member. */
  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    let s: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && s; i++) s = s.c?.get(path[i] as PathElement);
    return s?.m !== undefined && s.m.has(path[path.length - 1] as PathElement);
  }

  /** The members below `pe` (an empty set when there are none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.c?.get(pe) ?? emptySet;
  }

  /** True when the set has no member at any depth. */
  isEmpty(): boolean {
    if (this.m !== undefined && this.m.size > 0) return false;
    if (this.c !== undefined) for (const c of this.c.values()) if (!c.isEmpty()) return false;
    return true;
  }

  /** Number of members at every depth. */
  size(): number {
    let n = this.m?.size ?? 0;
    if (this.c) for (const c of this.c.values()) n += c.size();
    return n;
  }

  /** Members of either set. */
  union(o: FieldSet): FieldSet {
    if (o === this || o.isEmpty()) return this;
    if (this.isEmpty()) return o;
    const out = new FieldSet();
    if (this.m || o.m) out.m = new Set([...this.members, ...o.members]);
    if (this.c || o.c) {
      const c = (out.c = new Map(this.c));
      if (o.c)
        for (const [pe, d] of o.c) {
          const mine = c.get(pe);
          c.set(pe, mine ? mine.union(d) : d);
        }
    }
    return out;
  }

  /** Members of both sets. */
  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    if (this.m && o.m) {
      const [small, big] = this.m.size <= o.m.size ? [this.m, o.m] : [o.m, this.m];
      for (const m of small) if (big.has(m)) out.addMember(m);
    }
    if (this.c && o.c) {
      for (const [pe, c] of this.c) {
        const d = o.c.get(pe);
        if (!d) continue;
        const i = c.intersection(d);
        if (!i.isEmpty()) out.setChild(pe, i);
      }
    }
    return out;
  }

  /** Members of this set that are not members of `o` (a parent member leaves its children alone). */
  difference(o: FieldSet): FieldSet {
    if (o.isEmpty()) return this;
    const out = new FieldSet();
    if (this.m) for (const m of this.m) if (!o.m?.has(m)) out.addMember(m);
    if (this.c) {
      for (const [pe, c] of this.c) {
        const d = o.c?.get(pe);
        const r = d ? c.difference(d) : c;
        if (!r.isEmpty()) out.setChild(pe, r);
      }
    }
    return out;
  }

  /** Like difference, but a member of `o` also removes everything below it. */
  recursiveDifference(o: FieldSet): FieldSet {
    if (o.isEmpty()) return this;
    const out = new FieldSet();
    if (this.m) for (const m of this.m) if (!o.m?.has(m)) out.addMember(m);
    if (this.c) {
      for (const [pe, c] of this.c) {
        if (o.m?.has(pe)) continue;
        const d = o.c?.get(pe);
        const r = d ? c.recursiveDifference(d) : c;
        if (!r.isEmpty()) out.setChild(pe, r);
      }
    }
    return out;
  }

  /** True when both sets have the same members. */
  equals(o: FieldSet): boolean {
    if (this === o) return true;
    if (this.members.size !== o.members.size) return false;
    for (const m of this.members) if (!o.members.has(m)) return false;
    const a = nonEmptyChildren(this);
    const b = nonEmptyChildren(o);
    if (a.length !== b.length) return false;
    for (const [pe, c] of a) {
      const d = o.children.get(pe);
      if (!d || !c.equals(d)) return false;
    }
    return true;
  }

  /** Every member path in Kubernetes' order: members of a level first, then the levels below (preorder). */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (s: FieldSet, prefix: PathElement[]): void => {
      for (const m of sorted(s.members)) out.push([...prefix, m]);
      for (const pe of sorted(s.children.keys())) walk(s.children.get(pe) as FieldSet, [...prefix, pe]);
    };
    walk(this, []);
    return out;
  }

  /** One path per line, as Kubernetes prints a set. */
  toString(): string {
    return this.paths().map(pathString).join('\n');
  }

  /** FieldsV1 with keys in Kubernetes' order (`.` first), ready to store or compare as JSON. */
  toFieldsV1(): FieldsV1 {
    return this.src ?? encode(this, false);
  }

  /** Reads FieldsV1; path elements of unknown kinds are dropped, as Kubernetes does. Throws on malformed keys. */
  static fromFieldsV1(json: unknown): FieldSet {
    decodedCanonical = true;
    const set = decode(json) ?? new FieldSet();
    // A set read from canonical FieldsV1 writes back the very same object until it is changed.
    if (decodedCanonical) set.src = json as FieldsV1;
    return set;
  }

  /** A set holding the given paths. */
  static of(...paths: FieldPath[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }
}

const noMembers: ReadonlySet<PathElement> = new Set();
const noChildren: ReadonlyMap<PathElement, FieldSet> = new Map();

/** The empty set (shared; never modify). */
export const emptySet: FieldSet = new FieldSet();

function nonEmptyChildren(s: FieldSet): [PathElement, FieldSet][] {
  return [...s.children].filter(([, c]) => !c.isEmpty());
}

function sorted(it: Iterable<PathElement>): PathElement[] {
  const a = Array.from(it);
  return a.length < 2 ? a : a.sort(comparePathElements);
}

function encode(s: FieldSet, self: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  const members = s.members;
  const children = s.children;
  if (self) out['.'] = {};
  if (children.size === 0) {
    for (const k of sorted(members)) out[k] = {};
    return out;
  }
  let keys: PathElement[];
  if (members.size === 0) keys = sorted(children.keys());
  else {
    keys = Array.from(members);
    for (const k of children.keys()) if (!members.has(k)) keys.push(k);
    keys.sort(comparePathElements);
  }
  for (const k of keys) {
    const c = children.get(k);
    if (c && !c.isEmpty()) out[k] = encode(c, members.has(k));
    else if (members.has(k)) out[k] = {};
  }
  return out;
}

// The decoder reports whether the node it just read is itself a member through this variable (no tuple per node).
let decodedMember = false;
// ... and whether everything read so far was spelled and ordered as the encoder writes it.
let decodedCanonical = true;

/** Mirrors Kubernetes' reader: a key maps to a member (`{}` or `.` inside) and/or to deeper members. */
function decode(json: unknown): FieldSet | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('FieldsV1 must be a JSON object');
  const obj = json as Record<string, unknown>;
  let children: FieldSet | undefined;
  let member = false;
  let prev: PathElement | undefined;
  let index = 0;
  for (const key in obj) {
    if (key === '.') {
      member = true;
      if (index !== 0) decodedCanonical = false;
      index++;
      continue;
    }
    index++;
    const pe = key.charCodeAt(0) === 0x66 && key.charCodeAt(1) === 0x3a ? key : parsePathElement(key);
    if (pe === undefined) {
      decodedCanonical = false;
      continue;
    }
    if (pe !== key || (prev !== undefined && comparePathElements(prev, pe) >= 0)) decodedCanonical = false;
    prev = pe;
    const sub = decode(obj[key]);
    if (decodedMember) (children ??= new FieldSet()).addMember(pe);
    if (sub) {
      children ??= new FieldSet();
      const had = children.children.get(pe);
      children.setChild(pe, had ? had.union(sub) : sub);
    }
  }
  if (children === undefined) {
    if (member) decodedCanonical = false; // written as {} when there is nothing below
    member = true;
  }
  decodedMember = member;
  return children;
}
