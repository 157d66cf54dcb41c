import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../../util/index.js';
import { MemoryEventRecorder, SharedInformerFactory } from '../runtime/index.js';
import { eventually, settle } from '../runtime/testing-support/index.js';
import { PersistentVolumeBinder } from '../volume/persistentvolume/index.js';
import { Scheduler } from './scheduler.js';
import { makeNode, makePod } from './testing-support.js';
import type { Node, Pod } from './types.js';

const podsRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const nodesRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

async function setup(t: { after(fn: () => unknown): void }) {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies(), admissionPlugins: ['NamespaceLifecycle', 'Priority'] });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const informers = new SharedInformerFactory({ client });
  const recorder = new MemoryEventRecorder();
  const clock = new FakeClock();
  const scheduler = new Scheduler(informers, { client, recorder, clock, random: () => 0 });
  const abort = new AbortController();
  informers.start(abort.signal);
  assert.ok(await informers.waitForCacheSync(abort.signal));
  t.after(async () => {
    abort.abort();
    await informers.stopped();
  });
  const pods = client.resource<Pod>(podsRef);
  const nodes = client.resource<Node>(nodesRef);
  const addNode = async (n: Node) => {
    await nodes.create({ ...n, status: {} });
    await nodes.patch(n.metadata!.name!, 'merge', { status: n.status }, { subresource: 'status' });
  };
  return { api, client, scheduler, recorder, clock, pods, nodes, addNode, abort };
}

test('a pending pod is bound to a node that fits, with a Scheduled event', async (t) => {
  const { scheduler, recorder, pods, addNode } = await setup(t);
  await addNode(makeNode('small', { cpu: '1' }));
  await addNode(makeNode('big', { cpu: '8' }));
  await pods.create(makePod('web', { cpu: '2' }));
  await eventually(() => scheduler.queue.stats().active === 1 && scheduler.cache.nodeCount === 2, 'pod queued and nodes known');
  assert.equal(await scheduler.scheduleNext(), true);
  const pod = await pods.get('web', { namespace: 'default' });
  assert.equal(pod.spec?.nodeName, 'big');
  assert.equal(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
  assert.deepEqual(recorder.events, [{ object: 'Pod/default/web', type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/web to big' }]);
  // The informer confirms the assumed pod.
  await eventually(() => !scheduler.cache.isAssumed('default/web') && scheduler.cache.nodeOf('default/web') === 'big', 'binding seen');
  assert.equal(scheduler.cache.node('big')?.requested.milliCPU, 2000);
});

test('a pod that fits nowhere stays Pending with PodScheduled=False and FailedScheduling, and is bound once a node fits', async (t) => {
  const { scheduler, recorder, pods, addNode, clock } = await setup(t);
  await addNode(makeNode('n1', { cpu: '1' }));
  await pods.create(makePod('huge', { cpu: '4' }));
  await eventually(() => scheduler.queue.stats().active === 1 && scheduler.cache.nodeCount === 1, 'pod queued');
  await scheduler.scheduleNext();
  const message = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
  assert.deepEqual(recorder.events, [{ object: 'Pod/default/huge', type: 'Warning', reason: 'FailedScheduling', message }]);
  await eventually(() => scheduler.queue.stats().unschedulable === 1, 'waiting as unschedulable');
  let pod = await pods.get('huge', { namespace: 'default' });
  for (let i = 0; i < 100 && !pod.status?.conditions?.some((c) => c.type === 'PodScheduled'); i++) {
    await settle();
    pod = await pods.get('huge', { namespace: 'default' });
  }
  const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  assert.deepEqual({ status: cond?.status, reason: cond?.reason, message: cond?.message }, { status: 'False', reason: 'Unschedulable', message });
  assert.equal(pod.spec?.nodeName, undefined);
  // Its own condition write does not count as a change worth a retry.
  await eventually(() => scheduler['pods'].store.get('default/huge')?.status?.conditions?.some((c) => c.type === 'PodScheduled') === true, 'condition seen');
  await settle();
  assert.deepEqual(scheduler.queue.stats(), { active: 0, backoff: 0, unschedulable: 1 });

  await addNode(makeNode('n2', { cpu: '8' }));
  await eventually(() => scheduler.queue.stats().backoff === 1, 'moved to backoff by the new node');
  clock.advance(1000);
  assert.equal(scheduler.queue.stats().active, 1);
  await scheduler.scheduleNext();
  assert.equal((await pods.get('huge', { namespace: 'default' })).spec?.nodeName, 'n2');
});

test('pods of another scheduler, pods being deleted and bound pods are left alone', async (t) => {
  const { scheduler, pods, addNode } = await setup(t);
  await addNode(makeNode('n1'));
  await pods.create(makePod('other', { spec: { schedulerName: 'my-scheduler' } }));
  await pods.create(makePod('bound', { node: 'n1' }));
  await pods.create({ ...makePod('held'), metadata: { ...makePod('held').metadata, finalizers: ['example.com/hold'] } });
  await pods.delete('held', { namespace: 'default' });
  await eventually(() => scheduler.cache.nodeOf('default/bound') === 'n1', 'bound pod cached');
  await settle();
  assert.equal(scheduler.queue.stats().active, 0);
  assert.equal(scheduler.cache.node('n1')?.pods.size, 1);
});

test('a deleted pod frees its room for an unschedulable pod', async (t) => {
  const { scheduler, pods, addNode, clock } = await setup(t);
  await addNode(makeNode('n1', { cpu: '2' }));
  await pods.create(makePod('first', { cpu: '2', node: 'n1' }));
  await pods.create(makePod('second', { cpu: '2' }));
  await eventually(() => scheduler.queue.stats().active === 1 && scheduler.cache.nodeOf('default/first') === 'n1', 'queued');
  await scheduler.scheduleNext();
  assert.equal(scheduler.queue.stats().unschedulable, 1);
  await pods.delete('first', { namespace: 'default', gracePeriodSeconds: 0 });
  await eventually(() => scheduler.queue.stats().backoff === 1, 'moved by the deletion');
  clock.advance(1000);
  await scheduler.scheduleNext();
  assert.equal((await pods.get('second', { namespace: 'default' })).spec?.nodeName, 'n1');
});

test('the running scheduler binds many pods, spreading them by score', async (t) => {
  const { scheduler, pods, addNode, abort } = await setup(t);
  for (let i = 0; i < 3; i++) await addNode(makeNode(`n${i}`, { cpu: '2' }));
  const running = scheduler.run(abort.signal);
  for (let i = 0; i < 6; i++) await pods.create(makePod(`p${i}`, { cpu: '500m' }));
  await eventually(() => [...Array(3).keys()].every((i) => scheduler.cache.node(`n${i}`)?.pods.size === 2), 'two pods per node', 20000);
  abort.abort();
  await running;
  const list = await pods.list({ namespace: 'default' });
  assert.equal(list.items.filter((p) => p.spec?.nodeName).length, 6);
});

test("a pod's default spreading group is what its Services and its ReplicaSet select", async (t) => {
  const { scheduler, client } = await setup(t);
  const rs = await client.resource({ group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true }).create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-1', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web', hash: '1' } }, template: { metadata: { labels: { app: 'web', hash: '1' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  await client.resource({ group: '', version: 'v1', plural: 'services', namespaced: true }).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web', tier: 'front' }, ports: [{ port: 80 }] } });
  await client.resource({ group: '', version: 'v1', plural: 'services', namespaced: true }).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' }, spec: { selector: { app: 'db' }, ports: [{ port: 5432 }] } });
  const pod = makePod('web-1-abc', { labels: { app: 'web', hash: '1', tier: 'front' } });
  pod.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: rs.metadata!.uid!, controller: true }];
  const groups = scheduler as unknown as { groups: Record<string, { store: { size: number } }> };
  await eventually(() => groups.groups['services']!.store.size >= 3 && groups.groups['ReplicaSet']!.store.size === 1, 'informers filled');
  const sel = scheduler.defaultSelector(pod);
  assert.deepEqual(sel?.requirements.map((r) => `${r.key}${r.operator}${r.values.join(',')}`).sort(), ['app=web', 'app=web', 'hash=1', 'tier=front']);
  assert.equal(scheduler.defaultSelector(makePod('lonely', { labels: { x: 'y' } })), undefined);
});

test('a late Unschedulable condition never overwrites a pod bound meanwhile', async (t) => {
  const { scheduler, pods, client } = await setup(t);
  const stale = await pods.create(makePod('racy'));
  await client.resource({ group: '', version: 'v1', plural: 'bindings', namespaced: true }).create({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'racy', namespace: 'default' }, target: { kind: 'Node', name: 'n1' } } as never, { namespace: 'default' });
  await (scheduler as unknown as { setUnschedulableCondition(p: Pod, m: string): Promise<void> }).setUnschedulableCondition(stale, '0/1 nodes are available: 1 Insufficient cpu.');
  const pod = await pods.get('racy', { namespace: 'default' });
  assert.equal(pod.spec?.nodeName, 'n1');
  assert.equal(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
});

test('a pod with a WaitForFirstConsumer claim names its node on the claim and is bound once the claim is bound', async (t) => {
  const { client, scheduler, pods, addNode } = await setup(t);
  const claims = client.resource({ group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true });
  await client.resource({ group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false }).create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kin.dev/hostpath', volumeBindingMode: 'WaitForFirstConsumer' });
  await claims.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { storageClassName: 'local', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  await addNode(makeNode('n1'));
  await pods.create(makePod('db', { spec: { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] } }));
  await eventually(() => scheduler.queue.stats().active === 1 && scheduler.cache.nodeCount === 1, 'pod queued and node known');
  const attempt = scheduler.scheduleNext();
  let selected: string | undefined;
  for (let i = 0; i < 1000 && selected === undefined; i++) {
    selected = (await claims.get('data', { namespace: 'default' })).metadata?.annotations?.['volume.kubernetes.io/selected-node'];
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(selected, 'n1', 'the scheduler names the node on the claim');
  assert.equal((await pods.get('db', { namespace: 'default' })).spec?.nodeName, undefined, 'not bound before its claim');
  await new PersistentVolumeBinder(client).reconcile('claim:default/data', new AbortController().signal);
  assert.equal(await attempt, true);
  assert.equal((await pods.get('db', { namespace: 'default' })).spec?.nodeName, 'n1');
});

test('a high-priority pod preempts a low-priority one: victim marked, deleted with an event, preemptor nominated then bound', async (t) => {
  const { client, scheduler, recorder, pods, addNode, clock } = await setup(t);
  const classes = client.resource({ group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', namespaced: false });
  await classes.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 10 });
  await classes.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
  await addNode(makeNode('n1', { cpu: '2' }));
  await pods.create(makePod('low', { cpu: '1500m', node: 'n1', spec: { priorityClassName: 'low' } }));
  await pods.create(makePod('high', { cpu: '1', spec: { priorityClassName: 'high' } }));
  await eventually(() => scheduler.queue.stats().active === 1 && scheduler.cache.nodeOf('default/low') === 'n1', 'preemptor queued, victim cached');
  const high = await pods.get('high', { namespace: 'default' });
  assert.equal(high.spec?.priority, 1000);

  assert.equal(await scheduler.scheduleNext(), true);
  assert.deepEqual(recorder.events, [
    { object: 'Pod/default/high', type: 'Warning', reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.' },
    { object: 'Pod/default/low', type: 'Normal', reason: 'Preempted', message: `Preempted by pod ${high.metadata!.uid} on node n1` },
  ]);
  const victim = await pods.get('low', { namespace: 'default' });
  assert.ok(victim.metadata?.deletionTimestamp, 'the victim is being deleted gracefully');
  const cond = victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  assert.deepEqual({ status: cond?.status, reason: cond?.reason, message: cond?.message }, { status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' });
  assert.equal(scheduler.nominator.nodeOf('default/high'), 'n1');
  await eventually(() => scheduler['pods'].store.get('default/high')?.status?.nominatedNodeName === 'n1', 'nominatedNodeName written');
  const nominated = await pods.get('high', { namespace: 'default' });
  assert.equal(nominated.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message, '0/1 nodes are available: 1 Insufficient cpu.');

  // A lower-priority pod may not take the room promised to the preemptor.
  await pods.create(makePod('mid', { cpu: '1500m', spec: { priorityClassName: 'low' } }));
  await eventually(() => scheduler.queue.stats().active === 1, 'mid queued');
  await pods.delete('low', { namespace: 'default', gracePeriodSeconds: 0 });
  await eventually(() => scheduler.cache.nodeOf('default/low') === undefined, 'victim gone');
  await scheduler.scheduleNext();
  assert.equal((await pods.get('mid', { namespace: 'default' })).spec?.nodeName, undefined, 'mid is kept off the nominated room');

  await eventually(() => scheduler.queue.stats().backoff >= 1 || scheduler.queue.stats().active >= 1, 'preemptor moved by the deletion');
  clock.advance(10_000);
  while (await scheduler.scheduleNext()) {
    if ((await pods.get('high', { namespace: 'default' })).spec?.nodeName) break;
  }
  assert.equal((await pods.get('high', { namespace: 'default' })).spec?.nodeName, 'n1');
  assert.equal(scheduler.nominator.nodeOf('default/high'), undefined);
});

test('a pod with preemptionPolicy Never does not preempt and says so', async (t) => {
  const { client, scheduler, recorder, pods, addNode } = await setup(t);
  await client.resource({ group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', namespaced: false }).create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'polite' }, value: 1000, preemptionPolicy: 'Never' });
  await addNode(makeNode('n1', { cpu: '2' }));
  await pods.create(makePod('low', { cpu: '2', node: 'n1' }));
  await pods.create(makePod('polite', { cpu: '1', spec: { priorityClassName: 'polite' } }));
  await eventually(() => scheduler.queue.stats().active === 1 && scheduler.cache.nodeOf('default/low') === 'n1', 'queued');
  await scheduler.scheduleNext();
  assert.deepEqual(recorder.events.map((e) => e.message), ['0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.']);
  assert.equal((await pods.get('low', { namespace: 'default' })).metadata?.deletionTimestamp, undefined);
});

test('a preemptor of higher priority takes the node from a nominated pod of lower priority, which loses its nomination', async (t) => {
  const { client, scheduler, pods, addNode } = await setup(t);
  const classes = client.resource({ group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', namespaced: false });
  for (const [name, value] of [['low', 1], ['mid', 50], ['high', 1000]] as const) await classes.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
  await addNode(makeNode('n1', { cpu: '2' }));
  await pods.create(makePod('victim', { cpu: '2', node: 'n1', spec: { priorityClassName: 'low' } }));
  await pods.create(makePod('mid', { cpu: '1', spec: { priorityClassName: 'mid' } }));
  await eventually(() => scheduler.queue.stats().active === 1 && scheduler.cache.nodeOf('default/victim') === 'n1', 'mid queued');
  await scheduler.scheduleNext();
  assert.equal(scheduler.nominator.nodeOf('default/mid'), 'n1');

  // The nomination of mid may still be on its way to the API: its clearing must land after it.
  await pods.create(makePod('high', { cpu: '2', spec: { priorityClassName: 'high' } }));
  await eventually(() => scheduler.queue.stats().active === 1, 'high queued');
  await scheduler.scheduleNext();
  assert.equal(scheduler.nominator.nodeOf('default/high'), 'n1');
  assert.equal((await pods.get('mid', { namespace: 'default' })).status?.nominatedNodeName, undefined);
  await eventually(() => scheduler['pods'].store.get('default/high')?.status?.nominatedNodeName === 'n1', 'high nominated');
  await eventually(() => scheduler['pods'].store.get('default/mid')?.status?.nominatedNodeName === undefined && scheduler.nominator.nodeOf('default/mid') === undefined, 'mid no longer nominated');
});
