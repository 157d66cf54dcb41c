import { test } from 'node:test';
import type { KubeObject } from '../../api/index.js';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport, isNotFound } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { silentLogger, systemClock } from '../../util/index.js';
import { NamespaceReconciler, namespacesResource } from './index.js';
import { failingConditions, mergeConditions, type NamespaceCondition } from './index.js';

const configmaps = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
const signal = new AbortController().signal;

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.start();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const reconciler = new NamespaceReconciler({ client, writeConditions: true });
  return { api, client, reconciler, namespaces: client.resource(namespacesResource), cms: client.resource(configmaps) };
}

function condition(ns: KubeObject, type: string): NamespaceCondition | undefined {
  return ((ns['status'] as { conditions?: NamespaceCondition[] } | undefined)?.conditions ?? []).find((c) => c.type === type);
}

test('a terminating namespace held by a finalizer inside reports what is left, then goes once the finalizer is removed', async () => {
  const { api, reconciler, namespaces, cms } = await setup();
  try {
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: 'team', finalizers: ['example.com/x'] } });
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'free', namespace: 'team' } });
    await namespaces.delete('team');
    const result = await reconciler.reconcile('team', signal);
    assert.ok(result && result.requeueAfterMs > 0, 'content remains: the reconciler asks to look again');
    const ns = await namespaces.get('team');
    assert.equal((ns['status'] as { phase?: string }).phase, 'Terminating');
    assert.deepEqual(
      { ...condition(ns, 'NamespaceContentRemaining'), lastTransitionTime: undefined },
      { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps. has 1 resource instances', lastTransitionTime: undefined },
    );
    assert.equal(condition(ns, 'NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/x in 1 resource instances');
    assert.equal(condition(ns, 'NamespaceDeletionDiscoveryFailure')?.reason, 'ResourcesDiscovered');
    assert.equal(condition(ns, 'NamespaceDeletionContentFailure')?.status, 'False');
    await assert.rejects(cms.get('free', { namespace: 'team' }), isNotFound);

    await cms.patch('held', 'merge', { metadata: { finalizers: null } }, { namespace: 'team' });
    await reconciler.reconcile('team', signal);
    await assert.rejects(namespaces.get('team'), isNotFound);
  } finally {
    await api.stop();
  }
});

test('a namespace not being deleted is left alone', async () => {
  const { api, reconciler, namespaces, cms } = await setup();
  try {
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'live' } });
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'live' } });
    assert.equal(await reconciler.reconcile('live', signal), undefined);
    assert.equal(await reconciler.reconcile('absent', signal), undefined);
    assert.ok(await cms.get('a', { namespace: 'live' }));
    assert.equal(condition(await namespaces.get('live'), 'NamespaceContentRemaining'), undefined);
  } finally {
    await api.stop();
  }
});

test('an empty terminating namespace is finalized and goes', async () => {
  const { api, reconciler, namespaces } = await setup();
  try {
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' } });
    await namespaces.delete('empty');
    await reconciler.reconcile('empty', signal);
    await assert.rejects(namespaces.get('empty'), isNotFound);
  } finally {
    await api.stop();
  }
});

test('conditions name the remaining resources and finalizers in Kubernetes words, and fine ones say so', () => {
  const failing = failingConditions({
    discoveryFailures: new Map(),
    deleteErrors: [],
    remainingByResource: new Map([['widgets.example.com', 2], ['configmaps.', 1]]),
    remainingByFinalizer: new Map([['example.com/x', 3]]),
  });
  const merged = mergeConditions(undefined, failing, '2026-01-01T00:00:00Z');
  assert.deepEqual(merged.map((c) => [c.type, c.status, c.reason, c.message]), [
    ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
    ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
    ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
    ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances, widgets.example.com has 2 resource instances'],
    ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/x in 3 resource instances'],
  ]);
  const later = mergeConditions(merged, [], '2026-01-02T00:00:00Z');
  assert.equal(later.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure')?.lastTransitionTime, '2026-01-01T00:00:00Z');
  assert.equal(later.find((c) => c.type === 'NamespaceContentRemaining')?.lastTransitionTime, '2026-01-02T00:00:00Z');
});

test('without condition writes, a namespace held by a finalizer inside stays until the finalizer is removed', async () => {
  const { api, client, namespaces, cms } = await setup();
  const reconciler = new NamespaceReconciler({ client });
  try {
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held' } });
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'held', finalizers: ['example.com/x'] } });
    await namespaces.delete('held');
    const result = await reconciler.reconcile('held', signal);
    assert.ok(result && result.requeueAfterMs > 0);
    assert.equal(((await namespaces.get('held'))['status'] as { phase?: string }).phase, 'Terminating');
    await cms.patch('x', 'merge', { metadata: { finalizers: null } }, { namespace: 'held' });
    await reconciler.reconcile('held', signal);
    await assert.rejects(namespaces.get('held'), isNotFound);
  } finally {
    await api.stop();
  }
});
