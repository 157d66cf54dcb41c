// Comparing two versions of an object field by field: which fields a write added, modified and removed, with
// the rules of Kubernetes' structured comparison (atomic values as a whole, list items by key, Go zero values).
import { FieldSet } from './field-set.js';
import { pathString, type PathElement } from './path-element.js';
import { deducedType, type SsaType } from './ssa-type.js';
import { commonShape, emptyList, emptyMap, isObj, itemElement, jsonEqual, TypedValueError, type Obj } from './values.js';

/** What changed between two objects. No path is in more than one set; all empty means the objects are equal. */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** True when the comparison found no change. */
export function isSame(c: Comparison): boolean {
  return c.added.isEmpty() && c.modified.isEmpty() && c.removed.isEmpty();
}

/** Removes `fields` and everything below them from all three sets (fields a strategy resets). */
export function excludeFields(c: Comparison, fields: FieldSet | undefined): Comparison {
  if (!fields || fields.isEmpty()) return c;
  if (c.added === c.modified) {
    const changed = c.added.recursiveDifference(fields);
    return { added: changed, modified: changed, removed: c.removed.recursiveDifference(fields) };
  }
  return { added: c.added.recursiveDifference(fields), modified: c.modified.recursiveDifference(fields), removed: c.removed.recursiveDifference(fields) };
}

/**
 * Compares `lhs` (before) with `rhs` (after) under type `t`. Throws TypedValueError on items that cannot be
 * identified (a keyed list item without keys, a map in a set).
 */
export function compare(lhs: unknown, rhs: unknown, t: SsaType): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk([], lhs, rhs, t, c);
  return c;
}

/**
 * Like compare, but added and modified fields land in one set (`added` and `modified` are the same object):
 * ownership only ever needs their union.
 */
export function compareChanges(lhs: unknown, rhs: unknown, t: SsaType): Comparison {
  const changed = new FieldSet();
  const c: Comparison = { added: changed, modified: changed, removed: new FieldSet() };
  walk([], lhs, rhs, t, c);
  return c;
}

function leaf(path: PathElement[], l: unknown, r: unknown, c: Comparison): void {
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
  else if (!jsonEqual(l, r)) c.modified.insert(path);
}

function walk(path: PathElement[], l: unknown, r: unknown, t: SsaType, c: Comparison): void {
  const shape = commonShape(l, r, t);
  let asLeaf = shape === 'leaf';
  if (shape === 'map') {
    // A built-in object holds the fields of Go's zero value even when the JSON leaves them out.
    const filled = t.zero !== undefined;
    if ((t.map?.atomic ?? true) || (emptyMap(l) && emptyMap(r) && !(filled && (isObj(l) || isObj(r))))) asLeaf = true;
    else walkMap(path, isObj(l) ? l : undefined, isObj(r) ? r : undefined, t, c);
  } else if (shape === 'list') {
    const list = t.list;
    if (!list || list.atomic || (emptyList(l) && emptyList(r))) asLeaf = true;
    else walkList(path, Array.isArray(l) ? l : [], Array.isArray(r) ? r : [], t, c);
  }
  if (asLeaf) leaf(path, l, r, c);
  else if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}

const zeroStruct = Object.freeze({});

function walkMap(path: PathElement[], l: Obj | undefined, r: Obj | undefined, t: SsaType, c: Comparison): void {
  const shape = t.map;
  if (!shape) return;
  const zero = t.zero;
  const visit = (key: string, lv: unknown, rv: unknown): void => {
    path.push('f:' + key);
    // Fields a schema does not declare are compared as untyped content (they should not reach storage anyway).
    walk(path, lv, rv, shape.field(key) ?? deducedType, c);
    path.pop();
  };
  // A zero-value field missing on one side only is compared with its zero; missing on both, it cannot differ.
  const zeroOf = (k: string): unknown => {
    if (zero === undefined || !(k in zero)) return undefined;
    const z = zero[k];
    return isObj(z) ? zeroStruct : z;
  };
  // Keys holding undefined are absent, as in the JSON the object stands for.
  if (l && r) {
    for (const k in l) if (l[k] !== undefined) visit(k, l[k], r[k] !== undefined ? r[k] : zeroOf(k));
    for (const k in r) if (r[k] !== undefined && l[k] === undefined) visit(k, zeroOf(k), r[k]);
  } else if (l) {
    for (const k in l) if (l[k] !== undefined) visit(k, l[k], undefined);
    if (zero) for (const k in zero) if (l[k] === undefined) visit(k, zeroOf(k), undefined);
  } else if (r) {
    for (const k in r) if (r[k] !== undefined) visit(k, undefined, r[k]);
    if (zero) for (const k in zero) if (r[k] === undefined) visit(k, undefined, zeroOf(k));
  }
}

function walkList(path: PathElement[], l: unknown[], r: unknown[], t: SsaType, c: Comparison): void {
  const list = t.list;
  if (!list) return;
  const index = (items: unknown[], into: Map<PathElement, unknown[]>, order: PathElement[]): void => {
    for (let i = 0; i < items.length; i++) {
      let pe: PathElement;
      try {
        pe = itemElement(items[i], list);
      } catch (e) {
        throw new TypedValueError(pathString(path), `element ${i}: ${(e as Error).message}`);
      }
      const seen = into.get(pe);
      if (seen) seen.push(items[i]);
      else {
        into.set(pe, [items[i]]);
        order.push(pe);
      }
    }
  };
  const order: PathElement[] = [];
  const lv = new Map<PathElement, unknown[]>();
  const rv = new Map<PathElement, unknown[]>();
  index(l, lv, order);
  const rOrder: PathElement[] = [];
  index(r, rv, rOrder);
  for (const pe of rOrder) if (!lv.has(pe)) order.push(pe);
  const element = list.element;
  for (const pe of order) {
    const a = lv.get(pe) ?? [];
    const b = rv.get(pe) ?? [];
    path.push(pe);
    if (a.length <= 1 && b.length <= 1) walk(path, a[0], b[0], element, c);
    else if (a.length >= 2 && b.length >= 2) {
      // Duplicated before and after: the duplicates compare as one atomic value.
      if (!jsonEqual(a, b)) c.modified.insert(path);
    } else if (a.length >= 2) {
      if (b.length > 0) walk(path, undefined, b[0], element, c);
      c.removed.insert(path);
    } else {
      if (a.length > 0) walk(path, a[0], undefined, element, c);
      c.added.insert(path);
    }
    path.pop();
  }
}
