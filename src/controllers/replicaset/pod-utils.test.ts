import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calculateStatus, ControllerExpectations, expectationsTimeoutMs, podFromTemplate, podsPrefix, podsToDelete, type Pod } from './index.js';
import { FakeClock } from '../../util/index.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000).toISOString().replace('.000Z', 'Z');

function pod(name: string, o: { node?: string; phase?: string; readyFor?: number; restarts?: number; createdAgo?: number; cost?: string } = {}): Pod {
  return {
    metadata: { name, uid: `uid-${name}`, creationTimestamp: ago(o.createdAgo ?? 1000), ...(o.cost ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}) },
    spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.readyFor !== undefined ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: ago(o.readyFor) }] } : {}),
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: true, restartCount: o.restarts ?? 0 }],
    },
  };
}

const cases: { name: string; pods: Pod[]; related?: Pod[]; first: string }[] = [
  { name: 'an unscheduled pod goes before a scheduled one', pods: [pod('s', { node: 'n1', readyFor: 100 }), pod('u', { phase: 'Pending' })], first: 'u' },
  { name: 'a pending pod goes before a running one', pods: [pod('r', { node: 'n1' }), pod('p', { node: 'n1', phase: 'Pending' })], first: 'p' },
  { name: 'an unknown pod goes before a running one', pods: [pod('r', { node: 'n1' }), pod('x', { node: 'n1', phase: 'Unknown' })], first: 'x' },
  { name: 'a not ready pod goes before a ready one', pods: [pod('ready', { node: 'n1', readyFor: 10 }), pod('not', { node: 'n1' })], first: 'not' },
  { name: 'a lower deletion cost goes first', pods: [pod('hi', { node: 'n1', readyFor: 10, cost: '10' }), pod('lo', { node: 'n1', readyFor: 10, cost: '-5' })], first: 'lo' },
  {
    name: 'a pod on a node crowded with related pods goes first',
    pods: [pod('alone', { node: 'n1', readyFor: 10 }), pod('crowded', { node: 'n2', readyFor: 10 })],
    related: [pod('alone', { node: 'n1' }), pod('crowded', { node: 'n2' }), pod('other', { node: 'n2' })],
    first: 'crowded',
  },
  { name: 'a pod ready for less time goes first (logarithmic buckets)', pods: [pod('old', { node: 'n1', readyFor: 10_000 }), pod('new', { node: 'n1', readyFor: 10 })], first: 'new' },
  { name: 'more restarts go first', pods: [pod('calm', { node: 'n1', restarts: 0 }), pod('crashy', { node: 'n1', restarts: 7 })], first: 'crashy' },
  { name: 'a newer pod goes first', pods: [pod('old', { node: 'n1', createdAgo: 100_000 }), pod('new', { node: 'n1', createdAgo: 10 })], first: 'new' },
];

for (const c of cases) {
  test(`deletion order: ${c.name}`, () => {
    const [victim] = podsToDelete(c.pods, c.related ?? [], 1, now);
    assert.equal(victim?.metadata?.name, c.first);
  });
}

test('a pod from a template copies labels, annotations and finalizers and gets the controller reference', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true };
  const p = podFromTemplate({ metadata: { labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['x/y'] }, spec: { containers: [{ name: 'c', image: 'i' }] } }, { metadata: { name: 'web', namespace: 'ns' } }, ref);
  assert.deepEqual(p.metadata, { generateName: 'web-', namespace: 'ns', labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['x/y'], ownerReferences: [ref] });
  assert.deepEqual(p.spec, { containers: [{ name: 'c', image: 'i' }] });
});

test('the pod name prefix drops the dash when the name is too long for it', () => {
  assert.equal(podsPrefix('web'), 'web-');
  assert.equal(podsPrefix('a'.repeat(253)), 'a'.repeat(253));
});

test('expectations are satisfied when met or expired, and deletions count only awaited pods', () => {
  const clock = new FakeClock();
  const e = new ControllerExpectations(clock);
  assert.ok(e.satisfied('ns/rs'), 'nothing awaited');
  e.expectCreations('ns/rs', 2);
  e.creationObserved('ns/rs');
  assert.ok(!e.satisfied('ns/rs'));
  e.creationObserved('ns/rs');
  assert.ok(e.satisfied('ns/rs'));
  e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/zzz');
  assert.deepEqual(e.pending('ns/rs'), { add: 0, del: 1 });
  assert.ok(!e.satisfied('ns/rs'));
  clock.advance(expectationsTimeoutMs + 1);
  assert.ok(e.satisfied('ns/rs'), 'expired');
});

const readyPod = (name: string, labels: Record<string, string>): Pod => ({ metadata: { name, labels }, spec: { containers: [] }, status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: ago(5) }] } });
const set = (replicas: number, conditions?: { type: string; status: string; reason?: string; message?: string }[]) => ({
  metadata: { name: 'rs', generation: 2 },
  spec: { replicas, minReadySeconds: 10, template: { metadata: { labels: { app: 'a', tier: 't' } } } },
  status: { replicas: 0, ...(conditions ? { conditions } : {}) },
});

const statusCases: { name: string; rs: ReturnType<typeof set>; pods: Pod[]; error?: Error; want: Record<string, unknown> }[] = [
  {
    name: 'counts: fully labeled, ready, available after minReadySeconds',
    rs: set(2),
    pods: [readyPod('a', { app: 'a', tier: 't' }), { metadata: { name: 'b', labels: { app: 'a' } }, spec: { containers: [] } }],
    want: { replicas: 2, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 0 },
  },
  {
    name: 'a failed create sets ReplicaFailure with reason FailedCreate',
    rs: set(3),
    pods: [],
    error: new Error('pods "x" is forbidden: exceeded quota'),
    want: { replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "x" is forbidden: exceeded quota' }] },
  },
  {
    name: 'a failed delete gives reason FailedDelete',
    rs: set(0),
    pods: [readyPod('a', {})],
    error: new Error('unable to delete pods: boom'),
    want: { replicas: 1, fullyLabeledReplicas: 0, readyReplicas: 1, availableReplicas: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedDelete', message: 'unable to delete pods: boom' }] },
  },
  {
    name: 'success removes the ReplicaFailure condition',
    rs: set(0, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'x' }]),
    pods: [],
    want: { replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0 },
  },
];

for (const c of statusCases) {
  test(`replica set status: ${c.name}`, () => {
    const s = calculateStatus(c.rs, c.pods, c.error, now);
    const conditions = s.conditions?.map(({ lastTransitionTime: _t, ...rest }) => rest);
    assert.deepEqual({ ...s, ...(conditions ? { conditions } : {}) }, c.want);
  });
}
