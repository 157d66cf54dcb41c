// Strategic merge patch (`application/strategic-merge-patch+json`) applied as kube-apiserver applies it to built-in
// kinds: maps merge, null deletes, lists merge or are replaced by their patch strategy, and the directives
// `$patch`, `$retainKeys`, `$setElementOrder/<field>` and `$deleteFromPrimitiveList/<field>` are honoured. Merge
// keys and strategies come from a PatchMeta built from the kind's schema; custom resources have none and the
// caller must refuse the patch type for them. Errors carry kube-apiserver's statuses and texts.
import { badRequest } from './errors.js';
import { clone, isJsonObject, type JsonObject, type JsonValue } from './deep.js';
import { goS, goTypeName, goV } from './go-format.js';
import type { PatchMeta } from './schema/index.js';
import {
  deleteFromSlice,
  goTypeOf,
  normalizeElementOrder,
  partitionMaps,
  partitionPrimitives,
  sameScalar,
  smpFail,
  SmpErrors,
  type ItemKind,
} from './strategic-merge-order.js';

export { StrategicMergePatchError, SmpErrors } from './strategic-merge-order.js';

/**
 * PatchMeta with the strategies of non-list fields, when the implementation knows them (a PodDisruptionBudget's
 * `spec.selector` is `replace`). Without it, map fields always merge.
 */
export interface FieldStrategies {
  fieldStrategies?(field: string): string[];
}

type Meta = (PatchMeta & FieldStrategies) | undefined;

const directiveMarker = '$patch';
const retainKeysDirective = '$retainKeys';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';
const setElementOrderPrefix = '$setElementOrder';

/**
 * Applies a strategic merge patch to `original` with the kind's patch metadata and returns the result; neither
 * input is changed. `patch` is the parsed request body (null is an empty patch).
 */
export function applyStrategicMergePatch(original: JsonObject, patch: unknown, meta: PatchMeta & FieldStrategies): JsonObject {
  if (patch === null || patch === undefined) return clone(original);
  if (!isJsonObject(patch)) throw badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`);
  return mergeMap(clone(original), clone(patch), meta);
}

function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function lookupStruct(meta: Meta, key: string): [Meta, string] {
  return [meta?.child(key), patchStrategy(meta?.fieldStrategies?.(key) ?? [])];
}

function lookupSlice(meta: Meta, key: string): [Meta, string, string] {
  const list = meta?.list(key);
  return [meta?.child(key), patchStrategy(list?.strategies ?? []), list?.mergeKey ?? ''];
}

// The strategy other than retainKeys (which only matters when creating patches).
function patchStrategy(strategies: readonly string[]): string {
  if (strategies.length === 0) return '';
  if (strategies.length === 1) return strategies[0] === 'retainKeys' ? '' : (strategies[0] ?? '');
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return strategies[1] ?? '';
    if (strategies[1] === 'retainKeys') return strategies[0] ?? '';
  }
  return smpFail('internal', `unexpected patch strategy: ${goV(strategies)}`);
}

function setMember(o: JsonObject, key: string, v: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/** Drops every map holding `$patch` (and list items that are such maps); returns [value, keep]. */
function removeDirectives(v: JsonValue): [JsonValue, boolean] {
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const x of v) {
      const [nx, keep] = removeDirectives(x);
      if (keep) out.push(nx);
    }
    return [out, true];
  }
  if (isJsonObject(v)) {
    if (has(v, directiveMarker)) return [null, false];
    for (const k of Object.keys(v)) {
      const [nx, keep] = removeDirectives(v[k] as JsonValue);
      if (keep) setMember(v, k, nx);
      else delete v[k];
    }
  }
  return [v, true];
}

/** Removes null members of maps at any depth (nulls inside lists stay). */
function discardNullValues(v: JsonValue): void {
  if (Array.isArray(v)) {
    for (const x of v) discardNullValues(x);
  } else if (isJsonObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else discardNullValues(v[k] as JsonValue);
    }
  }
}

// `$setElementOrder/containers` → `containers`; a malformed directive is a 400.
function extractKey(s: string, prefix: string, error: string): string {
  const i = s.indexOf('/');
  if (i < 0 || s.slice(0, i) !== prefix) smpFail('bad-request', error);
  return s.slice(i + 1);
}

function mergeMap(original: JsonObject | null, patch: JsonObject, meta: Meta): JsonObject {
  if (has(patch, directiveMarker)) {
    const directive = patch[directiveMarker];
    if (directive === 'replace') {
      delete patch[directiveMarker];
      return patch;
    }
    if (directive === 'delete') return {};
    return smpFail('internal', `unknown patch type: ${goS(directive)} in map: ${goV(patch)}`);
  }
  const orig = original ?? {};
  applyRetainKeys(orig, patch);
  mergeElementOrderLists(orig, patch, meta);
  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey] as JsonValue;
    let k = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(deleteFromPrimitiveListPrefix)) {
      k = extractKey(patchKey, deleteFromPrimitiveListPrefix, SmpErrors.primitiveList);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete orig[k];
      continue;
    }
    if (!has(orig, k) || goTypeOf(orig[k]) !== goTypeOf(patchV)) {
      // Absent in the original, or of another type: take the patch value, without nulls and directives.
      if (!isDeleteList) {
        discardNullValues(patchV);
        const [v, keep] = removeDirectives(patchV);
        if (keep) setMember(orig, k, v);
        else delete orig[k];
      }
      continue;
    }
    const cur = orig[k] as JsonValue;
    if (isJsonObject(cur)) {
      const [sub, strategy] = lookupStruct(meta, k);
      setMember(orig, k, strategy === 'replace' ? patchV : mergeMap(cur, patchV as JsonObject, sub));
    } else if (Array.isArray(cur)) {
      const [sub, strategy, mergeKey] = lookupSlice(meta, k);
      setMember(orig, k, mergeSliceHandler(cur, patchV as JsonValue[], sub, strategy, mergeKey, isDeleteList));
    } else {
      const [v, keep] = removeDirectives(patchV);
      if (keep) setMember(orig, k, v);
      else delete orig[k];
    }
  }
  return orig;
}

// `$retainKeys: [a, b]`: clears every other key of the original; the patch may only set listed keys.
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!has(patch, retainKeysDirective)) return;
  const list = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(list)) smpFail('bad-request', SmpErrors.retainKeys);
  const keep = new Set(list.filter((x): x is string => typeof x === 'string'));
  for (const k of Object.keys(patch)) {
    if (patch[k] === null || k.startsWith(deleteFromPrimitiveListPrefix) || k.startsWith(setElementOrderPrefix)) continue;
    if (!keep.has(k)) smpFail('bad-request', SmpErrors.retainKeys);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function mergeSliceHandler(original: JsonValue[], patch: JsonValue[], meta: Meta, strategy: string, mergeKey: string, isDeleteList: boolean): JsonValue[] {
  if (strategy === 'merge' || isDeleteList) return mergeSlice(original, patch, meta, mergeKey, isDeleteList);
  return patch;
}

function sliceElementType(...slices: JsonValue[][]): ItemKind {
  let prev: ItemKind | undefined;
  for (const s of slices) {
    for (const v of s) {
      const cur = goTypeOf(v);
      if (prev === undefined) {
        // Kubernetes dereferences the type of a leading null item and crashes the request.
        if (cur === 'nil') smpFail('panic', 'runtime error: invalid memory address or nil pointer dereference');
        if (cur === 'slice') smpFail('invalid', SmpErrors.listOfLists);
        prev = cur;
      } else if (prev !== cur) {
        smpFail('internal', `list element types are not identical: ${goV(slices)}`);
      }
    }
  }
  return prev ?? smpFail('internal', 'no elements in any of the given slices');
}

function mergeSlice(original: JsonValue[], patch: JsonValue[], meta: Meta, mergeKey: string, isDeleteList: boolean): JsonValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementType(original, patch);
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    const merged = deduplicateScalars([...original, ...patch]);
    const [patchItems, serverOnly] = mergeKey === '' ? partitionPrimitives(merged, patch) : partitionMaps(merged, patch, mergeKey);
    return normalizeElementOrder({ patch: patchItems, serverOnly, patchOrder: patch, serverOrder: original, mergeKey, kind });
  }
  if (mergeKey === '') smpFail('internal', 'cannot merge lists without merge key for struct');
  const { serverOrder, rest } = applySpecialElements(original, patch, mergeKey);
  let merged: JsonValue[];
  let patchOrder: JsonValue[];
  if (rest === null) {
    // `$patch: replace`: the other patch items are the list.
    merged = [...serverOrder];
    patchOrder = [];
  } else {
    merged = mergeWithoutSpecialElements(original, serverOrder, rest, mergeKey, meta);
    patchOrder = rest;
  }
  const [patchItems, serverOnly] = partitionMaps(merged, patchOrder, mergeKey);
  return normalizeElementOrder({ patch: patchItems, serverOnly, patchOrder, serverOrder, mergeKey, kind });
}

// Removes duplicates the way Kubernetes does: a duplicate is overwritten by the last item, so order changes.
function deduplicateScalars(s: JsonValue[]): JsonValue[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (sameScalar(s[i], s[j])) {
        s[j] = s[length] as JsonValue;
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

/*
 * Kubernetes deletes list items in place (Go's append over the same backing array) and may then append patch
 * items into the freed slots, and `$setElementOrder` orders by the caller's view of that array afterwards.
 * kin reproduces it: `original` is shifted in place as Go shifts it, and appends write into its freed tail.
 */

// Handles list items carrying `$patch`: `delete` removes matching originals (in place), `replace` makes the rest
// of the patch the whole list. Returns the remaining originals and the patch items without directives (null
// after a replace, with the replacement items as serverOrder).
function applySpecialElements(original: JsonValue[], patch: JsonValue[], mergeKey: string): { serverOrder: JsonValue[]; rest: JsonValue[] | null } {
  const rest: JsonValue[] = [];
  let len = original.length;
  let replace = false;
  for (const v of patch) {
    const m = v as JsonObject;
    if (!has(m, directiveMarker)) {
      rest.push(v);
      continue;
    }
    const directive = m[directiveMarker];
    if (directive === 'delete') {
      if (!has(m, mergeKey)) smpFail('internal', `map: ${goV(m)} does not contain declared merge key: ${mergeKey}`);
      for (;;) {
        const i = findByKey(original, len, mergeKey, m[mergeKey]);
        if (i < 0) break;
        original.copyWithin(i, i + 1, len);
        len--;
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      smpFail('internal', 'merging lists cannot yet be specified in the patch');
    } else {
      smpFail('internal', `unknown patch type: ${goS(directive)} in map: ${goV(m)}`);
    }
  }
  return replace ? { serverOrder: rest, rest: null } : { serverOrder: original.slice(0, len), rest };
}

// Index of the first of the first `len` items whose merge key equals `value` (every item must be a map).
function findByKey(list: readonly JsonValue[], len: number, mergeKey: string, value: JsonValue | undefined): number {
  for (let i = 0; i < len; i++) {
    const x = list[i];
    if (!isJsonObject(x)) smpFail('internal', `value for key ${i} is not a map`);
    if (has(x, mergeKey) && sameScalar(x[mergeKey], value)) return i;
  }
  return -1;
}

// Merges each patch item into the original item with its merge key, or appends it. Appends that fit in the
// original's length are also written into `original`, where Go's shared array would put them.
function mergeWithoutSpecialElements(original: JsonValue[], remaining: JsonValue[], patch: JsonValue[], mergeKey: string, meta: Meta): JsonValue[] {
  const merged = [...remaining];
  for (const v of patch) {
    const m = v as JsonObject;
    if (!has(m, mergeKey)) smpFail('internal', `map: ${goV(m)} does not contain declared merge key: ${mergeKey}`);
    const i = findByKey(merged, merged.length, mergeKey, m[mergeKey]);
    if (i >= 0) {
      merged[i] = mergeMap(merged[i] as JsonObject, m, meta);
    } else {
      if (merged.length < original.length) original[merged.length] = v;
      merged.push(v);
    }
  }
  return merged;
}

// `$setElementOrder/<field>`: merges the field's list and orders it as the directive says, before the main merge.
function mergeElementOrderLists(original: JsonObject, patch: JsonObject, meta: Meta): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) smpFail('internal', `expected a []interface {}, but received a ${goTypeName(order)}`);
    const field = extractKey(key, setElementOrderPrefix, SmpErrors.setElementOrder);
    const foundOriginal = has(original, field);
    const foundPatch = has(patch, field);
    const originalList = original[field];
    const patchList = patch[field];
    if (foundOriginal && !Array.isArray(originalList)) smpFail('internal', `expected a []interface {}, but received a ${goTypeName(originalList)}`);
    if (foundPatch && !Array.isArray(patchList)) smpFail('internal', `expected a []interface {}, but received a ${goTypeName(patchList)}`);
    const origItems = foundOriginal ? (originalList as JsonValue[]) : [];
    const patchItems = foundPatch ? (patchList as JsonValue[]) : [];
    const [sub, strategy, mergeKey] = lookupSlice(meta, field);
    validateElementOrder(patchItems, order, mergeKey);
    let merged: JsonValue[];
    if (foundOriginal && !foundPatch) merged = origItems;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchItems)[0] as JsonValue[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(origItems, patchItems, sub, strategy, mergeKey, false);
    else continue;
    const [inOrder, serverOnly] = mergeKey === '' ? partitionPrimitives(merged, order) : partitionMaps(merged, order, mergeKey);
    const kind = sliceElementType(origItems, patchItems);
    setMember(original, field, normalizeElementOrder({ patch: inOrder, serverOnly, patchOrder: order, serverOrder: origItems, mergeKey, kind }));
    delete patch[field];
  }
}

// The items of the patch list must appear in the directive's list, in the same relative order.
function validateElementOrder(patchList: JsonValue[], order: JsonValue[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey !== '') {
    items = patchList.filter((v) => {
      if (!isJsonObject(v)) smpFail('internal', `expected a map[string]interface {}, but received a ${goTypeName(v)}`);
      return v[directiveMarker] !== 'delete';
    });
  }
  let pi = 0;
  let si = 0;
  while (pi < items.length && si < order.length) {
    const item = items[pi] as JsonValue;
    if (isJsonObject(item) && has(item, directiveMarker)) {
      pi++;
      continue;
    }
    if (keyValueEqual(item, order[si] as JsonValue, mergeKey)) pi++;
    si++;
  }
  if (pi < items.length && si >= order.length) {
    smpFail('internal', `The order in patch list:\n${goV(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goV(order)}\n`);
  }
}

function keyValueEqual(left: JsonValue, right: JsonValue, mergeKey: string): boolean {
  if (mergeKey === '') return sameScalar(left, right);
  if (!isJsonObject(left)) smpFail('internal', `expected a map[string]interface {}, but received a ${goTypeName(left)}`);
  if (!isJsonObject(right)) smpFail('internal', `expected a map[string]interface {}, but received a ${goTypeName(right)}`);
  if (!has(left, mergeKey)) smpFail('internal', `map: ${goV(left)} does not contain declared merge key: ${mergeKey}`);
  if (!has(right, mergeKey)) smpFail('internal', `map: ${goV(right)} does not contain declared merge key: ${mergeKey}`);
  return sameScalar(left[mergeKey], right[mergeKey]);
}
