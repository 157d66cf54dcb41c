import assert from 'node:assert/strict';
import { test } from 'node:test';
import { varint } from './testing-support/pb-writer.js';
import { WireError, WireReader, WireType } from './wire.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

const varintCases: Array<{ name: string; input: number | bigint; int32?: number; int64?: number; uint32?: number }> = [
  { name: 'zero', input: 0, int32: 0, int64: 0, uint32: 0 },
  { name: 'one byte', input: 127, int32: 127, int64: 127 },
  { name: 'two bytes', input: 300, int32: 300, int64: 300 },
  { name: 'largest int32', input: 2147483647, int32: 2147483647, int64: 2147483647 },
  { name: 'negative int32 in ten bytes', input: -1, int32: -1, int64: -1 },
  { name: 'smallest int32', input: -2147483648, int32: -2147483648, int64: -2147483648 },
  { name: 'uint32 above int32', input: 4000000000, uint32: 4000000000, int64: 4000000000 },
  { name: 'int64 above 32 bits', input: 1234567890123, int64: 1234567890123 },
  { name: 'negative int64', input: -1234567890123, int64: -1234567890123 },
  { name: 'largest safe integer', input: 2 ** 53 - 1, int64: 2 ** 53 - 1 },
];

for (const c of varintCases) {
  test(`varint reads ${c.name}`, () => {
    const enc = varint(c.input);
    if (c.int32 !== undefined) assert.equal(new WireReader(enc).int32(), c.int32);
    if (c.int64 !== undefined) assert.equal(new WireReader(enc).int64(), c.int64);
    if (c.uint32 !== undefined) assert.equal(new WireReader(enc).uint32(), c.uint32);
    const r = new WireReader(enc);
    r.varintParts();
    assert.ok(r.done());
  });
}

test('bool reads any non-zero varint as true, including high bits only', () => {
  assert.equal(new WireReader(bytes(0)).bool(), false);
  assert.equal(new WireReader(bytes(1)).bool(), true);
  assert.equal(new WireReader(varint(2n ** 40n)).bool(), true);
});

test('tag splits field number and wire type', () => {
  assert.deepEqual(new WireReader(bytes(0x0a)).tag(), { field: 1, wire: WireType.Bytes });
  assert.deepEqual(new WireReader(varint(1000 * 8 + 5)).tag(), { field: 1000, wire: WireType.Fixed32 });
});

test('field number zero is rejected', () => {
  assert.throws(() => new WireReader(bytes(0x02)).tag(), WireError);
});

test('bytes returns the length-delimited payload and strings decode UTF-8', () => {
  const r = new WireReader(bytes(3, 0xe2, 0x82, 0xac, 1, 0x41));
  assert.equal(r.string(), '€');
  assert.deepEqual([...r.bytes()], [0x41]);
  assert.ok(r.done());
});

test('fixed64 and fixed32 read little-endian floats', () => {
  const b = Buffer.alloc(12);
  b.writeDoubleLE(1.5, 0);
  b.writeFloatLE(-2.25, 8);
  const r = new WireReader(b);
  assert.equal(r.double(), 1.5);
  assert.equal(r.float(), -2.25);
});

test('skip passes over each wire type', () => {
  const r = new WireReader(bytes(0x96, 0x01, ...new Array<number>(8).fill(0), 2, 9, 9, 0, 0, 0, 0, 7));
  r.skip(WireType.Varint);
  r.skip(WireType.Fixed64);
  r.skip(WireType.Bytes);
  r.skip(WireType.Fixed32);
  assert.equal(r.uint32(), 7);
});

const malformed: Array<{ name: string; input: Uint8Array; read: (r: WireReader) => unknown }> = [
  { name: 'a truncated varint', input: bytes(0x96), read: (r) => r.int32() },
  { name: 'a varint longer than ten bytes', input: bytes(...new Array<number>(10).fill(0xff), 1), read: (r) => r.int64() },
  { name: 'a length past the end', input: bytes(5, 1, 2), read: (r) => r.bytes() },
  { name: 'a huge length', input: varint(2n ** 40n), read: (r) => r.bytes() },
  { name: 'a truncated fixed64', input: bytes(1, 2, 3), read: (r) => r.double() },
  { name: 'a truncated fixed32', input: bytes(1), read: (r) => r.float() },
  { name: 'a start-group wire type', input: bytes(), read: (r) => r.skip(WireType.StartGroup) },
  { name: 'wire type 7', input: bytes(), read: (r) => r.skip(7) },
  { name: 'reading past the end', input: bytes(), read: (r) => r.tag() },
];

for (const c of malformed) {
  test(`reader throws WireError on ${c.name}`, () => {
    assert.throws(() => c.read(new WireReader(c.input)), WireError);
  });
}
