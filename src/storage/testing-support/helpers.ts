// Small helpers shared by the storage tests.
import assert from 'node:assert/strict';
import { StorageError } from '../backend.js';

/** Bytes of a string. */
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
/** String of bytes. */
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Awaits `p` and checks it rejects with a StorageError of `code`; returns the error. */
export async function rejectsWith(p: Promise<unknown>, code: StorageError['code']): Promise<StorageError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StorageError, `expected a StorageError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

