// The set of fields an object sets (what an applied configuration claims), with Kubernetes' membership rules:
// leaves, list items, atomic values, map entries, and empty or null objects are members; declared fields that
// hold non-empty objects only lead to members.
import { FieldSet } from './field-set.js';
import { pathString, type PathElement } from './path-element.js';
import { deducedType, type SsaType } from './ssa-type.js';
import { emptyMap, isObj, itemElement, shapeOf, TypedValueError } from './values.js';

/** The fields `obj` sets, under type `t`. Items that cannot be identified are left out. */
export function fieldSet(obj: unknown, t: SsaType): FieldSet {
  const set = new FieldSet();
  walk([], obj, t, set, undefined);
  return set;
}

/**
 * The fields of an applied configuration, with the problems Kubernetes rejects in one: duplicate list items,
 * items without key fields, fields the schema does not declare.
 */
export function appliedFieldSet(obj: unknown, t: SsaType): { set: FieldSet; errors: TypedValueError[] } {
  const set = new FieldSet();
  const errors: TypedValueError[] = [];
  walk([], obj, t, set, errors);
  return { set, errors };
}

function walk(path: PathElement[], v: unknown, t: SsaType, set: FieldSet, errors: TypedValueError[] | undefined): void {
  const shape = shapeOf(v, t);
  if (shape === 'map') {
    const m = t.map;
    if (!m || m.atomic) {
      set.insert(path);
      return;
    }
    if (!isObj(v)) return;
    for (const k in v) {
      const val = v[k];
      if (val === undefined) continue;
      let field = m.field(k);
      path.push('f:' + k);
      if (field === undefined) {
        errors?.push(new TypedValueError(pathString(path), 'field not declared in schema'));
        field = deducedType;
      }
      walk(path, val, field, set, errors);
      if (val === null || (isObj(val) && emptyMap(val)) || !m.named(k)) set.insert(path);
      path.pop();
    }
    return;
  }
  if (shape === 'list') {
    const list = t.list;
    if (!list || list.atomic) {
      set.insert(path);
      return;
    }
    if (!Array.isArray(v)) return;
    const pes: (PathElement | undefined)[] = [];
    const seen = new Set<PathElement>();
    const dup = new Set<PathElement>();
    for (let i = 0; i < v.length; i++) {
      let pe: PathElement | undefined;
      try {
        pe = itemElement(v[i], list);
      } catch (e) {
        errors?.push(new TypedValueError(pathString(path), `element ${i}: ${(e as Error).message}`));
      }
      pes.push(pe);
      if (pe === undefined) continue;
      if (!seen.has(pe)) seen.add(pe);
      else if (!dup.has(pe)) {
        dup.add(pe);
        errors?.push(new TypedValueError(pathString(path), `duplicate entries for key ${pathString([pe])}`));
        path.push(pe);
        set.insert(path);
        path.pop();
      }
    }
    for (let i = 0; i < v.length; i++) {
      const pe = pes[i];
      if (pe === undefined || dup.has(pe)) continue;
      path.push(pe);
      walk(path, v[i], list.element, set, errors);
      set.insert(path);
      path.pop();
    }
    return;
  }
  if (shape === 'leaf') set.insert(path);
}
