import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../../apiserver/assemble.js';
import { builtinStrategies } from '../../../cmd/strategies.js';
import { ApiClient, inProcessTransport, isNotFound } from '../../../client/index.js';
import { MemoryBackend, WatchCache } from '../../../storage/index.js';
import { silentLogger, systemClock } from '../../../util/index.js';
import { PvProtectionReconciler, pvProtectionFinalizer } from '../pvprotection/index.js';
import { claimsOfPod, PvcProtectionReconciler, pvcProtectionFinalizer } from './index.js';

const signal = new AbortController().signal;

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  return new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
}

const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'user', namespace: 'default' },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] },
};

test('a claim gets the protection finalizer and keeps it while a pod uses it', async () => {
  const client = await setup();
  const pvcs = client.resource({ group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true });
  const pods = client.resource({ group: '', version: 'v1', plural: 'pods', namespaced: true });
  const r = new PvcProtectionReconciler(client);
  await pvcs.create(claim);
  await r.reconcile('default/data', signal);
  assert.deepEqual((await pvcs.get('data', { namespace: 'default' })).metadata?.finalizers, [pvcProtectionFinalizer]);
  await pods.create(pod);
  await pvcs.delete('data', { namespace: 'default' });
  await r.reconcile('default/data', signal);
  assert.ok((await pvcs.get('data', { namespace: 'default' })).metadata?.deletionTimestamp, 'still there, Terminating');
  await pods.delete('user', { namespace: 'default', gracePeriodSeconds: 0 });
  await r.reconcile('default/data', signal);
  await assert.rejects(pvcs.get('data', { namespace: 'default' }), isNotFound);
});

test('a pod references claims by name and through ephemeral volumes', () => {
  assert.deepEqual(claimsOfPod({ metadata: { name: 'p' }, spec: { volumes: [{ name: 'a', persistentVolumeClaim: { claimName: 'x' } }, { name: 'scratch', ephemeral: {} }, { name: 'e' }] } }), ['x', 'p-scratch']);
});

test('a volume keeps its protection finalizer while bound and loses it when released', async () => {
  const client = await setup();
  const pvs = client.resource({ group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false });
  const r = new PvProtectionReconciler(client);
  await pvs.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'vol' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/vol' } } });
  await r.reconcile('vol', signal);
  assert.deepEqual((await pvs.get('vol')).metadata?.finalizers, [pvProtectionFinalizer]);
  await pvs.patch('vol', 'merge', { status: { phase: 'Bound' } }, { subresource: 'status' });
  await pvs.delete('vol');
  await r.reconcile('vol', signal);
  assert.ok((await pvs.get('vol')).metadata?.deletionTimestamp);
  await pvs.patch('vol', 'merge', { status: { phase: 'Released' } }, { subresource: 'status' });
  await r.reconcile('vol', signal);
  await assert.rejects(pvs.get('vol'), isNotFound);
});
