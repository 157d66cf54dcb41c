import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../api/index.js';
import { groupStrategies } from './groups.js';

test('every non-core built-in resource has exactly one strategy', () => {
  const want = builtinResources.filter((r) => r.group !== '').map((r) => `${r.group}/${r.version}/${r.plural}`).sort();
  const got = groupStrategies.map((s) => `${s.info.group}/${s.info.version}/${s.info.plural}`).sort();
  assert.deepEqual(got, want);
});

test('every group strategy names its object-name rule', () => {
  for (const s of groupStrategies) assert.equal(typeof (s as { nameValidation?: unknown }).nameValidation, 'function', s.info.kind);
});
