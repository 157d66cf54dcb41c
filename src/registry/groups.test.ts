import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../api/index.js';
import { groupStrategies } from './groups.js';
import { prepareCreate } from './testing-support/index.js';

test('every non-core built-in resource has exactly one strategy', () => {
  const want = builtinResources.filter((r) => r.group !== '').map((r) => `${r.group}/${r.version}/${r.plural}`).sort();
  const got = groupStrategies.map((s) => `${s.info.group}/${s.info.version}/${s.info.plural}`).sort();
  assert.deepEqual(got, want);
});

test('every group strategy names its object-name rule', () => {
  for (const s of groupStrategies) assert.equal(typeof (s as { nameValidation?: unknown }).nameValidation, 'function', s.info.kind);
});

// The status a new object is stored with: Kubernetes resets it to the zero value, whose JSON keeps the counters
// without omitempty (so `kubectl get -o jsonpath={.status.replicas}` prints 0 before any controller ran).
const createdStatus: [string, Record<string, unknown>][] = [
  ['apps/v1/deployments', {}],
  ['apps/v1/replicasets', { replicas: 0 }],
  ['apps/v1/statefulsets', { replicas: 0, availableReplicas: 0 }],
  ['apps/v1/daemonsets', { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }],
  ['batch/v1/jobs', {}],
  ['batch/v1/cronjobs', {}],
  ['networking.k8s.io/v1/ingresses', { loadBalancer: {} }],
  ['policy/v1/poddisruptionbudgets', { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }],
  ['autoscaling/v2/horizontalpodautoscalers', { desiredReplicas: 0 }],
  ['autoscaling/v1/horizontalpodautoscalers', { currentReplicas: 0, desiredReplicas: 0 }],
];
for (const [resource, want] of createdStatus) {
  test(`a new ${resource.split('/').pop()} (${resource}) is stored with the zero status a real cluster prints, whatever the client sent`, () => {
    const s = groupStrategies.find((g) => `${g.info.group}/${g.info.version}/${g.info.plural}` === resource);
    assert.ok(s, resource);
    const obj = { apiVersion: 'x/v1', kind: s.info.kind, metadata: { name: 'a', namespace: 'default' }, spec: {}, status: { replicas: 7, observedGeneration: 3 } };
    const created = prepareCreate(s, obj);
    assert.deepEqual(created.status, want);
    assert.notEqual(created.status, prepareCreate(s, obj).status, 'each object gets its own status');
  });
}

test('HorizontalPodAutoscalers carry no metadata.generation, in either version (the strategy never sets one)', () => {
  for (const s of groupStrategies.filter((g) => g.info.kind === 'HorizontalPodAutoscaler')) assert.equal(s.generation, 'none', s.info.version);
});
