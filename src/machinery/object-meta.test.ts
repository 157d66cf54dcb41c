import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropEmptyMetadataFields } from './object-meta.js';
import type { ObjectMeta } from '../api/index.js';

const cases: { name: string; meta: Record<string, unknown>; want: Record<string, unknown> }[] = [
  { name: 'empty maps and lists go', meta: { name: 'a', labels: {}, annotations: {}, finalizers: [], ownerReferences: [] }, want: { name: 'a' } },
  { name: 'nulls go', meta: { name: 'a', labels: null, annotations: null, finalizers: null, ownerReferences: null }, want: { name: 'a' } },
  { name: 'an empty generateName goes', meta: { name: 'a', generateName: '' }, want: { name: 'a' } },
  { name: 'non-empty ones stay', meta: { name: 'a', labels: { x: '' }, finalizers: ['kubernetes'], generateName: 'a-' }, want: { name: 'a', labels: { x: '' }, finalizers: ['kubernetes'], generateName: 'a-' } },
  { name: 'an empty managedFields stays (it resets them)', meta: { name: 'a', managedFields: [] }, want: { name: 'a', managedFields: [] } },
];

for (const c of cases) {
  test(`metadata as Go encodes it: ${c.name}`, () => {
    const meta = structuredClone(c.meta) as ObjectMeta;
    dropEmptyMetadataFields(meta);
    assert.deepEqual(meta, c.want);
  });
}
