import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Indexer, type Controller } from '../runtime/index.js';
import { settle } from '../runtime/testing-support/index.js';
import {
  buildReplicatedController,
  controllerRefOf,
  controllerUidIndex,
  indexByControllerUid,
  podsResource,
  ReplicaSetReconciler,
  replicaSetKind,
  replicationControllerKind,
  type Pod,
  type Replicated,
} from './index.js';
import { makePodReady, testCluster, type TestCluster } from './test-cluster.js';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { silentLogger, systemClock } from '../../util/index.js';

async function startTestCluster(): Promise<TestCluster> {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.start();
  return testCluster(new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] })), undefined, () => api.stop());
}

const rsRef = replicaSetKind.resource;
const signal = new AbortController().signal;

function replicaSet(name: string, replicas: number, extra: { minReadySeconds?: number } = {}): Replicated {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      ...extra,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

async function podsOf(c: TestCluster, app: string): Promise<Pod[]> {
  return (await c.pods.list({ namespace: 'default', labelSelector: `app=${app}` })).items;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 400; i++) {
    last = await read();
    if (ok(last)) return last;
    await settle(5);
  }
  throw new Error(`${what}: last seen ${JSON.stringify(last)}`);
}

async function withController(kind = replicaSetKind): Promise<{ c: TestCluster; controller: Controller }> {
  const c = await startTestCluster();
  const { controller } = buildReplicatedController(c.factory, kind, { client: c.client, recorder: c.recorder });
  await c.run(controller);
  return { c, controller };
}

test('a ReplicaSet gets its pods, named after it and owned by it, with events and status', async () => {
  const { c } = await withController();
  try {
    const rs = await c.client.resource<Replicated>(rsRef).create(replicaSet('web', 3));
    const pods = await until('three pods', () => podsOf(c, 'web'), (p) => p.length === 3);
    for (const p of pods) {
      assert.match(p.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.equal(p.metadata?.generateName, 'web-');
      assert.deepEqual(p.metadata?.labels, { app: 'web', tier: 'web' });
      assert.deepEqual(controllerRefOf(p), { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true });
    }
    const status = await until('status', () => c.client.resource<Replicated>(rsRef).get('web', { namespace: 'default' }), (r) => r.status?.replicas === 3);
    assert.equal(status.status?.fullyLabeledReplicas, 3);
    assert.equal(status.status?.readyReplicas ?? 0, 0);
    assert.equal(status.status?.observedGeneration, 1);
    const created = c.recorder.events.filter((e) => e.reason === 'SuccessfulCreate');
    assert.equal(created.length, 3);
    assert.deepEqual(created.map((e) => e.message).sort(), pods.map((p) => `Created pod: ${p.metadata?.name}`).sort());
    assert.equal(created[0]?.object, 'ReplicaSet/default/web');
  } finally {
    await c.stop();
  }
});

test('ready pods count as ready, and as available only after minReadySeconds', async () => {
  const { c } = await withController();
  try {
    await c.client.resource<Replicated>(rsRef).create(replicaSet('web', 2, { minReadySeconds: 30 }));
    const pods = await until('two pods', () => podsOf(c, 'web'), (p) => p.length === 2);
    await makePodReady(c.client, pods[0]!, { readySinceMs: Date.now() - 3600_000 });
    await makePodReady(c.client, pods[1]!);
    const rs = await until('status', () => c.client.resource<Replicated>(rsRef).get('web', { namespace: 'default' }), (r) => r.status?.readyReplicas === 2);
    assert.equal(rs.status?.availableReplicas, 1);
  } finally {
    await c.stop();
  }
});

test('scaling down deletes unscheduled, then not ready, then newer pods first', async () => {
  const { c } = await withController();
  try {
    const sets = c.client.resource<Replicated>(rsRef);
    await sets.create(replicaSet('web', 4));
    const pods = await until('four pods', () => podsOf(c, 'web'), (p) => p.length === 4);
    const [a, b, d, e] = pods as [Pod, Pod, Pod, Pod];
    await makePodReady(c.client, a, { readySinceMs: Date.now() - 3600_000 });
    await makePodReady(c.client, b, { ready: false });
    await makePodReady(c.client, d, { readySinceMs: Date.now() - 3600_000 });
    // e stays unscheduled
    await until('ready', () => sets.get('web', { namespace: 'default' }), (r) => r.status?.readyReplicas === 2);
    await sets.patch('web', 'merge', { spec: { replicas: 2 } }, { namespace: 'default' });
    const live = (p: Pod[]) => p.filter((x) => !x.metadata?.deletionTimestamp);
    const left = live(await until('two pods', () => podsOf(c, 'web'), (p) => live(p).length === 2));
    assert.deepEqual(left.map((p) => p.metadata?.name).sort(), [a.metadata?.name, d.metadata?.name].sort());
    const deleted = c.recorder.events.filter((x) => x.reason === 'SuccessfulDelete').map((x) => x.message).sort();
    assert.deepEqual(deleted, [`Deleted pod: ${b.metadata?.name}`, `Deleted pod: ${e.metadata?.name}`].sort());
  } finally {
    await c.stop();
  }
});

test('an orphan pod matching the selector is adopted, and a pod whose labels stop matching is released', async () => {
  const { c } = await withController();
  try {
    await c.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const rs = await c.client.resource<Replicated>(rsRef).create(replicaSet('web', 2));
    const pods = await until('two pods', () => podsOf(c, 'web'), (p) => p.length === 2 && p.every((x) => controllerRefOf(x)));
    assert.ok(pods.some((p) => p.metadata?.name === 'stray'), 'the orphan counts as one of the two');
    assert.equal(controllerRefOf(pods.find((p) => p.metadata?.name === 'stray')!)?.uid, rs.metadata?.uid);
    const status = await until('status', () => c.client.resource<Replicated>(rsRef).get('web', { namespace: 'default' }), (r) => r.status?.replicas === 2);
    assert.equal(status.status?.fullyLabeledReplicas, 1, 'the adopted pod lacks the tier label');

    await c.pods.patch('stray', 'merge', { metadata: { labels: { app: 'other' } } }, { namespace: 'default' });
    const stray = await until('released', () => c.pods.get('stray', { namespace: 'default' }), (p) => !controllerRefOf(p));
    assert.deepEqual(stray.metadata?.ownerReferences ?? [], []);
    await until('replaced', () => podsOf(c, 'web'), (p) => p.length === 2 && p.every((x) => x.metadata?.name !== 'stray'));
  } finally {
    await c.stop();
  }
});

test('a ReplicationController keeps its replicas and replaces a deleted pod', async () => {
  const { c } = await withController(replicationControllerKind);
  try {
    const rcs = c.client.resource<Replicated>(replicationControllerKind.resource);
    await rcs.create({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy', namespace: 'default' },
      spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const pods = await until('two pods', () => podsOf(c, 'legacy'), (p) => p.length === 2);
    assert.equal(controllerRefOf(pods[0]!)?.kind, 'ReplicationController');
    assert.equal(controllerRefOf(pods[0]!)?.apiVersion, 'v1');
    await c.pods.delete(pods[0]!.metadata!.name!, { namespace: 'default', gracePeriodSeconds: 0 });
    const after = await until('replaced', () => podsOf(c, 'legacy'), (p) => p.length === 2 && !p.some((x) => x.metadata?.name === pods[0]!.metadata!.name));
    assert.equal(after.length, 2);
    const rc = await until('status', () => rcs.get('legacy', { namespace: 'default' }), (r) => r.status?.replicas === 2 && r.status.observedGeneration === 1);
    assert.equal(rc.status?.fullyLabeledReplicas, 2);
  } finally {
    await c.stop();
  }
});

test('expectations: a sync that does not see its new pods yet does not create them again', async () => {
  const c = await startTestCluster();
  try {
    const rs = await c.client.resource<Replicated>(rsRef).create(replicaSet('web', 3));
    const sets = new Indexer<Replicated>();
    sets.set(rs);
    const pods = new Indexer<Pod>({ [controllerUidIndex]: indexByControllerUid }); // an informer that never catches up
    const r = new ReplicaSetReconciler({ client: c.client, sets, pods, recorder: c.recorder });
    await r.reconcile('default/web', signal);
    await r.reconcile('default/web', signal);
    assert.equal((await podsOf(c, 'web')).length, 3);
    assert.deepEqual(r.expectations.pending('default/web'), { add: 3, del: 0 });
    // The informer sees them: expectations are met and the next sync finds nothing to do.
    for (let i = 0; i < 3; i++) r.expectations.creationObserved('default/web');
    for (const p of await podsOf(c, 'web')) pods.set(p);
    await r.reconcile('default/web', signal);
    assert.equal((await podsOf(c, 'web')).length, 3);
  } finally {
    await c.stop();
  }
});

test('the pods resource reference is core/v1 pods', () => {
  assert.deepEqual(podsResource, { group: '', version: 'v1', plural: 'pods', namespaced: true });
});
