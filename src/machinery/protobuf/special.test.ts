import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SpecialType } from './schema.js';
import { goDuration, specialJson } from './special.js';
import { pb, type PbField } from './testing-support/pb-writer.js';
import { WireError } from './wire.js';

const cases: Array<{ name: string; type: SpecialType; fields: PbField[]; want: unknown }> = [
  { name: 'Time from seconds, nanos dropped', type: '@time', fields: [[1, 1700000000], [2, 123456789]], want: '2023-11-14T22:13:20Z' },
  { name: 'Time before 1970', type: '@time', fields: [[1, -86400]], want: '1969-12-31T00:00:00Z' },
  { name: 'Time of Go zero time is null', type: '@time', fields: [[1, -62135596800]], want: null },
  { name: 'Time in year 1', type: '@time', fields: [[1, -62135596799]], want: '0001-01-01T00:00:01Z' },
  { name: 'empty Time is null', type: '@time', fields: [], want: null },
  { name: 'MicroTime keeps microseconds', type: '@mtime', fields: [[1, 1700000000], [2, 123456789]], want: '2023-11-14T22:13:20.123456Z' },
  { name: 'MicroTime with whole seconds', type: '@mtime', fields: [[1, 1700000000]], want: '2023-11-14T22:13:20.000000Z' },
  { name: 'empty MicroTime is null', type: '@mtime', fields: [], want: null },
  { name: 'Duration', type: '@dur', fields: [[1, 90 * 60 * 1e9]], want: '1h30m0s' },
  { name: 'Quantity', type: '@qty', fields: [[1, '1500m']], want: '1500m' },
  { name: 'Quantity without a string is zero', type: '@qty', fields: [], want: '0' },
  { name: 'IntOrString int', type: '@ios', fields: [[1, 0], [2, -3]], want: -3 },
  { name: 'IntOrString string', type: '@ios', fields: [[1, 1], [3, '10%']], want: '10%' },
  { name: 'empty IntOrString is 0', type: '@ios', fields: [], want: 0 },
  { name: 'RawExtension holds JSON', type: '@raw', fields: [[1, '{"a":[1,true]}']], want: { a: [1, true] } },
  { name: 'empty RawExtension is null', type: '@raw', fields: [], want: null },
  { name: 'FieldsV1 holds JSON', type: '@fields', fields: [[1, '{"f:spec":{".":{}}}']], want: { 'f:spec': { '.': {} } } },
  { name: 'string list wrapper', type: '@strs', fields: [[1, 'a'], [1, ''], [1, 'c']], want: ['a', '', 'c'] },
];

for (const c of cases) {
  test(`${c.name} decodes to ${JSON.stringify(c.want)}`, () => {
    assert.deepEqual(specialJson(c.type, pb(c.fields)), c.want);
  });
}

const bad: Array<{ name: string; type: SpecialType; fields: PbField[] }> = [
  { name: 'Time seconds sent as a string', type: '@time', fields: [[1, 'x']] },
  { name: 'Time in year 10000', type: '@time', fields: [[1, 253402300800]] },
  { name: 'Time before year 0', type: '@time', fields: [[1, -62167219201]] },
  { name: 'Quantity sent as a varint', type: '@qty', fields: [[1, 5]] },
  { name: 'empty Quantity string', type: '@qty', fields: [[1, '']] },
  { name: 'IntOrString of type 2', type: '@ios', fields: [[1, 2]] },
  { name: 'RawExtension that is not JSON', type: '@raw', fields: [[1, 'nope']] },
];

for (const c of bad) {
  test(`${c.name} is malformed`, () => {
    assert.throws(() => specialJson(c.type, pb(c.fields)), WireError);
  });
}

const durations: Array<[number, string]> = [
  [0, '0s'],
  [1, '1ns'],
  [1500, '1.5µs'],
  [2_000_000, '2ms'],
  [1_500_000_000, '1.5s'],
  [60e9, '1m0s'],
  [3600e9, '1h0m0s'],
  [3723e9 + 5e8, '1h2m3.5s'],
  [-90e9, '-1m30s'],
];

for (const [ns, want] of durations) {
  test(`goDuration(${ns}) is ${want}`, () => assert.equal(goDuration(ns), want));
}
