import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError, alreadyExists, conflict, expired, notFound } from '../machinery/index.js';
import { isAlreadyExists, isConflict, isExpired, isNotFound, isTooLargeResourceVersion } from './index.js';

const target = { resource: 'configmaps', name: 'x' };
const cases: { name: string; error: unknown; check: (e: unknown) => boolean; want: boolean }[] = [
  { name: 'NotFound is not found', error: notFound(target), check: isNotFound, want: true },
  { name: 'a plain Error is not NotFound', error: new Error('NotFound'), check: isNotFound, want: false },
  { name: 'AlreadyExists', error: alreadyExists(target), check: isAlreadyExists, want: true },
  { name: 'Conflict', error: conflict(target), check: isConflict, want: true },
  { name: 'AlreadyExists is not Conflict though both are 409', error: alreadyExists(target), check: isConflict, want: false },
  { name: '410 Expired', error: expired('too old resource version: 1 (5)'), check: isExpired, want: true },
  { name: '410 Gone', error: new StatusError({ code: 410, reason: 'Gone', message: 'gone' }), check: isExpired, want: true },
  {
    name: 'a too large resourceVersion',
    error: new StatusError({ code: 504, reason: 'Timeout', message: 'Timeout: Too large resource version: 9, current: 3', details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }] } }),
    check: isTooLargeResourceVersion,
    want: true,
  },
  { name: 'a plain timeout is not a too large resourceVersion', error: new StatusError({ code: 504, reason: 'Timeout', message: 'Timeout' }), check: isTooLargeResourceVersion, want: false },
];
for (const c of cases) test(`error check: ${c.name}`, () => assert.equal(c.check(c.error), c.want));
