import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport, isNotFound } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../../util/index.js';
import { SharedInformerFactory, type Lister } from '../runtime/index.js';
import { advance, eventually } from '../runtime/testing-support/index.js';
import { byEvictionAndCreation, isPodTerminated, newPodGcController, nodesRef, outOfServiceTaintKey, PodGarbageCollector, podsRef, quarantineTimeMs } from './index.js';

type PodObj = Pod & KubeObject;
type NodeObj = Node & KubeObject;

async function setup(opts: { threshold?: number; hideNodes?: string[] } = {}) {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const clock = new FakeClock();
  const ac = new AbortController();
  const factory = new SharedInformerFactory({ client, clock: systemClock, logger: silentLogger });
  const podInformer = factory.informerFor<PodObj>(podsRef);
  const nodeInformer = factory.informerFor<NodeObj>(nodesRef);
  factory.start(ac.signal);
  await factory.waitForCacheSync(ac.signal);
  const hidden = new Set(opts.hideNodes ?? []);
  const all = nodeInformer.store;
  // A node cache that is behind the server: it does not have the hidden nodes yet.
  const nodeLister: Lister<NodeObj> = { ...all, get: (k) => (hidden.has(k) ? undefined : all.get(k)), list: () => all.list().filter((n) => !hidden.has(n.metadata?.name ?? '')), listInNamespace: (ns) => all.listInNamespace(ns), byIndex: (i, v) => all.byIndex(i, v), keys: () => all.keys(), size: all.size };
  const gc = new PodGarbageCollector({ pods: podInformer.store, nodes: nodeLister }, { client, clock, ...(opts.threshold !== undefined ? { terminatedPodThreshold: opts.threshold } : {}) });
  const pods = client.resource<PodObj>(podsRef);
  const nodes = client.resource<NodeObj>(nodesRef);
  const createNode = async (name: string, o: { ready?: boolean; outOfService?: boolean } = {}) => {
    await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: o.outOfService ? { taints: [{ key: outOfServiceTaintKey, value: 'nodeshutdown', effect: 'NoExecute' }] } : {} });
    if (o.ready) await nodes.patch(name, 'merge', { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] } }, { subresource: 'status' });
    await eventually(() => all.get(name) !== undefined, `node ${name} in the cache`);
  };
  const createPod = async (name: string, o: { nodeName?: string; phase?: string; reason?: string; finalizer?: boolean } = {}) => {
    await pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', ...(o.finalizer ? { finalizers: ['kin.dev/test-hold'] } : {}) },
      spec: { ...(o.nodeName ? { nodeName: o.nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] },
    });
    if (o.phase) await pods.patch(name, 'merge', { status: { phase: o.phase, ...(o.reason ? { reason: o.reason } : {}) } }, { namespace: 'default', subresource: 'status' });
  };
  const get = (name: string) => pods.get(name, { namespace: 'default' }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
  // The pod cache caught up with the server: every pod in it as the server has it now.
  const synced = async () => {
    const { items } = await pods.list({ namespace: 'default' });
    await eventually(() => podInformer.store.size === items.length && items.every((p) => podInformer.store.get(`default/${p.metadata?.name}`)?.metadata?.resourceVersion === p.metadata?.resourceVersion), 'pod cache in step');
  };
  const names = async () => (await pods.list({ namespace: 'default' })).items.map((p) => p.metadata?.name ?? '').sort();
  return { client, clock, gc, pods, nodes, createNode, createPod, get, synced, names, signal: ac.signal, stop: () => ac.abort() };
}

test('terminated pods beyond the threshold are deleted, evicted ones first, then the oldest', async () => {
  const s = await setup({ threshold: 2 });
  await s.createNode('node-a', { ready: true });
  await s.createPod('a-done', { nodeName: 'node-a', phase: 'Succeeded' });
  await s.createPod('b-failed', { nodeName: 'node-a', phase: 'Failed' });
  await s.createPod('c-done', { nodeName: 'node-a', phase: 'Succeeded' });
  await s.createPod('z-evicted', { nodeName: 'node-a', phase: 'Failed', reason: 'Evicted' });
  await s.createPod('running', { nodeName: 'node-a', phase: 'Running' });
  await s.synced();
  await s.gc.gc(s.signal);
  assert.deepEqual(await s.names(), ['b-failed', 'c-done', 'running']);
  s.stop();
});

test('no terminated pod is deleted at or under the threshold, nor with the pass turned off', async () => {
  for (const threshold of [3, 0]) {
    const s = await setup({ threshold });
    await s.createNode('node-a', { ready: true });
    for (const n of ['p1', 'p2', 'p3']) await s.createPod(n, { nodeName: 'node-a', phase: 'Succeeded' });
    await s.synced();
    await s.gc.gc(s.signal);
    assert.deepEqual(await s.names(), ['p1', 'p2', 'p3'], `threshold ${threshold}`);
    s.stop();
  }
});

test('a pod bound to a missing node is kept through the quarantine, then marked Failed with DisruptionTarget and deleted', async () => {
  const s = await setup();
  await s.createPod('orphan', { nodeName: 'gone', phase: 'Running', finalizer: true });
  await s.createPod('orphan-2', { nodeName: 'gone', phase: 'Running' });
  await s.synced();
  await s.gc.gc(s.signal);
  s.clock.advance(quarantineTimeMs - 1);
  await s.gc.gc(s.signal);
  assert.equal((await s.get('orphan'))?.metadata?.deletionTimestamp, undefined, 'still in quarantine');
  s.clock.advance(1);
  await s.gc.gc(s.signal);
  assert.equal(await s.get('orphan-2'), undefined);
  // The finalizer holds the first one back, so what was written before the delete can be seen.
  const held = await s.get('orphan');
  assert.ok(held?.metadata?.deletionTimestamp);
  assert.equal(held.metadata.deletionGracePeriodSeconds, 0);
  assert.equal(held.status?.phase, 'Failed');
  const cond = held.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  assert.deepEqual({ status: cond?.status, reason: cond?.reason, message: cond?.message }, { status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
  assert.ok(cond?.lastTransitionTime);
  s.stop();
});

test('an orphan whose node shows up during the quarantine, or exists but is not cached yet, is kept', async () => {
  const s = await setup({ hideNodes: ['slow-cache'] });
  await s.createPod('late', { nodeName: 'late-node', phase: 'Running' });
  await s.createPod('cached-late', { nodeName: 'slow-cache', phase: 'Running' });
  await s.createNode('slow-cache', { ready: true });
  await s.synced();
  await s.gc.gc(s.signal);
  await s.createNode('late-node', { ready: true });
  s.clock.advance(quarantineTimeMs);
  await s.gc.gc(s.signal);
  assert.deepEqual(await s.names(), ['cached-late', 'late']);
  s.stop();
});

test('an unscheduled pod being deleted is marked Failed and deleted with grace period 0', async () => {
  const s = await setup();
  await s.createPod('pending', { finalizer: true });
  await s.createPod('pending-alive');
  await s.pods.delete('pending', { namespace: 'default' });
  await s.synced();
  await s.gc.gc(s.signal);
  const p = await s.get('pending');
  assert.equal(p?.status?.phase, 'Failed');
  assert.equal(p?.metadata?.deletionGracePeriodSeconds, 0);
  assert.equal((await s.get('pending-alive'))?.metadata?.deletionTimestamp, undefined);
  s.stop();
});

test('terminating pods on a not-ready node tainted out-of-service are force-deleted; elsewhere they wait', async () => {
  const s = await setup();
  await s.createNode('down', { outOfService: true });
  await s.createNode('down-no-taint');
  await s.createNode('up', { ready: true, outOfService: true });
  for (const [pod, node] of [['on-down', 'down'], ['on-down-no-taint', 'down-no-taint'], ['on-up', 'up'], ['alive-on-down', 'down']] as const) {
    await s.createPod(pod, { nodeName: node, phase: 'Running' });
  }
  for (const pod of ['on-down', 'on-down-no-taint', 'on-up']) await s.pods.delete(pod, { namespace: 'default', gracePeriodSeconds: 30 });
  await s.synced();
  await s.gc.gc(s.signal);
  assert.deepEqual(await s.names(), ['alive-on-down', 'on-down-no-taint', 'on-up']);
  s.stop();
});

test('the controller runs the collector every 20 seconds once its caches have synced', async () => {
  const s = await setup();
  const factory = new SharedInformerFactory({ client: s.client, clock: systemClock, logger: silentLogger });
  const c = newPodGcController(factory, { client: s.client, clock: s.clock });
  const ac = new AbortController();
  factory.start(ac.signal);
  const done = c.run(ac.signal);
  await s.createPod('orphan', { nodeName: 'gone', phase: 'Running' });
  // The first pass may have run before the pod was cached; the quarantine then starts with the next one.
  await advance(s.clock, 100_000, 1000);
  assert.equal(await s.get('orphan'), undefined);
  ac.abort();
  await done;
  s.stop();
});

test('pods sort evicted first, then by creation time, then by name; only Pending, Running and Unknown are not terminated', () => {
  const p = (name: string, created: string, phase = 'Failed', reason?: string): PodObj => ({ metadata: { name, creationTimestamp: created }, status: { phase, ...(reason ? { reason } : {}) } });
  const pods = [p('b', '2026-01-01T00:00:02Z'), p('a', '2026-01-01T00:00:02Z'), p('old', '2026-01-01T00:00:01Z'), p('ev', '2026-01-01T00:00:09Z', 'Failed', 'Evicted')];
  assert.deepEqual(pods.sort(byEvictionAndCreation).map((x) => x.metadata?.name), ['ev', 'old', 'a', 'b']);
  const cases: [string | undefined, boolean][] = [['Pending', false], ['Running', false], ['Unknown', false], ['Succeeded', true], ['Failed', true], [undefined, true]];
  for (const [phase, want] of cases) assert.equal(isPodTerminated({ status: phase ? { phase } : {} }), want, String(phase));
});
