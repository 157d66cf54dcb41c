import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget } from './command.js';
import { renderExplanation } from './render.js';
import type { Explanation } from './explain.js';

test('the object is named as KIND/NAME or KIND NAME', () => {
  assert.deepEqual(parseTarget(['pod/web-0']), { kind: 'pod', name: 'web-0' });
  assert.deepEqual(parseTarget(['deployments.apps', 'web']), { kind: 'deployments.apps', name: 'web' });
  for (const bad of [[], ['pod'], ['pod/'], ['/x'], ['a/b', 'c'], ['a', 'b', 'c']]) assert.throws(() => parseTarget(bad), /KIND\/NAME/, JSON.stringify(bad));
});

const base: Explanation = { ref: 'configmap/x', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'x', uid: 'u', exists: true, finalizers: [], owners: [], dependents: [], waitingFor: [], notes: [] };

test('a finalizer with a running handler says who removes it and when', () => {
  const text = renderExplanation({ ...base, deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [{ name: 'kubernetes.io/pvc-protection', handledBy: 'persistentvolumeclaim-protection', handlerRunning: true, waitsFor: 'no pod uses the claim', dead: false, removeCommand: '' }] }, Date.parse('2026-01-01T00:01:00Z'));
  assert.match(text, /being deleted since 2026-01-01T00:00:00Z \(60s ago\), held by 1 finalizer/);
  assert.match(text, /handled by the persistentvolumeclaim-protection controller; it is removed once no pod uses the claim\./);
  assert.doesNotMatch(text, /dead/);
});

test('a handler that is not running is called out', () => {
  const text = renderExplanation({ ...base, deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [{ name: 'orphan', handledBy: 'garbage-collector', handlerRunning: false, waitsFor: 'w', dead: false, removeCommand: '' }] });
  assert.match(text, /garbage-collector controller — which is not running now/);
});

test('an object not being deleted lists owners, dependents and what a delete takes with it', () => {
  const text = renderExplanation({
    ...base,
    owners: [{ ref: 'replicaset.apps/web-1', kind: 'ReplicaSet', name: 'web-1', uid: 'o', controller: true, blockOwnerDeletion: true, state: 'missing' }],
    dependents: [{ ref: 'pod/a', blockOwnerDeletion: true }],
    wouldDelete: ['pod/a'],
  });
  assert.match(text, /is not being deleted\./);
  assert.match(text, /replicaset\.apps\/web-1 \(its controller\) — does not exist/);
  assert.match(text, /Dependents \(1\):\n\s+pod\/a \(blocks a foreground deletion/);
  assert.match(text, /Deleting it would also delete 1 object/);
});
