import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStrategy, prepareCreate, prepareUpdate } from '../testing-support/index.js';
import { priorityClassStrategy } from './index.js';

const pc = (name: string, extra: Record<string, unknown>) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, ...extra });
describeStrategy(priorityClassStrategy, {
  valid: pc('high', { value: 1000 }),
  invalid: [
    { name: 'value above the user limit', object: pc('huge', { value: 1_000_000_001 }), fields: ['value'] },
    { name: 'reserved system name', object: pc('system-mine', { value: 1 }), fields: ['metadata.name'] },
    { name: 'unknown preemption policy', object: pc('p', { value: 1, preemptionPolicy: 'Always' }), fields: ['preemptionPolicy'] },
  ],
  invalidUpdates: [{ name: 'value change', old: pc('p', { value: 1 }), object: pc('p', { value: 2 }), fields: ['value'] }],
});

test('the built-in system classes are accepted and preemption defaults to PreemptLowerPriority', () => {
  const obj = prepareCreate(priorityClassStrategy, pc('system-node-critical', { value: 2_000_001_000 }));
  assert.deepEqual(priorityClassStrategy.validate!(obj as never, { now: 0, dryRun: false }), []);
  assert.equal(obj.preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual(priorityClassStrategy.printer!.row(obj as never, { now: Date.parse(obj.metadata!.creationTimestamp!) }), ['system-node-critical', 2_000_001_000, false, '0s', 'PreemptLowerPriority']);
});

test('a PriorityClass is created with generation 1, and a changed description does not bump it', () => {
  const created = prepareCreate(priorityClassStrategy, pc('high', { value: 1000, metadata: { name: 'high', generation: 7 } }));
  assert.equal(created.metadata!.generation, 1);
  assert.equal(priorityClassStrategy.generation, 'none', 'the store keeps the stored generation on updates');
  const updated = prepareUpdate(priorityClassStrategy, { ...created, description: 'now described' }, created);
  assert.equal(updated.metadata!.generation, 1);
});
