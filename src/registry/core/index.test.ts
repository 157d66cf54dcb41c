import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../api/index.js';
import { coreStrategies } from './index.js';

test('there is one core strategy per core/v1 resource, with its ResourceInfo from the built-in table', () => {
  const core = builtinResources.filter((r) => r.group === '' && r.version === 'v1');
  assert.deepEqual(coreStrategies.map((s) => s.info.kind), core.map((r) => r.kind));
  for (const s of coreStrategies) {
    assert.equal(s.info, core.find((r) => r.kind === s.info.kind));
    assert.equal(s.schemaName, `io.k8s.api.core.v1.${s.info.kind}`);
    assert.equal(typeof s.nameValidation, 'function', `${s.info.kind} has a name rule`);
    assert.ok(s.printer, `${s.info.kind} has a printer`);
  }
});

test('every strategy with a status subresource in discovery has status rules, and only those', () => {
  for (const s of coreStrategies) {
    const hasStatus = s.info.subresources.some((r) => r.name === 'status');
    assert.equal(!!s.status, hasStatus, s.info.kind);
  }
});
