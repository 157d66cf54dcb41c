// Merging an applied configuration into a live object, and removing sets of fields from an object, with the rules
// of Kubernetes' structured merge: atomic values replaced whole, list items matched by key, order kept.
import { FieldSet } from './field-set.js';
import { pathString, type PathElement } from './path-element.js';
import { deducedType, type SsaType } from './ssa-type.js';
import { commonShape, emptyList, emptyMap, isObj, itemElement, TypedValueError, type Obj } from './values.js';

/** Merges `rhs` (the applied configuration) into `lhs` (the live object); neither input is modified. */
export function merge(lhs: unknown, rhs: unknown, t: SsaType): unknown {
  return mergeValue([], lhs, rhs, t);
}

function mergeValue(path: PathElement[], l: unknown, r: unknown, t: SsaType): unknown {
  const shape = commonShape(l, r, t);
  if (shape === 'map' && !t.map?.atomic && !(emptyMap(l) && emptyMap(r))) return mergeMap(path, isObj(l) ? l : undefined, isObj(r) ? r : undefined, t);
  if (shape === 'list' && t.list && !t.list.atomic && !(emptyList(l) && emptyList(r))) {
    return mergeList(path, Array.isArray(l) ? l : [], Array.isArray(r) ? r : [], t);
  }
  return r !== undefined ? r : l;
}

function mergeMap(path: PathElement[], l: Obj | undefined, r: Obj | undefined, t: SsaType): Obj | undefined {
  const shape = t.map;
  const out: Obj = {};
  let any = false;
  const visit = (k: string, lv: unknown, rv: unknown): void => {
    path.push('f:' + k);
    const v = mergeValue(path, lv, rv, shape?.field(k) ?? deducedType);
    path.pop();
    if (v !== undefined) {
      out[k] = v;
      any = true;
    }
  };
  if (l) for (const k in l) if (l[k] !== undefined) visit(k, l[k], r?.[k]);
  if (r) for (const k in r) if (r[k] !== undefined && l?.[k] === undefined) visit(k, undefined, r[k]);
  return any ? out : undefined;
}

interface Indexed {
  pes: PathElement[];
  byPe: Map<PathElement, unknown>;
}

function indexList(path: PathElement[], items: unknown[], t: SsaType, allowDuplicates: boolean): Indexed {
  const list = t.list;
  const pes: PathElement[] = [];
  const byPe = new Map<PathElement, unknown>();
  if (!list) return { pes, byPe };
  for (let i = 0; i < items.length; i++) {
    let pe: PathElement;
    try {
      pe = itemElement(items[i], list);
    } catch (e) {
      throw new TypedValueError(pathString(path), `element ${i}: ${(e as Error).message}`);
    }
    if (byPe.has(pe)) {
      if (!allowDuplicates) throw new TypedValueError(pathString(path), `duplicate entries for key ${pathString([pe])}`);
      // Items duplicated in the live object are not merged with the applied one.
      byPe.set(pe, null);
    } else byPe.set(pe, items[i]);
    pes.push(pe);
  }
  return { pes, byPe };
}

/** Merges list items by identity, keeping the live order and placing new items as Kubernetes does. */
function mergeList(path: PathElement[], l: unknown[], r: unknown[], t: SsaType): unknown[] | undefined {
  const element = t.list?.element ?? deducedType;
  const rhs = indexList(path, r, t, false);
  const lhs = indexList(path, l, t, true);
  const sharedOrder = rhs.pes.filter((pe) => lhs.byPe.has(pe));
  let shared = 0;
  let nextShared: PathElement | undefined = sharedOrder[shared++];
  const mergedRhs = new Set<PathElement>();
  const out: unknown[] = [];
  const mergeItem = (pe: PathElement, lv: unknown, rv: unknown): void => {
    path.push(pe);
    const v = mergeValue(path, lv, rv, element);
    path.pop();
    if (v !== undefined) out.push(v);
  };
  const lLen = lhs.pes.length;
  const rLen = rhs.pes.length;
  for (let li = 0, ri = 0; li < lLen || ri < rLen; ) {
    if (li < lLen && ri < rLen) {
      const pe = lhs.pes[li] as PathElement;
      if (pe === rhs.pes[ri]) {
        mergedRhs.add(pe);
        mergeItem(pe, lhs.byPe.get(pe), rhs.byPe.get(pe));
        li++;
        ri++;
        nextShared = sharedOrder[shared++];
        continue;
      }
      if (rhs.byPe.has(pe) && nextShared !== undefined && nextShared !== pe) {
        // A shared item, but not the one the applied order wants next.
        li++;
        continue;
      }
    }
    if (li < lLen) {
      const pe = lhs.pes[li] as PathElement;
      if (!rhs.byPe.has(pe)) {
        mergeItem(pe, l[li], undefined);
        li++;
        continue;
      } else if (mergedRhs.has(pe)) li++;
    }
    if (ri < rLen) {
      const pe = rhs.pes[ri] as PathElement;
      mergedRhs.add(pe);
      mergeItem(pe, lhs.byPe.get(pe), rhs.byPe.get(pe));
      ri++;
      if (nextShared !== undefined && nextShared === pe) nextShared = sharedOrder[shared++];
    }
  }
  return out.length > 0 ? out : undefined;
}

/**
 * `value` without the members of `set` (a member goes with everything below it). Objects and lists left empty
 * disappear from typed parents and become null in untyped ones, as after Kubernetes' decoding.
 */
export function removeItems(value: unknown, set: FieldSet, t: SsaType): unknown {
  return remove(value, set, t) ?? (isObj(value) ? {} : value);
}

function remove(value: unknown, set: FieldSet, t: SsaType): unknown {
  if (isObj(value)) {
    if (!t.map || t.map.atomic) return undefined;
    let out: Obj | undefined;
    for (const k in value) {
      const pe = 'f:' + k;
      const field = t.map.field(k) ?? deducedType;
      if (set.members.has(pe)) {
        out ??= copyBefore(value, k);
        continue;
      }
      const sub = set.children.get(pe);
      if (sub && !sub.isEmpty()) {
        const v = remove(value[k], sub, field);
        out ??= copyBefore(value, k);
        if (v !== undefined) out[k] = v;
        else if (t.deduced) out[k] = null;
      } else if (out) out[k] = value[k];
    }
    if (!out) return value;
    return emptyMap(out) ? undefined : out;
  }
  if (Array.isArray(value)) {
    const list = t.list;
    if (!list || list.atomic || value.length === 0) return undefined;
    const out: unknown[] = [];
    for (const item of value) {
      let pe: PathElement;
      try {
        pe = itemElement(item, list);
      } catch {
        out.push(item);
        continue;
      }
      if (set.members.has(pe)) continue;
      const sub = set.children.get(pe);
      out.push(sub && !sub.isEmpty() ? (remove(item, sub, list.element) ?? (isObj(item) ? {} : null)) : item);
    }
    return out.length > 0 ? out : undefined;
  }
  return value;
}

function copyBefore(o: Obj, stop: string): Obj {
  const out: Obj = {};
  for (const k in o) {
    if (k === stop) break;
    out[k] = o[k];
  }
  return out;
}

/** `set` plus, as members, the declared fields that lead to members (`spec` for `spec.replicas`). */
export function ensureNamedFieldsAreMembers(set: FieldSet, t: SsaType | undefined): FieldSet {
  if (set.children.size === 0) return set;
  const out = new FieldSet();
  for (const m of set.members) out.addMember(m);
  for (const [pe, child] of set.children) {
    let childType: SsaType | undefined;
    if (pe.startsWith('f:')) {
      const name = pe.slice(2);
      if (t?.map?.named(name)) out.addMember(pe);
      childType = t?.map?.field(name);
    } else if (pe.startsWith('k:')) childType = t?.list?.element;
    out.setChild(pe, ensureNamedFieldsAreMembers(child, childType));
  }
  return out;
}

/**
 * `value` without the nulls an applied configuration left in typed objects: Kubernetes decodes the merged object
 * into its Go type, where such a null is simply an unset field. Untyped content keeps its nulls. Copy on write.
 */
export function dropNulls(value: unknown, t: SsaType): unknown {
  if (Array.isArray(value)) {
    const element = t.list?.element;
    if (!element || t.list?.atomic) return value;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = dropNulls(value[i], element);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  if (!isObj(value) || !t.map || t.map.atomic || t.deduced) return value;
  let out: Obj | undefined;
  for (const k in value) {
    const v = value[k];
    if (v === null) {
      out ??= { ...value };
      delete out[k];
      continue;
    }
    const field = t.map.field(k);
    if (field === undefined || (typeof v !== 'object' && v !== undefined)) continue;
    const w = dropNulls(v, field);
    if (w !== v) (out ??= { ...value })[k] = w;
  }
  return out ?? value;
}
