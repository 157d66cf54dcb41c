import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admissionOrder } from '../admission/index.js';
import { builtinStrategies } from '../cmd/strategies.js';
import { MemoryBackend, WatchCache } from '../storage/index.js';
import { silentLogger, systemClock } from '../util/index.js';
import { assembleApiServer } from './assemble.js';
import { call } from './testing-support/index.js';

async function server() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies(), admissionPlugins: admissionOrder });
  await api.bootstrap();
  const h = api.handler;
  await call(h, 'POST', '/api/v1/namespaces/default/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } });
  return h;
}

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '100m' }, limits: { cpu: '100m', memory: '64Mi' } } }], ...extra },
});

async function quotaUsed(h: Awaited<ReturnType<typeof server>>): Promise<Record<string, string>> {
  return (await call(h, 'GET', '/api/v1/namespaces/default/resourcequotas/q')).json()['status']['used'];
}

async function withQuota(h: Awaited<ReturnType<typeof server>>): Promise<void> {
  await call(h, 'POST', '/api/v1/namespaces/default/resourcequotas', { body: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { pods: '5' } } } });
  // What the resource quota controller would write.
  await call(h, 'PATCH', '/api/v1/namespaces/default/resourcequotas/q/status', { body: { status: { hard: { pods: '5' }, used: { pods: '0' } } }, contentType: 'application/merge-patch+json' });
}

test('a created pod is mutated by admission before the strategy runs: defaults, service account, tolerations, priority', async () => {
  const h = await server();
  const r = await call(h, 'POST', '/api/v1/namespaces/default/pods', { body: pod('p') });
  assert.equal(r.status, 201, r.text);
  const spec = r.json()['spec'];
  assert.equal(spec.serviceAccountName, 'default');
  assert.equal(spec.serviceAccount, 'default', 'the strategy mirrors the name admission set');
  assert.ok(spec.volumes.some((v: { name: string }) => v.name.startsWith('kube-api-access-')));
  assert.equal(spec.tolerations.length, 2);
  assert.equal(spec.priority, 0);
});

test('validating admission runs after the strategy: an invalid pod is 422 and charges no quota', async () => {
  const h = await server();
  await withQuota(h);
  const bad = await call(h, 'POST', '/api/v1/namespaces/default/pods', { body: pod('Bad_Name') });
  assert.equal(bad.status, 422);
  assert.equal((await quotaUsed(h))['pods'], '0');
  const good = await call(h, 'POST', '/api/v1/namespaces/default/pods', { body: pod('good') });
  assert.equal(good.status, 201, good.text);
  assert.equal((await quotaUsed(h))['pods'], '1');
});

test('a dry-run create is admitted but charges no quota', async () => {
  const h = await server();
  await withQuota(h);
  const r = await call(h, 'POST', '/api/v1/namespaces/default/pods?dryRun=All', { body: pod('dry') });
  assert.equal(r.status, 201, r.text);
  assert.equal((await quotaUsed(h))['pods'], '0');
});

test('an apply that creates goes through the same admission as a create', async () => {
  const h = await server();
  const r = await call(h, 'PATCH', '/api/v1/namespaces/default/pods/applied?fieldManager=test', { body: JSON.stringify(pod('applied')), contentType: 'application/apply-patch+yaml' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json()['spec'].serviceAccountName, 'default');
});

test('a pod whose service account does not exist is refused with 403', async () => {
  const h = await server();
  const r = await call(h, 'POST', '/api/v1/namespaces/default/pods', { body: pod('ghost', { serviceAccountName: 'ghost' }) });
  assert.equal(r.status, 403);
  assert.equal(r.json()['message'], 'pods "ghost" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
});

test('a create in a namespace that does not exist is 404 for the namespace', async () => {
  const h = await server();
  const r = await call(h, 'POST', '/api/v1/namespaces/nowhere/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } });
  assert.equal(r.status, 404);
  assert.equal(r.json()['message'], 'namespaces "nowhere" not found');
});

test('deleting kube-public is refused by admission', async () => {
  const h = await server();
  const r = await call(h, 'DELETE', '/api/v1/namespaces/kube-public');
  assert.equal(r.status, 403);
  assert.equal(r.json()['message'], 'namespaces "kube-public" is forbidden: this namespace may not be deleted');
});

test("admission sees the kind's defaults: a container's limit is its request before LimitRange defaults apply", async () => {
  const h = await server();
  await call(h, 'POST', '/api/v1/namespaces/default/limitranges', {
    body: { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] } },
  });
  const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'limited' }, spec: { containers: [{ name: 'app', image: 'busybox', resources: { limits: { cpu: '1' } } }] } };
  const r = await call(h, 'POST', '/api/v1/namespaces/default/pods', { body });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json()['spec'].containers[0].resources, { limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '1', memory: '128Mi' } });
  assert.equal(r.json()['metadata'].annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: memory request for container app; memory limit for container app');
});
