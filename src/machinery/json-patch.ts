// JSON Patch (RFC 6902, `application/json-patch+json`) applied exactly as kube-apiserver applies it, including the
// leniencies of the library it uses (negative array indexes, `replace` of a missing object key, `copy` of a
// missing key yielding null) and its error statuses: 400 for a patch that is not a list of operations, 413 for
// more than 10000 operations, 422 with a fixed message for any operation that fails.
import { badRequest, Reason, StatusError } from './errors.js';
import { clone, deepEqual, isJsonObject, type JsonObject, type JsonValue } from './deep.js';

/** One decoded operation: `{op, path, value?, from?}`; fields are checked when it is applied. */
export type JsonPatchOperation = Readonly<Record<string, unknown>>;

/** Most operations kube-apiserver accepts in one JSON patch. */
export const maxJsonPatchOperations = 10000;
/** Default limit on the bytes all `copy` operations of one patch may add (kube-apiserver's 3 MiB). */
export const defaultJsonPatchMaxCopyBytes = 3 * 1024 * 1024;

/**
 * A failed operation. The API reports every such failure with one fixed message (`the server rejected our
 * request due to an error in our request`); `detail` says what went wrong, for logs and tests.
 */
export class JsonPatchError extends StatusError {
  readonly detail: string;
  constructor(detail: string) {
    super({ code: 422, reason: Reason.Invalid, message: 'the server rejected our request due to an error in our request', details: {} });
    this.detail = detail;
  }
}

// The JSON type names Go's decoder uses in its messages.
function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string, number
}

/**
 * Checks that a parsed patch body is a list of operation objects, as kube-apiserver's decoding does: 400
 * BadRequest otherwise, 413 RequestEntityTooLarge past 10000 operations. `null` is an empty patch.
 */
export function decodeJsonPatch(patch: unknown): JsonPatchOperation[] {
  if (patch === null) return [];
  if (!Array.isArray(patch)) throw badRequest(`json: cannot unmarshal ${goJsonType(patch)} into Go value of type jsonpatch.Patch`);
  for (const op of patch) {
    if (op !== null && !isJsonObject(op)) throw badRequest(`json: cannot unmarshal ${goJsonType(op)} into Go value of type jsonpatch.Operation`);
  }
  if (patch.length > maxJsonPatchOperations) {
    throw new StatusError({
      code: 413,
      reason: Reason.RequestEntityTooLarge,
      message: `Request entity too large: The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${patch.length}`,
    });
  }
  return patch.map((op) => (op ?? {}) as JsonPatchOperation);
}

/** Options for applyJsonPatch. */
export interface JsonPatchOptions {
  /** Bytes `copy` operations may add in total (default 3 MiB); 0 or less means no limit. */
  maxCopyBytes?: number;
}

type Container = JsonObject | JsonValue[];

const decodeKey = (k: string): string => k.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));

// strconv.Atoi: an optional sign and decimal digits within the int64 range.
function atoi(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return Math.abs(n) > 9.2e18 ? undefined : n;
}

function fail(detail: string): never {
  throw new JsonPatchError(detail);
}

// Reads a member of a container; undefined stands for Go's nil (missing key or JSON null).
function get(c: Container, key: string): JsonValue | undefined {
  if (!Array.isArray(c)) return Object.prototype.hasOwnProperty.call(c, key) ? (c[key] ?? undefined) : undefined;
  let i = atoi(key);
  if (i === undefined) fail(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  if (i < 0) {
    if (i < -c.length) fail(`Unable to access invalid index: ${i}`);
    i += c.length;
  }
  if (i >= c.length) fail(`Unable to access invalid index: ${i}`);
  return c[i] ?? undefined;
}

function set(c: Container, key: string, v: JsonValue): void {
  if (!Array.isArray(c)) {
    setMember(c, key, v);
    return;
  }
  let i = atoi(key) ?? fail(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  if (i < 0) {
    if (i < -c.length) fail(`Unable to access invalid index: ${i}`);
    i += c.length;
  }
  c[i] = v;
}

function setMember(o: JsonObject, key: string, v: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

function add(c: Container, key: string, v: JsonValue): void {
  if (!Array.isArray(c)) {
    setMember(c, key, v);
    return;
  }
  if (key === '-') {
    c.push(v);
    return;
  }
  let i = atoi(key) ?? fail(`value was not a proper array index: '${key}'`);
  const size = c.length + 1;
  if (i >= size) fail(`Unable to access invalid index: ${i}`);
  if (i < 0) {
    if (i < -size) fail(`Unable to access invalid index: ${i}`);
    i += size;
  }
  c.splice(i, 0, v);
}

function remove(c: Container, key: string): void {
  if (!Array.isArray(c)) {
    if (!Object.prototype.hasOwnProperty.call(c, key)) fail(`Unable to remove nonexistent key: ${key}`);
    delete c[key];
    return;
  }
  let i = atoi(key) ?? fail(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  if (i >= c.length) fail(`Unable to access invalid index: ${i}`);
  if (i < 0) {
    if (i < -c.length) fail(`Unable to access invalid index: ${i}`);
    i += c.length;
  }
  c.splice(i, 1);
}

// Finds the container holding the last segment of `path`, or undefined. As in the library Kubernetes uses, the
// first segment is ignored whatever it is, so `a/b` means `/b`.
function findParent(root: Container, path: string): [Container, string] | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let doc: Container = root;
  for (let i = 1; i < split.length - 1; i++) {
    let next: JsonValue | undefined;
    try {
      next = get(doc, decodeKey(split[i] ?? ''));
    } catch (e) {
      if (e instanceof JsonPatchError) return undefined;
      throw e;
    }
    if (next === undefined || next === null || typeof next !== 'object') return undefined;
    doc = next;
  }
  return [doc, decodeKey(split[split.length - 1] ?? '')];
}

function stringField(op: JsonPatchOperation, name: 'path' | 'from', missing: string): string {
  const v = op[name];
  if (v === undefined || v === null) fail(missing);
  if (typeof v !== 'string') fail(`json: cannot unmarshal ${goJsonType(v)} into Go value of type string`);
  return v;
}

/** The value of an operation: undefined when absent, a private copy otherwise. */
function valueOf(op: JsonPatchOperation): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(op, 'value') ? clone(op.value as JsonValue) : undefined;
}

/**
 * Applies a JSON patch to a document and returns the patched copy; `doc` is not changed. `patch` is the parsed
 * request body. Throws StatusErrors with kube-apiserver's statuses (see decodeJsonPatch and JsonPatchError).
 */
export function applyJsonPatch<T extends JsonValue>(doc: T, patch: unknown, opts: JsonPatchOptions = {}): JsonValue {
  const ops = decodeJsonPatch(patch);
  const maxCopy = opts.maxCopyBytes ?? defaultJsonPatchMaxCopyBytes;
  if (typeof doc !== 'object' || doc === null) fail('document is not an object or array');
  let root: Container = clone(doc as Container);
  let copied = 0;
  for (const op of ops) {
    const kind = typeof op.op === 'string' ? op.op : 'unknown';
    switch (kind) {
      case 'add': {
        const path = stringField(op, 'path', 'add operation failed to decode path');
        const target = findParent(root, path) ?? fail(`add operation does not apply: doc is missing path: "${path}"`);
        add(target[0], target[1], valueOf(op) ?? null);
        break;
      }
      case 'remove': {
        const path = stringField(op, 'path', 'remove operation failed to decode path');
        const target = findParent(root, path) ?? fail(`remove operation does not apply: doc is missing path: "${path}"`);
        remove(target[0], target[1]);
        break;
      }
      case 'replace': {
        const path = stringField(op, 'path', 'replace operation failed to decode path');
        if (path === '') {
          const v = valueOf(op);
          if (typeof v !== 'object' || v === null) fail('replace operation value must be object or array');
          root = v;
          break;
        }
        const target = findParent(root, path) ?? fail(`replace operation does not apply: doc is missing path: ${path}`);
        // Arrays need an existing index; objects take the key whether or not it exists.
        get(target[0], target[1]);
        set(target[0], target[1], valueOf(op) ?? null);
        break;
      }
      case 'move': {
        const from = stringField(op, 'from', 'move operation failed to decode from');
        const src = findParent(root, from) ?? fail(`move operation does not apply: doc is missing from path: ${from}`);
        const v = get(src[0], src[1]);
        remove(src[0], src[1]);
        const path = stringField(op, 'path', 'move operation failed to decode path');
        const dst = findParent(root, path) ?? fail(`move operation does not apply: doc is missing destination path: ${path}`);
        add(dst[0], dst[1], v ?? null);
        break;
      }
      case 'copy': {
        const from = stringField(op, 'from', 'copy operation failed to decode from');
        const src = findParent(root, from) ?? fail(`copy operation does not apply: doc is missing from path: ${from}`);
        const v = get(src[0], src[1]) ?? null;
        const path = stringField(op, 'path', 'copy operation failed to decode path');
        const dst = findParent(root, path) ?? fail(`copy operation does not apply: doc is missing destination path: ${path}`);
        copied += Buffer.byteLength(JSON.stringify(v));
        if (maxCopy > 0 && copied > maxCopy) {
          fail(`Unable to complete the copy, the accumulated size increase of copy is ${copied}, exceeding the limit ${maxCopy}`);
        }
        add(dst[0], dst[1], clone(v));
        break;
      }
      case 'test': {
        const path = stringField(op, 'path', 'test operation failed to decode path');
        const want = valueOf(op);
        let got: JsonValue | undefined;
        if (path === '') {
          got = root;
        } else {
          const target = findParent(root, path) ?? fail(`test operation does not apply: is missing path: ${path}`);
          got = get(target[0], target[1]);
        }
        // A missing or null member equals a null value; an absent value never matches.
        const ok = got === undefined ? want === null : want !== undefined && deepEqual(got, want);
        if (!ok) fail(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        fail(`Unexpected kind: ${kind}`);
    }
  }
  return root;
}
