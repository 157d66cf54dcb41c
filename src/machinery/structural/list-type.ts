// The uniqueness rules of `x-kubernetes-list-type: set` and `map` lists, with Kubernetes' Duplicate errors on
// the second occurrence of an item (or of a key).
import type { SchemaNode } from './compile.js';
import { FieldErrorType, type FieldError } from '../field-errors.js';
import { invalidValue, printedError } from './go-print.js';
import { canonicalJson, isMap, type JsonMap } from './types.js';

// Go keys scalars by dynamic type and value, compounds by their JSON text.
function identity(v: unknown): string {
  if (v === null || v === undefined) return 'n';
  if (typeof v === 'object') return 'j' + canonicalJson(v);
  return (typeof v)[0] + String(v);
}

// Indices of items seen before (reported once: on their second occurrence).
function duplicateIndices(values: readonly unknown[]): number[] {
  if (values.length <= 1) return [];
  const seen = new Map<string, number>();
  const out: number[] = [];
  values.forEach((v, i) => {
    const id = identity(v);
    const times = seen.get(id) ?? 0;
    if (times === 1) out.push(i);
    seen.set(id, times + 1);
  });
  return out;
}

const unspecified = Symbol('unspecified');
const dup = (field: string, value: unknown): FieldError => printedError(FieldErrorType.Duplicate, field, value);

function validateListMap(path: string, node: SchemaNode, list: readonly unknown[]): FieldError[] {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (x !== null && !isMap(x)) return [invalidValue(`${path}[${i}]`, x, 'must be an object for an array of list-type map')];
  }
  if (list.length <= 1) return [];
  const keyFields = node.listMapKeys;
  if (keyFields.length === 1) {
    const kf = keyFields[0] as string;
    const keys = list.map((x) => (isMap(x) && Object.prototype.hasOwnProperty.call(x, kf) ? x[kf] : unspecified));
    const ids = keys.map((k) => (k === unspecified ? 'u' : identity(k)));
    return duplicateIds(ids).map((i) => {
      const k = keys[i];
      return dup(`${path}[${i}]`, k === unspecified ? {} : { [kf]: k });
    });
  }
  const keys = list.map((x) => {
    const key: JsonMap = {};
    if (isMap(x)) for (const kf of keyFields) if (Object.prototype.hasOwnProperty.call(x, kf)) key[kf] = x[kf];
    return key;
  });
  return duplicateIndices(keys).map((i) => dup(`${path}[${i}]`, keys[i]));
}

function duplicateIds(ids: readonly string[]): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  ids.forEach((id, i) => {
    const times = seen.get(id) ?? 0;
    if (times === 1) out.push(i);
    seen.set(id, times + 1);
  });
  return ids.length <= 1 ? [] : out;
}

function visit(path: string, node: SchemaNode, value: unknown, out: FieldError[]): void {
  if (!node.subtreeHasListTypes) return;
  if (Array.isArray(value)) {
    if (node.listType === 'set') for (const i of duplicateIndices(value)) out.push(dup(`${path}[${i}]`, value[i]));
    else if (node.listType === 'map') out.push(...validateListMap(path, node, value));
    if (node.items) for (let i = 0; i < value.length; i++) visit(`${path}[${i}]`, node.items, value[i], out);
  } else if (isMap(value)) {
    visitMap(path, node, value, out);
  }
}

function visitMap(path: string, node: SchemaNode, obj: JsonMap, out: FieldError[]): void {
  const ap = node.additionalProperties;
  if (typeof ap === 'object') for (const [k, v] of Object.entries(obj)) visit(`${path}[${k}]`, ap, v, out);
  if (node.properties) {
    for (const [k, v] of Object.entries(obj)) {
      const sub = node.properties.get(k);
      if (sub) visit(path ? `${path}.${k}` : k, sub, v, out);
    }
  }
}

/** Duplicate items of set lists and duplicate keys of map lists anywhere in `obj`, with paths from `path`. */
export function validateListSetsAndMaps(node: SchemaNode, obj: unknown, path = ''): FieldError[] {
  const out: FieldError[] = [];
  if (isMap(obj) && node.subtreeHasListTypes) visitMap(path, node, obj, out);
  return out;
}
