import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration } from './printing.js';

const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
const cases: [number, string][] = [
  [-5 * s, '<invalid>'], [-1 * s, '0s'], [0, '0s'], [119 * s, '119s'], [2 * m, '2m'], [3 * m + 12 * s, '3m12s'],
  [25 * m, '25m'], [179 * m, '179m'], [3 * h, '3h'], [5 * h + 3 * m, '5h3m'], [30 * h, '30h'], [2 * d + 3 * h, '2d3h'],
  [7 * d, '7d'], [45 * d, '45d'], [2 * 365 * d + 30 * d, '2y30d'], [9 * 365 * d, '9y'],
];
for (const [ms, want] of cases) test(`humanDuration(${ms}) is ${want}`, () => assert.equal(humanDuration(ms), want));
