import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport, type ResourceRef } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../../util/index.js';
import { MemoryEventRecorder, SharedInformerFactory } from '../runtime/index.js';
import { advance, eventually, settle } from '../runtime/testing-support/index.js';
import type { ControllerRevision, Pod } from '../history/index.js';
import { newStatefulSetController, type PersistentVolumeClaim, type StatefulSet } from './index.js';

const podsRef: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const setsRef: ResourceRef = { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true };
const claimsRef: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const revisionsRef: ResourceRef = { group: 'apps', version: 'v1', plural: 'controllerrevisions', namespaced: true };

async function setup() {
  const clock = new FakeClock(Date.parse('2026-11-25T12:00:00Z'));
  // The API server runs on real time: its patch retries wait on its clock.
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const factory = new SharedInformerFactory({ client, clock });
  const recorder = new MemoryEventRecorder();
  const controller = newStatefulSetController(factory, { client, recorder, clock });
  const abort = new AbortController();
  factory.start(abort.signal);
  const running = controller.run(abort.signal);
  const pods = factory.informerFor<Pod>(podsRef).store;
  const sets = factory.informerFor<StatefulSet>(setsRef).store;
  const claims = factory.informerFor<PersistentVolumeClaim>(claimsRef).store;
  const revisions = factory.informerFor<ControllerRevision>(revisionsRef).store;
  const podClient = client.resource<Pod>(podsRef);
  /** Marks a pod Running and Ready, as a kubelet would. */
  const makeReady = async (name: string) => {
    const now = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    await podClient.patch(name, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { namespace: 'default', subresource: 'status' });
  };
  const podNames = () => pods.listInNamespace('default').filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata?.name ?? '').sort();
  const stop = async () => {
    abort.abort();
    await running;
  };
  return { client, clock, recorder, pods, sets, claims, revisions, podClient, makeReady, podNames, stop, sts: client.resource<StatefulSet>(setsRef) };
}

function web(replicas: number, extra: Record<string, unknown> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'nginx' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
    },
  } as StatefulSet;
}

test('OrderedReady creates pods one at a time, each after the previous is Running and Ready, with claims and identity', async () => {
  const h = await setup();
  try {
    await h.sts.create(web(3));
    await eventually(() => h.podNames().length === 1, 'web-0 created');
    assert.deepEqual(h.podNames(), ['web-0']);
    const p0 = h.pods.get('default/web-0')!;
    assert.equal(p0.spec?.hostname, 'web-0');
    assert.equal(p0.spec?.subdomain, 'nginx');
    assert.equal(p0.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(p0.metadata?.labels?.['apps.kubernetes.io/pod-index'], '0');
    assert.match(p0.metadata?.labels?.['controller-revision-hash'] ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.deepEqual(p0.spec?.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim, { claimName: 'www-web-0' });
    assert.ok(h.claims.get('default/www-web-0'), 'claim created before the pod');
    assert.equal(h.claims.get('default/www-web-0')?.metadata?.labels?.['app'], 'nginx');
    assert.equal(p0.metadata?.ownerReferences?.[0]?.kind, 'StatefulSet');

    await h.makeReady('web-0');
    await eventually(() => h.podNames().length === 2, 'web-1 created after web-0 is ready');
    await h.makeReady('web-1');
    await eventually(() => h.podNames().length === 3, 'web-2 created');
    await h.makeReady('web-2');
    await eventually(() => h.sets.get('default/web')?.status?.readyReplicas === 3, 'status counts 3 ready');
    const st = h.sets.get('default/web')!.status!;
    assert.equal(st.replicas, 3);
    assert.equal(st.currentReplicas, 3);
    assert.equal(st.updatedReplicas, 3);
    assert.equal(st.availableReplicas, 3);
    assert.equal(st.currentRevision, st.updateRevision);
    assert.equal(st.observedGeneration, 1);
    const msgs = h.recorder.events.map((e) => `${e.reason}: ${e.message}`);
    assert.ok(msgs.includes('SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success'), msgs.join('\n'));
    assert.ok(msgs.includes('SuccessfulCreate: create Pod web-0 in StatefulSet web successful'));
    assert.equal(h.revisions.listInNamespace('default').length, 1);
    const rev = h.revisions.listInNamespace('default')[0]!;
    assert.equal(rev.revision, 1);
    assert.equal(rev.metadata?.name, st.currentRevision);
    assert.equal(rev.metadata?.labels?.['app'], 'nginx');

    // Scale down: the highest ordinal goes first, one at a time; claims stay (whenScaled: Retain).
    await h.sts.patch('web', 'merge', { spec: { replicas: 1 } }, { namespace: 'default' });
    await eventually(() => h.podNames().length === 1, 'scaled down to one');
    assert.deepEqual(h.podNames(), ['web-0']);
    const deletes = h.recorder.events.filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message);
    assert.deepEqual(deletes, ['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful']);
    assert.ok(h.claims.get('default/www-web-2'));
  } finally {
    await h.stop();
  }
});

test('Parallel creates every pod at once and ordinals start at spec.ordinals.start', async () => {
  const h = await setup();
  try {
    await h.sts.create(web(3, { podManagementPolicy: 'Parallel', ordinals: { start: 5 } }));
    await eventually(() => h.podNames().length === 3, 'three pods without waiting for readiness');
    assert.deepEqual(h.podNames(), ['web-5', 'web-6', 'web-7']);
    assert.ok(h.claims.get('default/www-web-7'));
  } finally {
    await h.stop();
  }
});

test('a rolling update replaces pods from the highest ordinal down to the partition, and completes', async () => {
  const h = await setup();
  try {
    await h.sts.create(web(3, { podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await eventually(() => h.podNames().length === 3, 'pods created');
    for (const n of ['web-0', 'web-1', 'web-2']) await h.makeReady(n);
    await eventually(() => h.sets.get('default/web')?.status?.readyReplicas === 3, 'ready');
    const before = h.sets.get('default/web')!.status!.currentRevision!;
    await h.sts.patch('web', 'merge', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } } }, { namespace: 'default' });
    const newImage = (n: string) => h.pods.get(`default/${n}`)?.spec?.containers[0]?.image === 'nginx:1.26';
    await eventually(() => newImage('web-2'), 'web-2 recreated at the new revision');
    await h.makeReady('web-2');
    await eventually(() => newImage('web-1'), 'web-1 recreated');
    await h.makeReady('web-1');
    await eventually(() => h.sets.get('default/web')?.status?.updatedReplicas === 2 && h.sets.get('default/web')?.status?.readyReplicas === 3, 'two updated');
    assert.ok(!newImage('web-0'), 'web-0 is below the partition and keeps the old template');
    const st = h.sets.get('default/web')!.status!;
    assert.equal(st.currentRevision, before);
    assert.notEqual(st.updateRevision, before);
    assert.equal(h.revisions.listInNamespace('default').length, 2);
    assert.deepEqual(h.revisions.listInNamespace('default').map((r) => r.revision).sort(), [1, 2]);

    await h.sts.patch('web', 'merge', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }, { namespace: 'default' });
    await eventually(() => newImage('web-0'), 'web-0 updated once the partition is 0');
    await h.makeReady('web-0');
    await eventually(() => h.sets.get('default/web')?.status?.currentRevision === h.sets.get('default/web')?.status?.updateRevision, 'rollout complete');
    assert.equal(h.sets.get('default/web')?.status?.currentReplicas, 3);
  } finally {
    await h.stop();
  }
});

test('retention policy Delete puts owner references on the claims: the set while in range, the pod once scaled down', async () => {
  const h = await setup();
  try {
    await h.sts.create(web(2, { podManagementPolicy: 'Parallel', persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } }));
    await eventually(() => h.podNames().length === 2 && Boolean(h.claims.get('default/www-web-1')), 'created');
    const setUid = h.sets.get('default/web')?.metadata?.uid;
    const c1 = h.claims.get('default/www-web-1')!;
    assert.deepEqual(c1.metadata?.ownerReferences?.map((r) => [r.kind, r.uid, r.controller, r.blockOwnerDeletion]), [['StatefulSet', setUid, true, true]]);
    for (const n of ['web-0', 'web-1']) await h.makeReady(n);
    const pod1Uid = h.pods.get('default/web-1')?.metadata?.uid;
    await h.sts.patch('web', 'merge', { spec: { replicas: 1 } }, { namespace: 'default' });
    await eventually(() => h.claims.get('default/www-web-1')?.metadata?.ownerReferences?.[0]?.kind === 'Pod', 'claim of the condemned pod owned by the pod');
    assert.equal(h.claims.get('default/www-web-1')?.metadata?.ownerReferences?.[0]?.uid, pod1Uid);
    assert.equal(h.claims.get('default/www-web-0')?.metadata?.ownerReferences?.[0]?.kind, 'StatefulSet');
  } finally {
    await h.stop();
  }
});

test('a failed pod is deleted and made again', async () => {
  const h = await setup();
  try {
    await h.sts.create(web(1));
    await eventually(() => h.podNames().length === 1, 'created');
    const uid = h.pods.get('default/web-0')?.metadata?.uid;
    await h.podClient.patch('web-0', 'merge', { status: { phase: 'Failed' } }, { namespace: 'default', subresource: 'status' });
    await eventually(() => Boolean(h.pods.get('default/web-0')) && h.pods.get('default/web-0')?.metadata?.uid !== uid, 'recreated');
  } finally {
    await h.stop();
  }
});

test('OnDelete keeps old pods; history beyond revisionHistoryLimit is truncated except revisions pods still use', async () => {
  const h = await setup();
  try {
    await h.sts.create(web(2, { podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' }, revisionHistoryLimit: 0 }));
    await eventually(() => h.podNames().length === 2, 'created');
    for (const n of ['web-0', 'web-1']) await h.makeReady(n);
    const first = h.pods.get('default/web-0')?.metadata?.labels?.['controller-revision-hash'];
    for (const image of ['nginx:1.26', 'nginx:1.27']) {
      await h.sts.patch('web', 'merge', { spec: { template: { spec: { containers: [{ name: 'nginx', image }] } } } }, { namespace: 'default' });
      await eventually(() => h.revisions.listInNamespace('default').some((r) => JSON.stringify(r.data).includes(image)), `revision of ${image}`);
    }
    await eventually(() => h.revisions.listInNamespace('default').length === 2, 'the middle revision is gone');
    const names = h.revisions.listInNamespace('default').map((r) => r.metadata?.name);
    assert.ok(names.includes(first), 'the revision the pods use stays');
    assert.equal(h.pods.get('default/web-1')?.spec?.containers[0]?.image, 'nginx:1.25', 'OnDelete does not touch pods');
    await h.podClient.delete('web-1', { namespace: 'default' });
    await eventually(() => h.pods.get('default/web-1')?.spec?.containers[0]?.image === 'nginx:1.27', 'a deleted pod comes back at the update revision');
  } finally {
    await h.stop();
  }
});

test('maxUnavailable lets a rolling update replace several pods at once', async () => {
  const h = await setup();
  try {
    await h.sts.create(web(4, { podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } }));
    await eventually(() => h.podNames().length === 4, 'created');
    for (const n of h.podNames()) await h.makeReady(n);
    await eventually(() => h.sets.get('default/web')?.status?.availableReplicas === 4, 'available');
    await h.sts.patch('web', 'merge', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } } }, { namespace: 'default' });
    const updated = () => h.pods.listInNamespace('default').filter((p) => p.spec?.containers[0]?.image === 'nginx:1.26').map((p) => p.metadata?.name).sort();
    await eventually(() => updated().length === 2, 'two replaced together');
    assert.deepEqual(updated(), ['web-2', 'web-3']);
  } finally {
    await h.stop();
  }
});

test('with minReadySeconds the next pod waits until the previous one has been ready that long', async () => {
  const h = await setup();
  try {
    await h.sts.create(web(2, { minReadySeconds: 10 }));
    await eventually(() => h.podNames().length === 1, 'web-0 created');
    await h.makeReady('web-0');
    await eventually(() => h.sets.get('default/web')?.status?.readyReplicas === 1, 'web-0 counted ready');
    await settle(200);
    assert.deepEqual(h.podNames(), ['web-0']);
    assert.equal(h.sets.get('default/web')?.status?.availableReplicas, 0);
    await advance(h.clock, 10_100, 1000);
    await eventually(() => h.podNames().length === 2, 'web-1 created once web-0 is available');
    assert.equal(h.sets.get('default/web')?.status?.availableReplicas, 1);
  } finally {
    await h.stop();
  }
});
