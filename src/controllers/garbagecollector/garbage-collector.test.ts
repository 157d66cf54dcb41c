import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '../../api/index.js';
import { assembleApiServer, type ApiServer } from '../../apiserver/assemble.js';
import { ApiClient, inProcessTransport, isNotFound, type ResourceRef } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { silentLogger, systemClock } from '../../util/index.js';
import { SharedInformerFactory } from '../runtime/index.js';
import { GarbageCollector } from './garbage-collector.js';
import { discoverResources } from './discovery.js';
import { builtinStrategies } from '../../cmd/strategies.js';

const ns = 'gc-test';
const configmaps: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
const secrets: ResourceRef = { group: '', version: 'v1', plural: 'secrets', namespaced: true };
const namespaces: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const clusterRoles: ResourceRef = { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', namespaced: false };

async function cluster(api?: ApiServer) {
  const server = api ?? assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  if (!api) await server.bootstrap();
  const client = new ApiClient(inProcessTransport(server.handler, { username: 'kin-test', groups: ['system:masters'] }));
  if (!api) await client.resource(namespaces).create({ metadata: { name: ns } });
  return { api: server, client };
}

function startGc(client: ApiClient) {
  const informers = new SharedInformerFactory({ client });
  const gc = new GarbageCollector({ client, informers, rediscoverMs: 3_600_000 });
  const ac = new AbortController();
  informers.start(ac.signal);
  const run = gc.run(ac.signal);
  return {
    gc,
    async stop() {
      ac.abort();
      await run;
      await informers.stopped();
    },
  };
}

function refTo(o: KubeObject, kind: string, block = false): OwnerReference {
  return { apiVersion: 'v1', kind, name: o.metadata!.name!, uid: o.metadata!.uid!, ...(block ? { blockOwnerDeletion: true } : {}) };
}

async function exists(client: ApiClient, ref: ResourceRef, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.resource(ref).get(name, { namespace: ns });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Polls the API until `cond` holds (event-loop turns only). */
async function until(cond: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`${what}: still not true`);
}

/** owner (ConfigMap) ← child (Secret) ← grandchild (ConfigMap), each ref blocking. */
async function tree(client: ApiClient, grandchildFinalizer?: string) {
  const owner = await client.resource(configmaps).create({ metadata: { name: 'owner', namespace: ns } });
  const child = await client.resource(secrets).create({ metadata: { name: 'child', namespace: ns, ownerReferences: [refTo(owner, 'ConfigMap', true)] } });
  const grandchild = await client.resource(configmaps).create({
    metadata: { name: 'grandchild', namespace: ns, ownerReferences: [refTo(child, 'Secret', true)], ...(grandchildFinalizer ? { finalizers: [grandchildFinalizer] } : {}) },
  });
  return { owner, child, grandchild };
}

test('background deletion: the owner goes at once and the collector removes dependents level by level', async () => {
  const { client } = await cluster();
  const gc = startGc(client);
  await tree(client);
  await client.resource(configmaps).delete('owner', { namespace: ns, propagationPolicy: 'Background' });
  assert.equal(await exists(client, configmaps, 'owner'), undefined);
  await until(async () => !(await exists(client, secrets, 'child')) && !(await exists(client, configmaps, 'grandchild')), 'the tree is collected');
  await gc.stop();
});

test('foreground deletion: the owner waits with foregroundDeletion until blocking dependents are gone', async () => {
  const { client } = await cluster();
  const gc = startGc(client);
  await tree(client, 'example.com/hold');
  await client.resource(configmaps).delete('owner', { namespace: ns, propagationPolicy: 'Foreground' });
  await until(async () => Boolean((await exists(client, configmaps, 'grandchild'))?.metadata?.deletionTimestamp), 'the grandchild is being deleted');
  const owner = await exists(client, configmaps, 'owner');
  assert.deepEqual(owner?.metadata?.finalizers, ['foregroundDeletion']);
  assert.ok(await exists(client, secrets, 'child'), 'the child waits for the grandchild');
  await client.resource(configmaps).patch('grandchild', 'json', [{ op: 'remove', path: '/metadata/finalizers' }], { namespace: ns });
  await until(async () => !(await exists(client, configmaps, 'owner')) && !(await exists(client, secrets, 'child')), 'the whole tree goes');
  await gc.stop();
});

test('orphan deletion: dependents lose their ownerReferences and stay; the owner goes', async () => {
  const { client } = await cluster();
  const gc = startGc(client);
  await tree(client);
  await client.resource(configmaps).delete('owner', { namespace: ns, propagationPolicy: 'Orphan' });
  await until(async () => !(await exists(client, configmaps, 'owner')), 'the owner goes once orphaning is done');
  const child = await exists(client, secrets, 'child');
  assert.equal(child?.metadata?.ownerReferences, undefined);
  assert.ok(await exists(client, configmaps, 'grandchild'), 'the grandchild keeps its owner, the child');
  await gc.stop();
});

test('an owner with the same name but another uid counts as absent; a dangling reference next to a live owner is dropped', async () => {
  const { client } = await cluster();
  const gc = startGc(client);
  const owner = await client.resource(configmaps).create({ metadata: { name: 'owner', namespace: ns } });
  const stale = { ...refTo(owner, 'ConfigMap'), uid: 'not-the-uid' };
  await client.resource(secrets).create({ metadata: { name: 'orphaned', namespace: ns, ownerReferences: [stale] } });
  const other = await client.resource(configmaps).create({ metadata: { name: 'other', namespace: ns } });
  await client.resource(secrets).create({ metadata: { name: 'kept', namespace: ns, ownerReferences: [{ ...stale, name: 'gone' }, refTo(other, 'ConfigMap')] } });
  await until(async () => !(await exists(client, secrets, 'orphaned')), 'the dependent of a wrong uid is collected');
  await until(async () => (await exists(client, secrets, 'kept'))?.metadata?.ownerReferences?.length === 1, 'the dangling reference is removed');
  assert.equal((await exists(client, secrets, 'kept'))?.metadata?.ownerReferences?.[0]?.name, 'other');
  await gc.stop();
});

test('ownership across scopes: a namespaced dependent of a cluster-scoped owner is collected, a cluster-scoped dependent of a namespaced owner is not', async () => {
  const { client } = await cluster();
  const gc = startGc(client);
  const role = await client.resource(clusterRoles).create({ metadata: { name: 'gc-owner-role' } });
  const roleRef = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'gc-owner-role', uid: role.metadata!.uid! };
  await client.resource(configmaps).create({ metadata: { name: 'of-role', namespace: ns, ownerReferences: [roleRef] } });
  const cm = await client.resource(configmaps).create({ metadata: { name: 'ns-owner', namespace: ns } });
  await client.resource(clusterRoles).create({ metadata: { name: 'gc-invalid', ownerReferences: [{ ...refTo(cm, 'ConfigMap'), uid: 'missing' }] } });
  await client.resource(clusterRoles).delete('gc-owner-role');
  await until(async () => !(await exists(client, configmaps, 'of-role')), 'the namespaced dependent of a cluster-scoped owner goes');
  assert.ok(await client.resource(clusterRoles).get('gc-invalid'), 'the invalid reference does not delete the cluster-scoped object');
  await gc.stop();
});

test('a collector started again resumes a foreground cascade from the API', async () => {
  const { api, client } = await cluster();
  const first = startGc(client);
  await tree(client, 'example.com/hold');
  await client.resource(configmaps).delete('owner', { namespace: ns, propagationPolicy: 'Foreground' });
  await until(async () => Boolean((await exists(client, configmaps, 'grandchild'))?.metadata?.deletionTimestamp), 'the cascade reaches the grandchild');
  await first.stop();
  await client.resource(configmaps).patch('grandchild', 'json', [{ op: 'remove', path: '/metadata/finalizers' }], { namespace: ns });
  const second = startGc((await cluster(api)).client);
  await until(async () => !(await exists(client, configmaps, 'owner')) && !(await exists(client, secrets, 'child')), 'the restarted collector finishes the cascade');
  await second.stop();
});

test('custom resources of a CRD that appears later are followed and collected', async () => {
  const { api, client } = await cluster();
  await api.start();
  const gc = startGc(client);
  const crds: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', namespaced: false };
  await client.resource(crds).create({
    metadata: { name: 'lamps.light.kin.dev' },
    spec: {
      group: 'light.kin.dev',
      names: { plural: 'lamps', kind: 'Lamp' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  } as KubeObject);
  const lamps: ResourceRef = { group: 'light.kin.dev', version: 'v1', plural: 'lamps', namespaced: true };
  await until(async () => client.resource(lamps).list({ namespace: ns }).then(() => true, () => false), 'the CRD is served');
  await gc.gc.rediscover(new AbortController().signal);
  const owner = await client.resource(configmaps).create({ metadata: { name: 'lamp-owner', namespace: ns } });
  const lamp = { apiVersion: 'light.kin.dev/v1', kind: 'Lamp', metadata: { name: 'desk', namespace: ns, ownerReferences: [refTo(owner, 'ConfigMap')] } };
  await until(async () => client.resource(lamps).create(lamp, { namespace: ns }).then(() => true, () => false), 'a Lamp is created');
  await client.resource(configmaps).delete('lamp-owner', { namespace: ns });
  await until(async () => client.resource(lamps).get('desk', { namespace: ns }).then(() => false, (e: unknown) => isNotFound(e)), 'the custom resource is collected');
  await gc.stop();
  await api.stop();
});

test('the collector follows every deletable resource but Events (both groups), as kube-controller-manager', async () => {
  const { client } = await cluster();
  const found = await discoverResources(client, new AbortController().signal);
  const followed = new Set(found.deletable.map((r) => `${r.group}/${r.plural}`));
  assert.ok(followed.has('/configmaps') && followed.has('apps/deployments') && followed.has('/pods'));
  assert.ok(!followed.has('/events') && !followed.has('events.k8s.io/events'));
  assert.ok(found.byKind.has('v1/Event'), 'owner references to Events still resolve to a resource');
});
