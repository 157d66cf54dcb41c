import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../../util/index.js';
import type { Pod } from '../endpointslice/index.js';
import { MemoryEventRecorder, SharedInformerFactory } from '../runtime/index.js';
import { settle } from '../runtime/testing-support/index.js';
import { disruptionResources as R, newDisruptionController, scaledValue, StalePodDisruptionReconciler, type PodDisruptionBudget } from './index.js';

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const abort = new AbortController();
  const factory = new SharedInformerFactory({ client });
  const recorder = new MemoryEventRecorder();
  const controller = newDisruptionController(factory, { client, recorder });
  factory.start(abort.signal);
  void controller.run(abort.signal);
  return { client, recorder, stop: () => abort.abort() };
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 2000; i++) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`${what}: never true; last ${JSON.stringify(last)}`);
}

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
const selector = { matchLabels: { app: 'web' } };

async function readyPod(client: ApiClient, name: string, owner?: { apiVersion: string; kind: string; name: string; uid: string }, ready = true) {
  const pods = client.resource<Pod>(R.pods);
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' }, ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}) }, spec: template.spec } as Pod);
  await setReady(client, name, ready);
}

async function setReady(client: ApiClient, name: string, ready: boolean) {
  await client.resource<Pod>(R.pods).patch(name, 'merge', { status: { phase: 'Running', podIP: '10.244.0.1', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }, { namespace: 'default', subresource: 'status' });
}

async function makePdb(client: ApiClient, spec: Record<string, unknown>) {
  await client.resource<PodDisruptionBudget>(R.pdbs).create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: 'default' }, spec: { selector, ...spec } });
}

const status = (client: ApiClient) => async () => (await client.resource<PodDisruptionBudget>(R.pdbs).get('pdb', { namespace: 'default' })).status;
const numbers = (s: PodDisruptionBudget['status']) => s && [s.disruptionsAllowed, s.currentHealthy, s.desiredHealthy, s.expectedPods];

test('scaled values: integers as they are, percentages of the total rounded up or down, other strings refused', () => {
  const cases: [number | string, number, boolean, number][] = [
    [3, 10, true, 3],
    ['50%', 5, true, 3],
    ['50%', 5, false, 2],
    ['30%', 7, true, 3],
    ['0%', 7, true, 0],
  ];
  for (const [v, total, up, want] of cases) assert.equal(scaledValue(v, total, up), want, `${v} of ${total}`);
  assert.throws(() => scaledValue('5', 10, true), /string is not a percentage/);
});

test('an integer minAvailable counts the selected pods, and readiness moves disruptionsAllowed and the condition', async (t) => {
  const { client, recorder, stop } = await setup();
  t.after(stop);
  await makePdb(client, { minAvailable: 2 });
  await waitFor(status(client), (s) => numbers(s)?.join() === '0,0,2,0', 'no pods yet');
  assert.ok(recorder.events.some((e) => e.reason === 'NoPods' && e.message === 'No matching pods found'));
  for (const n of ['a', 'b', 'c']) await readyPod(client, n);
  const s = await waitFor(status(client), (x) => numbers(x)?.join() === '1,3,2,3', 'three healthy');
  assert.equal(s?.observedGeneration, 1);
  const rv = async () => (await client.resource<PodDisruptionBudget>(R.pdbs).get('pdb', { namespace: 'default' })).metadata?.resourceVersion;
  const before = await rv();
  await settle(300);
  assert.equal(await rv(), before, 'no write once in step');
  assert.deepEqual(s?.conditions?.map((c) => [c.type, c.status, c.reason, c.message, c.observedGeneration]), [['DisruptionAllowed', 'True', 'SufficientPods', '', 1]]);
  await setReady(client, 'b', false);
  const after = await waitFor(status(client), (x) => numbers(x)?.join() === '0,2,2,3', 'one unready');
  assert.deepEqual(after?.conditions?.map((c) => [c.status, c.reason]), [['False', 'InsufficientPods']]);
});

test('maxUnavailable and percentages take the scale of the pods’ controllers: a Deployment through its ReplicaSet, a StatefulSet', async (t) => {
  const { client, stop } = await setup();
  t.after(stop);
  const deployment = await client.resource(R.deployments).create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 4, selector, template } });
  const rs = await client.resource(R.replicaSets).create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-1', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deployment.metadata!.uid!, controller: true }] },
    spec: { replicas: 4, selector, template },
  });
  const rsRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: rs.metadata!.uid! };
  for (const n of ['a', 'b', 'c']) await readyPod(client, n, rsRef);
  await makePdb(client, { maxUnavailable: '50%' });
  await waitFor(status(client), (x) => numbers(x)?.join() === '1,3,2,4', 'deployment scale 4, 50% unavailable');
  const ss = await client.resource(R.statefulSets).create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { replicas: 2, serviceName: 'db', selector, template } });
  await readyPod(client, 'db-0', { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: ss.metadata!.uid! });
  await waitFor(status(client), (x) => numbers(x)?.join() === '1,4,3,6', 'plus a StatefulSet of 2');
});

test('a pod without a controller under maxUnavailable is reported as unmanaged and allows no disruption', async (t) => {
  const { client, recorder, stop } = await setup();
  t.after(stop);
  await makePdb(client, { maxUnavailable: 1 });
  await readyPod(client, 'naked');
  await waitFor(async () => recorder.events, (evs) => evs.some((e) => e.reason === 'UnmanagedPods'), 'unmanaged event');
  const ev = recorder.events.find((e) => e.reason === 'UnmanagedPods')!;
  assert.match(ev.message, /^Pods selected by this PodDisruptionBudget \(selector: &LabelSelector\{MatchLabels:map\[string\]string\{app: web,\},MatchExpressions:\[\]LabelSelectorRequirement\{\},\}\) were found to be unmanaged/);
  assert.equal((await status(client)())?.disruptionsAllowed, 0);
});

test('a DisruptionTarget condition left 2 minutes on a pod that was not deleted turns False', async () => {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const clock = new FakeClock(Date.parse('2026-11-25T10:00:00Z'));
  const pods = client.resource<Pod>(R.pods);
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: template.spec } as Pod);
  const withCond = await pods.patch('p', 'merge', { status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: '2026-11-25T10:00:00Z' }] } }, { namespace: 'default', subresource: 'status' });
  const r = new StalePodDisruptionReconciler({ client, pods: { get: () => withCond, list: () => [withCond], listInNamespace: () => [withCond], byIndex: () => [], keys: () => [], size: 1 }, clock });
  assert.deepEqual(await r.reconcile('default/p', new AbortController().signal), { requeueAfterMs: 120_000 });
  clock.advance(120_000);
  await r.reconcile('default/p', new AbortController().signal);
  const got = await pods.get('p', { namespace: 'default' });
  assert.equal(got.status?.conditions?.find((c) => c.type === 'DisruptionTarget')?.status, 'False');
});

test('pods of a controller without a scale subresource make the budget fail safe with the reason', async (t) => {
  const { client, recorder, stop } = await setup();
  t.after(stop);
  const ds = await client.resource({ group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true }).create({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector, template } });
  await readyPod(client, 'agent-x', { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata!.uid! });
  await makePdb(client, { maxUnavailable: 1 });
  const s = await waitFor(status(client), (x) => x?.conditions?.[0]?.reason === 'SyncFailed', 'sync failed');
  assert.equal(s?.disruptionsAllowed, 0);
  assert.equal(s?.conditions?.[0]?.message, 'daemonsets.apps does not implement the scale subresource');
  assert.ok(recorder.events.some((e) => e.reason === 'CalculateExpectedPodCountFailed' && e.message === 'Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource'));
});
