import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clone, deepEqual } from './deep.js';

const equal: { name: string; a: unknown; b: unknown; want: boolean }[] = [
  { name: 'equal scalars', a: 1, b: 1, want: true },
  { name: 'different scalars', a: '1', b: 1, want: false },
  { name: 'null and an object', a: null, b: {}, want: false },
  { name: 'objects in any key order', a: { a: 1, b: [1, { c: 2 }] }, b: { b: [1, { c: 2 }], a: 1 }, want: true },
  { name: 'an extra key', a: { a: 1 }, b: { a: 1, b: 2 }, want: false },
  { name: 'an undefined property counts as absent', a: { a: 1, b: undefined }, b: { a: 1 }, want: true },
  { name: 'a null property is a value', a: { a: null }, b: {}, want: false },
  { name: 'arrays in order', a: [1, 2], b: [2, 1], want: false },
  { name: 'an array and an object', a: [], b: {}, want: false },
];

for (const c of equal) {
  test(`deepEqual: ${c.name}`, () => {
    assert.equal(deepEqual(c.a, c.b), c.want);
    assert.equal(deepEqual(c.b, c.a), c.want);
  });
}

test('clone copies deeply and shares nothing', () => {
  const v = { a: [1, { b: 'x' }], c: { d: null } };
  const c = clone(v);
  assert.deepEqual(c, v);
  assert.notEqual(c.a, v.a);
  assert.notEqual(c.a[1], v.a[1]);
  assert.notEqual(c.c, v.c);
});

test('clone keeps a __proto__ key as data', () => {
  const v = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
  const c = clone(v);
  assert.equal(Object.getPrototypeOf(c), Object.prototype);
  assert.deepEqual(Object.keys(c), ['__proto__']);
});
