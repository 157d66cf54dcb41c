import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/index.js';
import { ApiClient, inProcessTransport, isNotFound, type ResourceRef } from '../client/index.js';
import { MemoryBackend, WatchCache } from '../storage/index.js';
import { silentLogger, systemClock } from '../util/index.js';
import { assembleApiServer } from './assemble.js';
import { defaultGcPolicy, gcFinalizers } from './deletion.js';
import { builtinStrategies } from '../cmd/strategies.js';

const cases: { name: string; existing: string[]; opts: { orphanDependents?: boolean; propagationPolicy?: string }; policy: 'Background' | 'Orphan'; want: string[] }[] = [
  { name: 'background adds nothing', existing: [], opts: { propagationPolicy: 'Background' }, policy: 'Background', want: [] },
  { name: 'foreground adds foregroundDeletion', existing: ['a'], opts: { propagationPolicy: 'Foreground' }, policy: 'Background', want: ['a', 'foregroundDeletion'] },
  { name: 'orphan adds orphan', existing: [], opts: { propagationPolicy: 'Orphan' }, policy: 'Background', want: ['orphan'] },
  { name: 'orphanDependents true adds orphan', existing: [], opts: { orphanDependents: true }, policy: 'Background', want: ['orphan'] },
  { name: 'a changed policy swaps the finalizer', existing: ['orphan', 'b'], opts: { propagationPolicy: 'Foreground' }, policy: 'Background', want: ['b', 'foregroundDeletion'] },
  { name: 'background on a foreground deletion removes the finalizer', existing: ['foregroundDeletion'], opts: { propagationPolicy: 'Background' }, policy: 'Background', want: [] },
  { name: 'no policy keeps the object own choice', existing: ['foregroundDeletion'], opts: {}, policy: 'Orphan', want: ['foregroundDeletion'] },
  { name: 'no policy takes the resource default', existing: [], opts: {}, policy: 'Orphan', want: ['orphan'] },
];
for (const c of cases) {
  test(`delete finalizers: ${c.name}`, () => {
    assert.deepEqual(gcFinalizers(c.existing, c.opts, c.policy), c.want);
  });
}

test('default policies: v1 ReplicationControllers and batch/v1 Jobs orphan, the rest deletes dependents', () => {
  assert.equal(defaultGcPolicy({ group: '', version: 'v1', plural: 'replicationcontrollers' }), 'Orphan');
  assert.equal(defaultGcPolicy({ group: 'batch', version: 'v1', plural: 'jobs' }), 'Orphan');
  assert.equal(defaultGcPolicy({ group: 'apps', version: 'v1', plural: 'deployments' }), 'Background');
  assert.equal(defaultGcPolicy({ group: '', version: 'v1', plural: 'configmaps' }), 'Background');
});

const pods: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const configmaps: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

async function client() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  return new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
}

function pod(name: string, nodeName?: string): KubeObject {
  return { metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }], terminationGracePeriodSeconds: 30, ...(nodeName ? { nodeName } : {}) } } as KubeObject;
}

async function gone(c: ApiClient, ref: ResourceRef, name: string): Promise<boolean> {
  try {
    await c.resource(ref).get(name, { namespace: 'default' });
    return false;
  } catch (e) {
    return isNotFound(e);
  }
}

test('a pod not bound to a node is deleted at once', async () => {
  const c = await client();
  await c.resource(pods).create(pod('unbound'));
  await c.resource(pods).delete('unbound', { namespace: 'default' });
  assert.ok(await gone(c, pods, 'unbound'));
});

test('a bound pod stays with its grace period until a shorter one or a force delete', async () => {
  const c = await client();
  await c.resource(pods).create(pod('bound', 'node-1'));
  const first = (await c.resource(pods).delete('bound', { namespace: 'default' })) as KubeObject;
  assert.equal(first.metadata?.deletionGracePeriodSeconds, 30);
  assert.ok(first.metadata?.deletionTimestamp);
  const second = (await c.resource(pods).delete('bound', { namespace: 'default', gracePeriodSeconds: 5 })) as KubeObject;
  assert.equal(second.metadata?.deletionGracePeriodSeconds, 5);
  const longer = (await c.resource(pods).delete('bound', { namespace: 'default', gracePeriodSeconds: 60 })) as KubeObject;
  assert.equal(longer.metadata?.deletionGracePeriodSeconds, 5, 'a longer period is ignored');
  await c.resource(pods).delete('bound', { namespace: 'default', gracePeriodSeconds: 0 });
  assert.ok(await gone(c, pods, 'bound'));
});

test('foreground and orphan deletes keep the object with their finalizer; a repeated delete switches it', async () => {
  const c = await client();
  await c.resource(configmaps).create({ metadata: { name: 'cm', namespace: 'default' } });
  const fg = (await c.resource(configmaps).delete('cm', { namespace: 'default', propagationPolicy: 'Foreground' })) as KubeObject;
  assert.deepEqual(fg.metadata?.finalizers, ['foregroundDeletion']);
  const or = (await c.resource(configmaps).delete('cm', { namespace: 'default', propagationPolicy: 'Orphan' })) as KubeObject;
  assert.deepEqual(or.metadata?.finalizers, ['orphan']);
  assert.equal(or.metadata?.deletionTimestamp, fg.metadata?.deletionTimestamp);
  await c.resource(configmaps).delete('cm', { namespace: 'default', propagationPolicy: 'Background' });
  assert.ok(await gone(c, configmaps, 'cm'));
});
