// Key ordering, prefix ranges and input checks shared by every driver.
import { StorageError, type KeyValue } from './backend.js';

// Code units from U+D800 upwards are folded so that JS strings compare in code point order, which is the
// byte order of their UTF-8 encoding: the order SQLite (and etcd) keep keys in. Surrogates (supplementary
// characters) sort after U+E000..U+FFFF in code point order but before them in UTF-16 order.
function fold(u: number): number {
  return u < 0xd800 ? u : u >= 0xe000 ? u - 0x800 : u + 0x2000;
}

/** Compares two keys in UTF-8 byte order (negative, zero or positive). */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < 0xd800 && y < 0xd800 ? x - y : fold(x) - fold(y);
  }
  return a.length - b.length;
}

/**
 * The smallest string greater than every string that starts with `prefix`, or undefined when there is none
 * (the empty prefix). Used as the exclusive upper bound of a prefix range.
 */
export function prefixEnd(prefix: string): string | undefined {
  const cps = Array.from(prefix);
  while (cps.length > 0) {
    const last = cps.pop() as string;
    let cp = last.codePointAt(0) as number;
    if (cp < 0x10ffff) {
      cp += 1;
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000; // skip the surrogate range: not characters
      return cps.join('') + String.fromCodePoint(cp);
    }
  }
  return undefined;
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Default largest value a driver accepts, as etcd's default request limit (1.5 MiB). */
export const defaultMaxValueBytes = 1.5 * 1024 * 1024;

/** Throws a StorageError when a key or value cannot be stored: drivers call this before any write. */
export function checkWrite(key: unknown, value: unknown, maxValueBytes: number): void {
  checkKey(key);
  if (!(value instanceof Uint8Array)) throw new StorageError('Unavailable', `invalid value for key ${key}: not a Uint8Array`);
  if (value.byteLength > maxValueBytes) {
    throw new StorageError('TooLarge', `value of ${value.byteLength} bytes for key ${key} is over the limit of ${maxValueBytes} bytes`);
  }
}

/** Throws a StorageError unless `key` is a non-empty, well-formed string. */
export function checkKey(key: unknown): asserts key is string {
  // A lone surrogate has no UTF-8 form: SQLite would store a replacement character and two keys could collide.
  if (typeof key !== 'string' || key.length === 0 || loneSurrogate.test(key)) {
    throw new StorageError('Unavailable', `invalid key ${JSON.stringify(key)}: keys are non-empty well-formed strings`);
  }
}

/** Throws a StorageError when a read or watch revision is not a non-negative integer. */
export function checkRevision(revision: unknown): asserts revision is number {
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    throw new StorageError('Unavailable', `invalid revision ${String(revision)}`);
  }
}

/** The Compacted error for a read or watch at `revision` below `compactRevision`. */
export function compactedError(revision: number, compactRevision: number): StorageError {
  return new StorageError('Compacted', `revision ${revision} has been compacted (oldest available: ${compactRevision})`, undefined, compactRevision);
}

/** The error for a read at a revision the store has not reached yet. */
export function futureRevisionError(revision: number, current: number): StorageError {
  return new StorageError('Unavailable', `revision ${revision} is newer than the current revision ${current}`);
}

/** The Conflict error carrying the key's current state. */
export function conflictError(key: string, expected: number, current: KeyValue): StorageError {
  return new StorageError('Conflict', `key ${key} is at revision ${current.modRevision}, not ${expected}`, current);
}

/** The NotFound error for `key`. */
export function notFoundError(key: string): StorageError {
  return new StorageError('NotFound', `key ${key} not found`);
}

/** The AlreadyExists error for `key`. */
export function alreadyExistsError(key: string): StorageError {
  return new StorageError('AlreadyExists', `key ${key} already exists`);
}

/** The error every call gets once the backend is closed. */
export function closedError(): StorageError {
  return new StorageError('Unavailable', 'storage backend is closed');
}
