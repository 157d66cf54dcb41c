import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity, compareQuantities } from './quantity.js';

const cases: [unknown, string | undefined][] = [
  ['0.5', '500m'], ['1024Mi', '1Gi'], ['100u', '1m'], ['1.5Gi', '1536Mi'], ['1e3', '1e3'], ['2000', '2k'],
  ['123Mi', '123Mi'], [1, '1'], [0.25, '250m'], ['1000m', '1'], ['abc', undefined],
];
for (const [input, want] of cases) test(`resource lists store ${JSON.stringify(input)} as ${String(want)}`, () => assert.equal(canonicalQuantity(input), want));

test('quantities compare by value across notations', () => {
  assert.equal(compareQuantities('1Gi', '1024Mi'), 0);
  assert.equal(compareQuantities('500m', '0.6'), -1);
  assert.equal(compareQuantities('1G', '1Gi'), -1);
  assert.equal(compareQuantities('x', '1'), undefined);
});
