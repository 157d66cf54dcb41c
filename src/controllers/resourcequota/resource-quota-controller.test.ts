import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { silentLogger, systemClock } from '../../util/index.js';
import { SharedInformerFactory } from '../runtime/index.js';
import { informerSource, newResourceQuotaController, ResourceQuotaReconciler } from './index.js';

const signal = new AbortController().signal;
const rqRef = { group: '', version: 'v1', plural: 'resourcequotas', namespaced: true };
const podRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const cmRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  return new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
}

function pod(name: string, cpu: string, phase?: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu }, limits: { cpu, memory: '64Mi' } } }] },
    ...(phase ? { status: { phase } } : {}),
  };
}

const quota = {
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'compute', namespace: 'default' },
  spec: { hard: { 'requests.cpu': '2', 'limits.memory': '1Gi', pods: '10', 'count/configmaps': '5', 'count/deployments.apps': '3' } },
};

test('a quota gets status.hard from spec and status.used counted from the namespace', async () => {
  const client = await setup();
  await client.resource(podRef).create(pod('a', '500m'));
  await client.resource(podRef).create(pod('b', '250m'));
  await client.resource(cmRef).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } });
  await client.resource(rqRef).create(quota);
  const r = new ResourceQuotaReconciler(client, informerSource(client, new Map()));
  const res = await r.reconcile('default/compute', signal);
  const status = (await client.resource(rqRef).get('compute', { namespace: 'default' }))['status'] as Record<string, Record<string, string>>;
  assert.deepEqual(status['hard'], { 'count/configmaps': '5', 'count/deployments.apps': '3', 'limits.memory': '1Gi', pods: '10', 'requests.cpu': '2' });
  // kube-root-ca.crt is not published in this server (no controller), so the one ConfigMap is ours.
  assert.deepEqual(status['used'], { 'count/configmaps': '1', 'count/deployments.apps': '0', 'limits.memory': '128Mi', pods: '2', 'requests.cpu': '750m' });
  assert.deepEqual(res, { requeueAfterMs: 30_000 }, 'deployments are counted on a timer');
});

test('finished pods no longer use compute quota', async () => {
  const client = await setup();
  await client.resource(podRef).create(pod('a', '500m'));
  const done = await client.resource(podRef).create(pod('b', '1'));
  await client.resource(podRef).update({ ...done, status: { phase: 'Succeeded' } }, { subresource: 'status' });
  await client.resource(rqRef).create({ ...quota, spec: { hard: { 'requests.cpu': '2', pods: '10', 'count/pods': '10' } } });
  await new ResourceQuotaReconciler(client, informerSource(client, new Map())).reconcile('default/compute', signal);
  const status = (await client.resource(rqRef).get('compute', { namespace: 'default' }))['status'] as Record<string, Record<string, string>>;
  assert.deepEqual(status['used'], { 'count/pods': '2', pods: '1', 'requests.cpu': '500m' });
});

test('the controller gives quota back when a pod is deleted', async () => {
  const client = await setup();
  const informers = new SharedInformerFactory({ client, clock: systemClock, logger: silentLogger });
  const c = newResourceQuotaController(informers, { client, logger: silentLogger });
  const ac = new AbortController();
  const running = c.run(ac.signal);
  informers.start(ac.signal);
  // Polls the API (each poll yields to the event loop; no wall-clock assertion).
  const eventually = async (check: () => Promise<void>) => {
    for (let i = 0; ; i++) {
      try {
        return await check();
      } catch (e) {
        if (i > 2000) throw e;
        await new Promise((r) => setImmediate(r));
      }
    }
  };
  try {
    await client.resource(rqRef).create({ ...quota, spec: { hard: { pods: '5' } } });
    await client.resource(podRef).create(pod('a', '100m'));
    const used = async () => ((await client.resource(rqRef).get('compute', { namespace: 'default' }))['status'] as { used?: Record<string, string> } | undefined)?.used;
    await eventually(async () => assert.deepEqual(await used(), { pods: '1' }));
    await client.resource(podRef).delete('a', { namespace: 'default', gracePeriodSeconds: 0 });
    await eventually(async () => assert.deepEqual(await used(), { pods: '0' }));
  } finally {
    ac.abort();
    await running;
  }
});
