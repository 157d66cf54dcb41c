// A tiny protobuf writer for tests: builds hand-made messages and Kubernetes envelopes.
import { PROTOBUF_MAGIC } from '../decode.js';

/** A value to write: string/bytes/nested fields are length-delimited, numbers and booleans varints. */
export type PbValue = string | number | bigint | boolean | Uint8Array | PbField[] | { double: number } | { fixed32: number };

/** One field: number and value (repeat the number to write a repeated field). */
export type PbField = readonly [number, PbValue];

/** Encodes a varint; negative numbers take ten bytes (two's complement), as Go writes int32/int64. */
export function varint(v: number | bigint): Uint8Array {
  let n = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) b |= 0x80;
    out.push(b);
  } while (n > 0n);
  return Uint8Array.from(out);
}

function tag(field: number, wire: number): Uint8Array {
  return varint(field * 8 + wire);
}

function delimited(field: number, bytes: Uint8Array): Uint8Array {
  return Buffer.concat([tag(field, 2), varint(bytes.length), bytes]);
}

/** Encodes a message from its fields, in the order given. */
export function pb(fields: readonly PbField[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [field, v] of fields) {
    if (typeof v === 'string') parts.push(delimited(field, Buffer.from(v, 'utf8')));
    else if (typeof v === 'number' || typeof v === 'bigint') parts.push(tag(field, 0), varint(v));
    else if (typeof v === 'boolean') parts.push(tag(field, 0), varint(v ? 1 : 0));
    else if (v instanceof Uint8Array) parts.push(delimited(field, v));
    else if (Array.isArray(v)) parts.push(delimited(field, pb(v)));
    else if ('double' in v) {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(v.double);
      parts.push(tag(field, 1), b);
    } else {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v.fixed32);
      parts.push(tag(field, 5), b);
    }
  }
  return Buffer.concat(parts);
}

/** A whole request body: magic, then runtime.Unknown {typeMeta, raw, contentEncoding, contentType}. */
export function envelope(apiVersion: string, kind: string, raw: readonly PbField[] | Uint8Array): Uint8Array {
  const rawBytes = raw instanceof Uint8Array ? raw : pb(raw);
  return Buffer.concat([PROTOBUF_MAGIC, pb([[1, [[1, apiVersion], [2, kind]]], [2, rawBytes], [3, ''], [4, '']])]);
}

/** An empty ObjectMeta as Go writes it: every non-pointer scalar present, creationTimestamp empty. */
export function objectMeta(extra: readonly PbField[] = [], name = ''): PbField[] {
  return [[1, name], [2, ''], [3, ''], [4, ''], [5, ''], [6, ''], [7, 0], [8, new Uint8Array(0)], ...extra];
}
