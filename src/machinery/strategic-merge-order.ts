// Internals of strategic merge patch: Go-like value comparison, the errors and their statuses, and the ordering
// of merged lists (patch items in patch order, server-only items woven in by their original positions).
import { badRequest, Reason, StatusError } from './errors.js';
import { isJsonObject, type JsonValue } from './deep.js';
import { goStableSort, goTypeName, goV } from './go-format.js';

/** Go's dynamic type of a decoded JSON value. */
export type ItemKind = 'nil' | 'map' | 'slice' | 'string' | 'bool' | 'int64' | 'float64';

/** The dynamic type Kubernetes' decoder gives a JSON value (integral numbers are int64). */
export function goTypeOf(v: JsonValue | undefined): ItemKind {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 9.2e18 ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

/** Go's `==` on two decoded values: same type and value; missing and null are both nil. */
export function sameScalar(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const ta = goTypeOf(a);
  if (ta !== goTypeOf(b)) return false;
  return ta === 'nil' || a === b;
}

/** Kubernetes' fixed texts for malformed strategic merge patches. */
export const SmpErrors = {
  primitiveList: 'invalid patch format of primitive list',
  retainKeys: 'invalid patch format of retainKeys',
  setElementOrder: 'invalid patch format of setElementOrder list',
  listOfLists: 'lists of lists are not supported',
  unsupported: 'strategic merge patch format is not supported',
} as const;

/**
 * A strategic merge patch that could not be applied. kube-apiserver answers 400 for malformed directives, 422
 * (with a fixed message) for lists of lists, and 500 with the bare text for everything else; `detail` always
 * holds the underlying text.
 */
export class StrategicMergePatchError extends StatusError {
  readonly detail: string;
  constructor(status: ConstructorParameters<typeof StatusError>[0], detail: string) {
    super(status);
    this.detail = detail;
  }
}

/** How a failure is reported: 400, 422, 500 with the text, or 500 for what crashes Kubernetes' handler. */
export type SmpFailure = 'bad-request' | 'invalid' | 'internal' | 'panic';

/** Throws the StrategicMergePatchError for a failure of the given kind. */
export function smpFail(kind: SmpFailure, detail: string): never {
  switch (kind) {
    case 'bad-request':
      throw new StrategicMergePatchError(badRequest(detail).status, detail);
    case 'invalid':
      throw new StrategicMergePatchError(
        { code: 422, reason: Reason.Invalid, message: 'the server rejected our request due to an error in our request', details: {} },
        detail,
      );
    default:
      // Errors that are not API statuses become a 500 with the text and no reason.
      throw new StrategicMergePatchError({ code: 500, message: detail }, detail);
  }
}

function badArgType(v: JsonValue | undefined): never {
  return smpFail('internal', `expected a map[string]interface {}, but received a ${goTypeName(v)}`);
}

function noMergeKey(m: JsonValue, mergeKey: string): never {
  return smpFail('internal', `map: ${goV(m)} does not contain declared merge key: ${mergeKey}`);
}

// findMapInSliceBasedOnKeyValue: whether a map with that merge-key value is in the list.
function containsKey(list: readonly JsonValue[], mergeKey: string, value: JsonValue | undefined): boolean {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isJsonObject(v)) smpFail('internal', `value for key ${i} is not a map`);
    if (Object.prototype.hasOwnProperty.call(v, mergeKey) && sameScalar(v[mergeKey], value)) return true;
  }
  return false;
}

/** Splits scalars into those present in `by` and the rest. */
export function partitionPrimitives(items: readonly JsonValue[], by: readonly JsonValue[]): [JsonValue[], JsonValue[]] {
  const inBy: JsonValue[] = [];
  const rest: JsonValue[] = [];
  for (const v of items) (by.some((b) => sameScalar(b, v)) ? inBy : rest).push(v);
  return [inBy, rest];
}

/** Splits maps into those whose merge key appears in `by` and the rest. */
export function partitionMaps(items: readonly JsonValue[], by: readonly JsonValue[], mergeKey: string): [JsonValue[], JsonValue[]] {
  const inBy: JsonValue[] = [];
  const rest: JsonValue[] = [];
  for (const v of items) {
    if (!isJsonObject(v)) badArgType(v);
    if (!Object.prototype.hasOwnProperty.call(v, mergeKey)) noMergeKey(v, mergeKey);
    (containsKey(by, mergeKey, v[mergeKey]) ? inBy : rest).push(v);
  }
  return [inBy, rest];
}

/** The scalars of `current` that are not in `toDelete` ($deleteFromPrimitiveList). */
export function deleteFromSlice(current: readonly JsonValue[], toDelete: readonly JsonValue[]): JsonValue[] {
  return current.filter((v) => !toDelete.some((d) => sameScalar(d, v)));
}

// Position of an item in a list: by merge-key value for maps, by value otherwise.
function indexIn(list: readonly JsonValue[], item: JsonValue, mergeKey: string, kind: ItemKind): number {
  const key = (x: JsonValue | undefined): JsonValue | undefined => (kind === 'map' ? (isJsonObject(x) ? x[mergeKey] : undefined) : x);
  const want = key(item);
  for (let i = 0; i < list.length; i++) if (sameScalar(key(list[i]), want)) return i;
  return -1;
}

// Sorts `toSort` by the positions of its items in `order`; `$patch: delete` items go last.
function normalizeSliceOrder(toSort: JsonValue[], order: readonly JsonValue[], mergeKey: string, kind: ItemKind): JsonValue[] {
  let items = toSort;
  let toDelete: JsonValue[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const v of list) {
        if (!isJsonObject(v)) badArgType(v);
        if (!Object.prototype.hasOwnProperty.call(v, mergeKey)) noMergeKey(v, mergeKey);
      }
    }
    items = [];
    for (const v of toSort) ((v as Record<string, JsonValue>)['$patch'] === 'delete' ? toDelete : items).push(v);
  } else {
    items = [...toSort];
    toDelete = [];
  }
  // Kubernetes' comparison treats an item missing from `order` as smaller than anything; keep its exact sort.
  goStableSort(items, (a, b) => {
    const ia = indexIn(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return items.concat(toDelete);
}

/** The lists and orders normalizeElementOrder works on. */
export interface ElementOrder {
  /** Items that come from the patch (or the `$setElementOrder` list). */
  patch: JsonValue[];
  /** Items only the server has. */
  serverOnly: JsonValue[];
  /** The order of the patch items. */
  patchOrder: readonly JsonValue[];
  /** The order of the live list. */
  serverOrder: readonly JsonValue[];
  mergeKey: string;
  kind: ItemKind;
}

/**
 * Orders a merged list: patch items by the patch order, server-only items by the live order, then weaves the
 * server-only items in before the first patch item that comes after them in the live list.
 */
export function normalizeElementOrder(o: ElementOrder): JsonValue[] {
  const right = normalizeSliceOrder(o.patch, o.patchOrder, o.mergeKey, o.kind);
  const left = normalizeSliceOrder(o.serverOnly, o.serverOrder, o.mergeKey, o.kind);
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++] as JsonValue);
    else if (j >= right.length) out.push(left[i++] as JsonValue);
    else {
      const li = indexIn(o.serverOrder, left[i] as JsonValue, o.mergeKey, o.kind);
      const ri = indexIn(o.serverOrder, right[j] as JsonValue, o.mergeKey, o.kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++] as JsonValue);
      else out.push(right[j++] as JsonValue);
    }
  }
  return out;
}
