import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHash, fnv32a, safeEncodeString } from './hash.js';
import { proportion } from './sync.js';
import { maxSurge, maxUnavailable, newRSNewReplicas, scaledValue, setNewReplicaSetAnnotations, type Deployment, type ReplicaSet } from './util.js';

function d(replicas: number, surge: number | string, unavailable: number | string, annotations: Record<string, string> = {}): Deployment {
  return { metadata: { name: 'web', annotations }, spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } } };
}
function rs(replicas: number, annotations: Record<string, string> = {}): ReplicaSet {
  return { metadata: { name: `rs-${replicas}`, annotations }, spec: { replicas, selector: {} } };
}

const fenceposts: { name: string; d: Deployment; surge: number; unavailable: number }[] = [
  { name: '25% of 3: surge rounds up, unavailable down', d: d(3, '25%', '25%'), surge: 1, unavailable: 0 },
  { name: '25% of 10', d: d(10, '25%', '25%'), surge: 3, unavailable: 2 },
  { name: 'both resolving to 0 allow one unavailable', d: d(3, '0%', '10%'), surge: 0, unavailable: 1 },
  { name: 'unavailable is at most the replicas', d: d(2, 0, 5), surge: 0, unavailable: 2 },
  { name: 'no replicas, nothing unavailable', d: d(0, 1, 1), surge: 1, unavailable: 0 },
];
for (const c of fenceposts) {
  test(`fenceposts: ${c.name}`, () => {
    assert.equal(maxSurge(c.d), c.surge);
    assert.equal(maxUnavailable(c.d), c.unavailable);
  });
}

test('a Recreate Deployment has no surge and no unavailability allowance', () => {
  const r: Deployment = { metadata: {}, spec: { replicas: 3, selector: {}, template: {}, strategy: { type: 'Recreate' } } };
  assert.equal(maxSurge(r), 0);
  assert.equal(maxUnavailable(r), 0);
  assert.equal(newRSNewReplicas(r, [rs(3)], rs(0)), 3);
});

test('scaled values: integers as they are, percents rounded as asked', () => {
  assert.equal(scaledValue(2, 10, true), 2);
  assert.equal(scaledValue('33%', 10, true), 4);
  assert.equal(scaledValue('33%', 10, false), 3);
  assert.throws(() => scaledValue('abc', 10, true), /not a percentage/);
});

test('the new ReplicaSet grows only within replicas + maxSurge', () => {
  const dep = d(4, 1, 0);
  assert.equal(newRSNewReplicas(dep, [rs(4), rs(0)], rs(0)), 1);
  assert.equal(newRSNewReplicas(dep, [rs(3), rs(2)], rs(2)), 2, 'already at 5 pods');
  assert.equal(newRSNewReplicas(dep, [rs(1), rs(3)], rs(3)), 4);
});

test('proportional scaling shares new replicas by the max-replicas annotation', () => {
  // 10 replicas + surge 3 = 13; scaled to 20 + surge 5 = 25: +12 to share between sets of 8 and 5.
  const dep = d(20, '25%', '25%');
  const big = rs(8, { 'deployment.kubernetes.io/max-replicas': '13' });
  const small = rs(5, { 'deployment.kubernetes.io/max-replicas': '13' });
  const first = proportion(big, dep, 12, 0);
  const second = proportion(small, dep, 12, first);
  assert.equal(first, 7);
  assert.equal(second, 5);
});

test('a rolled-back ReplicaSet keeps its earlier revisions in revision-history', () => {
  const dep = d(1, 1, 0, { team: 'a', 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
  const set = rs(0, { 'deployment.kubernetes.io/revision': '1' });
  assert.ok(setNewReplicaSetAnnotations(dep, set, '3', true));
  assert.deepEqual(set.metadata?.annotations, { 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1', team: 'a' });
  setNewReplicaSetAnnotations(dep, set, '5', true);
  assert.equal(set.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1,3');
  assert.equal(setNewReplicaSetAnnotations(dep, set, '4', true), false, 'a lower revision changes nothing');
});

test('a created ReplicaSet gets desired-replicas and max-replicas', () => {
  const set = rs(0, {});
  setNewReplicaSetAnnotations(d(10, '25%', '25%'), set, '1', false);
  assert.equal(set.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '10');
  assert.equal(set.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '13');
});

test('the template hash: FNV-32a, safe alphabet, stable under key order, changed by the collision count', () => {
  assert.equal(fnv32a(new TextEncoder().encode('')), 0x811c9dc5);
  assert.equal(fnv32a(new TextEncoder().encode('a')), 0xe40c292c);
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  const a = computeHash({ metadata: { labels: { app: 'x', tier: 'y' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  const b = computeHash({ spec: { containers: [{ image: 'i', name: 'c' }] }, metadata: { labels: { tier: 'y', app: 'x' } } });
  assert.equal(a, b);
  assert.notEqual(computeHash({}, 1), computeHash({}, undefined));
  assert.notEqual(computeHash({}, 1), computeHash({}, 2));
});
