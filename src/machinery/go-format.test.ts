import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goS, goStableSort, goTypeName, goV } from './go-format.js';

const printed: { value: unknown; v: string }[] = [
  { value: null, v: '<nil>' },
  { value: 'x', v: 'x' },
  { value: 12, v: '12' },
  { value: 1.5, v: '1.5' },
  { value: 0.00001, v: '1e-05' },
  { value: 1234567.5, v: '1.2345675e+06' },
  { value: true, v: 'true' },
  { value: { b: [1, 'x'], a: { c: null } }, v: 'map[a:map[c:<nil>] b:[1 x]]' },
];

for (const c of printed) {
  test(`%v of ${JSON.stringify(c.value)} is ${c.v}`, () => assert.equal(goV(c.value), c.v));
}

test('%s marks non-strings as Go does', () => {
  assert.equal(goS('merge'), 'merge');
  assert.equal(goS(1), '%!s(int64=1)');
  assert.equal(goS(null), '%!s(<nil>)');
});

test('type names are those of decoded JSON in Go', () => {
  assert.deepEqual([{}, [], 'a', 1, 1.5, false, null].map(goTypeName), ['map[string]interface {}', '[]interface {}', 'string', 'int64', 'float64', 'bool', '%!s(<nil>)']);
});

test('goStableSort sorts stably with a proper comparison, past the 20-item blocks', () => {
  const items = Array.from({ length: 95 }, (_, i) => ({ k: (i * 37) % 10, i }));
  const want = [...items].sort((a, b) => a.k - b.k);
  goStableSort(items, (a, b) => a.k < b.k);
  assert.deepEqual(items, want);
});
