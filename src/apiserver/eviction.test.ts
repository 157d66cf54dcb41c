import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from './assemble.js';
import { builtinStrategies } from '../cmd/strategies.js';
import { ApiClient, inProcessTransport, isNotFound, type ClientRequest } from '../client/index.js';
import { MemoryBackend, WatchCache } from '../storage/index.js';
import { silentLogger, systemClock } from '../util/index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const transport = inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] });
  const client = new ApiClient(transport);
  const pods = client.resource({ group: '', version: 'v1', plural: 'pods', namespaced: true });
  const pdbs = client.resource({ group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true });
  const send = async (method: string, path: string, body?: unknown) => {
    const req: ClientRequest = { method, path, query: new URLSearchParams(), headers: { 'content-type': 'application/json', accept: 'application/json' }, body: new TextEncoder().encode(body === undefined ? '' : JSON.stringify(body)), signal: new AbortController().signal };
    const res = await transport(req);
    let text = '';
    if (typeof res.body === 'string') text = res.body;
    else if (res.body instanceof Uint8Array) text = new TextDecoder().decode(res.body);
    else for await (const c of res.body as AsyncIterable<Uint8Array | string>) text += typeof c === 'string' ? c : new TextDecoder().decode(c);
    return { status: res.status, headers: res.headers, body: JSON.parse(text) as Obj };
  };
  const evict = (name: string, deleteOptions?: Obj) => send('POST', `/api/v1/namespaces/default/pods/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, ...(deleteOptions ? { deleteOptions } : {}) });
  /** A pod on node-1 in the given phase and readiness. */
  const pod = async (name: string, phase = 'Running', ready = true) => {
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] } });
    await pods.patch(name, 'merge', { status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }, { namespace: 'default', subresource: 'status' });
  };
  /** A budget selecting app=web with the given status (as the disruption controller would write it). */
  const pdb = async (name: string, status: Obj, generationLag = false) => {
    await pdbs.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } });
    await pdbs.patch(name, 'merge', { status: { observedGeneration: generationLag ? 0 : 1, expectedPods: 2, ...status } }, { namespace: 'default', subresource: 'status' });
  };
  const get = (name: string) => pods.get(name, { namespace: 'default' }) as Promise<Obj>;
  return { send, evict, pod, pdb, pods, pdbs, get };
}

test('discovery lists pods/eviction taking a policy/v1 Eviction', async () => {
  const { send } = await setup();
  const res = await send('GET', '/api/v1');
  const eviction = (res.body['resources'] as Obj[]).find((r) => r['name'] === 'pods/eviction');
  assert.deepEqual(eviction && { group: eviction['group'], version: eviction['version'], kind: eviction['kind'], verbs: eviction['verbs'] }, { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
});

test('without a budget the pod is deleted gracefully and marked DisruptionTarget by the Eviction API', async () => {
  const { evict, pod, get } = await setup();
  await pod('a');
  const res = await evict('a', { gracePeriodSeconds: 30 });
  assert.equal(res.status, 201);
  assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  const p = await get('a');
  assert.ok(p['metadata'].deletionTimestamp, 'terminating');
  const c = (p['status'].conditions as Obj[]).find((x) => x['type'] === 'DisruptionTarget');
  assert.deepEqual(c && [c['status'], c['reason'], c['message']], ['True', 'EvictionByEvictionAPI', 'Eviction API: evicting']);
});

test('a budget with no disruptions allowed refuses with 429 and its numbers in the cause', async () => {
  const { evict, pod, pdb, get } = await setup();
  await pod('a');
  await pdb('web-pdb', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1 });
  const res = await evict('a');
  assert.equal(res.status, 429);
  assert.equal(res.body['reason'], 'TooManyRequests');
  assert.equal(res.body['message'], "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.deepEqual(res.body['details'], { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 1 healthy pods and has 1 currently' }] });
  assert.equal((await get('a'))['metadata'].deletionTimestamp, undefined);
});

test('a budget not yet processed by the controller refuses with 429 and Retry-After 10', async () => {
  const { evict, pod, pdb } = await setup();
  await pod('a');
  await pdb('web-pdb', { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1 }, true);
  const res = await evict('a');
  assert.equal(res.status, 429);
  assert.equal(res.headers['retry-after'], '10');
  assert.equal(res.body['details'].retryAfterSeconds, 10);
  assert.equal(res.body['details'].causes[0].message, 'The disruption budget web-pdb is still being processed by the server.');
});

test('an allowed eviction uses up a disruption: disruptionsAllowed decremented, the pod in disruptedPods, the condition False', async () => {
  const { evict, pod, pdb, pdbs, pods } = await setup();
  await pod('a');
  await pdb('web-pdb', { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 }] });
  assert.equal((await evict('a', { gracePeriodSeconds: 0 })).status, 201);
  await assert.rejects(pods.get('a', { namespace: 'default' }), isNotFound);
  const s = ((await pdbs.get('web-pdb', { namespace: 'default' })) as Obj)['status'];
  assert.equal(s.disruptionsAllowed, 0);
  assert.deepEqual(Object.keys(s.disruptedPods), ['a']);
  assert.deepEqual([s.conditions[0].status, s.conditions[0].reason], ['False', 'InsufficientPods']);
});

test('pending pods and unready pods of a healthy budget go without using a disruption', async () => {
  const { evict, pod, pdb, pdbs, pods } = await setup();
  await pod('pending', 'Pending', false);
  await pod('unready', 'Running', false);
  await pdb('web-pdb', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1 });
  assert.equal((await evict('pending', { gracePeriodSeconds: 0 })).status, 201);
  assert.equal((await evict('unready', { gracePeriodSeconds: 0 })).status, 201);
  await assert.rejects(pods.get('unready', { namespace: 'default' }), isNotFound);
  assert.equal(((await pdbs.get('web-pdb', { namespace: 'default' })) as Obj)['status'].disruptionsAllowed, 0);
});

test('bad evictions: another name than the URL’s, two budgets for one pod, dry-run leaves everything', async () => {
  const { send, evict, pod, pdb, get } = await setup();
  await pod('a');
  const mismatch = await send('POST', '/api/v1/namespaces/default/pods/a/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'b' } });
  assert.deepEqual([mismatch.status, mismatch.body['message']], [400, 'name in URL does not match name in Eviction object']);
  await pdb('one', { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1 });
  assert.equal((await evict('a', { dryRun: ['All'] })).status, 201);
  assert.equal((await get('a'))['metadata'].deletionTimestamp, undefined);
  await pdb('two', { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1 });
  const two = await evict('a');
  assert.deepEqual([two.status, two.body['message']], [500, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.']);
});
