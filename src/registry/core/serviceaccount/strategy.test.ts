import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStrategy } from '../../testing-support/index.js';
import { serviceAccountStrategy } from './strategy.js';

describeStrategy(serviceAccountStrategy, { valid: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } } });

test('the Secrets column counts referenced secrets', () => {
  const row = serviceAccountStrategy.printer?.row({ metadata: { name: 'sa' }, secrets: [{ name: 'a' }, { name: 'b' }] }, { now: 0 });
  assert.deepEqual(row?.slice(0, 2), ['sa', 2]);
});
