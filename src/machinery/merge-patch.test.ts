import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, createMergePatch } from './merge-patch.js';
import { StatusError } from './errors.js';
import type { JsonValue } from './deep.js';

// The examples of RFC 7386 appendix A, plus the ways kube-apiserver's library departs from it.
const cases: { name: string; doc: JsonValue; patch: JsonValue; want: JsonValue }[] = [
  { name: 'replace a member', doc: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'add a member', doc: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
  { name: 'null removes a member', doc: { a: 'b' }, patch: { a: null }, want: {} },
  { name: 'null removes only that member', doc: { a: 'b', b: 'c' }, patch: { a: null }, want: { b: 'c' } },
  { name: 'a scalar replaces an array', doc: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'an array replaces a scalar', doc: { a: 'c' }, patch: { a: ['b'] }, want: { a: ['b'] } },
  { name: 'objects merge recursively', doc: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, want: { a: { b: 'd' } } },
  { name: 'arrays are replaced whole', doc: { a: [{ b: 'c' }] }, patch: { a: [1] }, want: { a: [1] } },
  { name: 'an array patch replaces the document', doc: { a: 'b' }, patch: ['c'], want: ['c'] },
  { name: 'existing nulls in the document stay', doc: { e: null }, patch: { a: 1 }, want: { e: null, a: 1 } },
  { name: 'nulls inside a new object are dropped', doc: {}, patch: { a: { bb: { ccc: null } } }, want: { a: { bb: {} } } },
  { name: 'nulls inside objects of a new array are dropped', doc: {}, patch: { a: [{ x: null, y: 1 }, null] }, want: { a: [{ y: 1 }, null] } },
  { name: 'an object replaced by an array keeps the array as sent', doc: { a: { b: 1 } }, patch: { a: [{ x: null }] }, want: { a: [{ x: null }] } },
  { name: 'a null member replaced by an object is pruned', doc: { a: null }, patch: { a: { b: null, c: 1 } }, want: { a: { c: 1 } } },
  {
    name: 'labels are merged and removed',
    doc: { metadata: { name: 'x', labels: { a: '1', b: '2' } }, spec: { replicas: 1 } },
    patch: { metadata: { labels: { b: null, c: '3' } }, spec: { replicas: 3 } },
    want: { metadata: { name: 'x', labels: { a: '1', c: '3' } }, spec: { replicas: 3 } },
  },
];

for (const c of cases) {
  test(`merge patch: ${c.name}`, () => {
    const before = JSON.stringify([c.doc, c.patch]);
    assert.deepEqual(applyMergePatch(c.doc, c.patch), c.want);
    assert.equal(JSON.stringify([c.doc, c.patch]), before, 'inputs are not changed');
  });
}

for (const patch of [null, 'bar', 1, true]) {
  test(`merge patch ${JSON.stringify(patch)} is refused with 400 Invalid JSON Patch`, () => {
    assert.throws(() => applyMergePatch({ a: 'foo' }, patch), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'Invalid JSON Patch');
  });
}

const diffs: { name: string; original: JsonValue; modified: JsonValue; patch: JsonValue }[] = [
  { name: 'no change gives an empty patch', original: { a: 1, b: { c: [1] } }, modified: { a: 1, b: { c: [1] } }, patch: {} },
  { name: 'changed and added members', original: { a: 1, b: 'x' }, modified: { a: 2, b: 'x', c: true }, patch: { a: 2, c: true } },
  { name: 'removed members become null', original: { a: 1, b: 2 }, modified: { a: 1 }, patch: { b: null } },
  { name: 'nested objects diff recursively', original: { m: { l: { a: '1', b: '2' } } }, modified: { m: { l: { a: '1', c: '3' } } }, patch: { m: { l: { b: null, c: '3' } } } },
  { name: 'changed arrays are sent whole', original: { a: [1, 2] }, modified: { a: [1, 3] }, patch: { a: [1, 3] } },
  { name: 'a change of type sends the new value', original: { a: { b: 1 } }, modified: { a: 'x' }, patch: { a: 'x' } },
  { name: 'lists of objects diff item by item', original: [{ a: 1 }, { b: 1 }], modified: [{ a: 2 }, { b: 1 }], patch: [{ a: 2 }, {}] },
];

for (const c of diffs) {
  test(`createMergePatch: ${c.name}`, () => {
    assert.deepEqual(createMergePatch(c.original, c.modified), c.patch);
    if (!Array.isArray(c.original)) assert.deepEqual(applyMergePatch(c.original, c.patch), c.modified);
  });
}

test('createMergePatch refuses mismatched documents', () => {
  assert.throws(() => createMergePatch([{}], {}), /Mismatched JSON Documents/);
  assert.throws(() => createMergePatch([{}], [{}, {}]), /Invalid JSON Document/);
  assert.throws(() => createMergePatch('a', {}), /Invalid JSON Document/);
});
