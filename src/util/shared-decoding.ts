// Decoded forms carried beside encoded bytes: an in-process reader takes the object the writer already holds.
//
// The API server memoizes every revision's decoded object and JSON. When a response body (or one chunk of a watch
// stream) is exactly the JSON of such an object, the server attaches the object to the bytes; a client that reads
// the bytes in the same process, and promises not to change what it gets, takes the object instead of parsing the
// bytes again. Over a socket the bytes are new buffers with nothing attached, and the client parses as usual.

const attached = new WeakMap<object, unknown>();

/** Attaches `value`, the decoded form of `bytes`, to them; returns `bytes`. `value` must never change afterwards. */
export function attachDecoded<T extends object>(bytes: T, value: unknown): T {
  attached.set(bytes, freezeShared ? deepFreeze(value) : value);
  return bytes;
}

/** The decoded form attached to `bytes`, if any. Shared: never mutate it. */
export function decodedOf(bytes: unknown): unknown {
  return typeof bytes === 'object' && bytes !== null ? attached.get(bytes) : undefined;
}

/**
 * Whether shared decoded objects are frozen (`KIN_FREEZE_SHARED=1`, as the test suite runs): a component that
 * mutates an object it shares with the API server's cache then fails loudly in tests instead of corrupting what
 * the server serves. Off by default, as freezing costs as much as decoding.
 */
export const freezeShared = typeof process !== 'undefined' && process.env['KIN_FREEZE_SHARED'] === '1';

/** Freezes a JSON value and everything in it; returns it. */
export function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return v;
  Object.freeze(v);
  for (const k in v as Record<string, unknown>) deepFreeze((v as Record<string, unknown>)[k]);
  return v;
}
