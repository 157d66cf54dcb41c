import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../../apiserver/assemble.js';
import { builtinStrategies } from '../../../cmd/strategies.js';
import { ApiClient, inProcessTransport, isNotFound } from '../../../client/index.js';
import { MemoryBackend, WatchCache } from '../../../storage/index.js';
import { silentLogger, systemClock } from '../../../util/index.js';
import { MemoryEventRecorder } from '../../runtime/index.js';
import { annBindCompleted, annBoundByController, annProvisionedBy, annSelectedNode, annStorageProvisioner, claimKey, PersistentVolumeBinder, volumeKey, type Claim, type Volume } from './index.js';

const signal = new AbortController().signal;

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const recorder = new MemoryEventRecorder();
  return {
    client,
    recorder,
    binder: new PersistentVolumeBinder(client, recorder),
    pvcs: client.resource<Claim>({ group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true }),
    pvs: client.resource<Volume>({ group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false }),
  };
}

const claim = (storageClassName?: string): Claim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(storageClassName !== undefined ? { storageClassName } : {}) },
});

test('a pending claim binds to a matching volume and both sides say so', async () => {
  const { binder, pvcs, pvs } = await setup();
  await pvs.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'vol' }, spec: { capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: '/tmp/vol' } } });
  await binder.reconcile(volumeKey('vol'), signal);
  assert.equal((await pvs.get('vol')).status?.phase, 'Available');
  await pvcs.create(claim('manual'));
  await binder.reconcile(claimKey('default', 'data'), signal);
  const c = await pvcs.get('data', { namespace: 'default' });
  const v = await pvs.get('vol');
  assert.equal(c.spec?.volumeName, 'vol');
  assert.equal(c.status?.phase, 'Bound');
  assert.deepEqual(c.status?.capacity, { storage: '2Gi' });
  assert.equal(c.metadata?.annotations?.[annBindCompleted], 'yes');
  assert.equal(c.metadata?.annotations?.[annBoundByController], 'yes');
  assert.equal(v.status?.phase, 'Bound');
  assert.equal(v.spec?.claimRef?.uid, c.metadata?.uid);

  await pvcs.delete('data', { namespace: 'default' });
  await binder.reconcile(volumeKey('vol'), signal);
  assert.equal((await pvs.get('vol')).status?.phase, 'Released', 'Retain keeps the volume, Released');
});

test('the default class waits for a selected node, then provisions a hostPath volume on that node and binds it', async () => {
  const { client, binder, pvcs, pvs, recorder } = await setup();
  await client.resource({ group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false }).create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kin.dev/hostpath', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' });
  await pvcs.create(claim('local'));
  await binder.reconcile(claimKey('default', 'data'), signal);
  assert.equal((await pvcs.get('data', { namespace: 'default' })).status?.phase, 'Pending');
  assert.ok(recorder.events.some((e) => e.reason === 'WaitForFirstConsumer'));

  await pvcs.patch('data', 'merge', { metadata: { annotations: { [annSelectedNode]: 'kin-node-1' } } }, { namespace: 'default' });
  await binder.reconcile(claimKey('default', 'data'), signal);
  const c = await pvcs.get('data', { namespace: 'default' });
  const name = `pvc-${c.metadata?.uid ?? ''}`;
  const v = await pvs.get(name);
  assert.equal(c.status?.phase, 'Bound');
  assert.equal(c.spec?.volumeName, name);
  assert.equal(c.metadata?.annotations?.[annStorageProvisioner], 'kin.dev/hostpath');
  assert.equal(v.metadata?.annotations?.[annProvisionedBy], 'kin.dev/hostpath');
  assert.equal(v.spec?.hostPath?.path, `/var/lib/kin/volumes/${name}`);
  assert.deepEqual(v.spec?.capacity, { storage: '1Gi' });
  assert.equal(v.spec?.persistentVolumeReclaimPolicy, 'Delete');
  assert.deepEqual(v.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values, ['kin-node-1']);
  assert.equal(v.status?.phase, 'Bound');
  assert.ok(recorder.events.some((e) => e.reason === 'ProvisioningSucceeded'));

  await pvcs.delete('data', { namespace: 'default' });
  await binder.reconcile(volumeKey(name), signal);
  await assert.rejects(pvs.get(name), isNotFound, 'reclaimPolicy Delete removes the volume');
});

test('a claim naming no class gets the default class', async () => {
  const { binder, pvcs } = await setup();
  await pvcs.create(claim());
  await binder.reconcile(claimKey('default', 'data'), signal);
  assert.equal((await pvcs.get('data', { namespace: 'default' })).spec?.storageClassName, 'standard');
});

test('a class with another provisioner is left to that provisioner', async () => {
  const { client, binder, pvcs, recorder } = await setup();
  await client.resource({ group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false }).create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'ext' }, provisioner: 'example.com/csi', volumeBindingMode: 'Immediate' });
  await pvcs.create(claim('ext'));
  await binder.reconcile(claimKey('default', 'data'), signal);
  const c = await pvcs.get('data', { namespace: 'default' });
  assert.equal(c.status?.phase, 'Pending');
  assert.equal(c.metadata?.annotations?.[annStorageProvisioner], 'example.com/csi');
  assert.ok(recorder.events.some((e) => e.reason === 'ExternalProvisioning'));
});
