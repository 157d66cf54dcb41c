import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport, isNotFound } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../../util/index.js';
import { endpointResources as R, type Pod, type Service } from '../endpointslice/index.js';
import { SharedInformerFactory } from '../runtime/index.js';
import { settle } from '../runtime/testing-support/index.js';
import { desiredSubsets, newEndpointsController, truncateSubsets, type EndpointAddress, type Endpoints } from './index.js';

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const abort = new AbortController();
  const factory = new SharedInformerFactory({ client });
  const controller = newEndpointsController(factory, { client });
  factory.start(abort.signal);
  void controller.run(abort.signal);
  return { client, stop: () => abort.abort() };
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 2000; i++) {
    last = await read().catch(() => undefined as T);
    if (last !== undefined && ok(last)) return last;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`${what}: never true; last ${JSON.stringify(last)}`);
}

const mkPod = (name: string, ip: string, ready: boolean, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' } },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }], ...extra },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('subsets put ready pods in addresses and others in notReadyAddresses, with named ports resolved', () => {
  const svc: Service = { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'admin', port: 9000, targetPort: 9000 }] } };
  const subsets = desiredSubsets(svc, [mkPod('b', '10.0.0.2', false), mkPod('a', '10.0.0.1', true), { ...mkPod('gone', '10.0.0.3', true), status: { phase: 'Succeeded', podIP: '10.0.0.3' } }]);
  assert.equal(subsets.length, 1);
  assert.deepEqual(subsets[0]!.addresses?.map((a) => a.ip), ['10.0.0.1']);
  assert.deepEqual(subsets[0]!.notReadyAddresses?.map((a) => a.ip), ['10.0.0.2']);
  assert.deepEqual(subsets[0]!.ports, [{ name: 'admin', port: 9000, protocol: 'TCP' }, { name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(subsets[0]!.addresses?.[0]?.targetRef, { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' });
});

test('subsets: a headless Service without ports lists addresses alone; publishNotReadyAddresses makes every address ready', () => {
  const headless: Service = { metadata: { name: 'db', namespace: 'default' }, spec: { clusterIP: 'None', selector: { app: 'web' }, publishNotReadyAddresses: true } };
  const subsets = desiredSubsets(headless, [mkPod('a', '10.0.0.1', false, { hostname: 'a', subdomain: 'db' })]);
  assert.deepEqual(subsets, [{ addresses: [{ ip: '10.0.0.1', hostname: 'a', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } }] }]);
});

test('truncation keeps 1000 addresses, cutting not-ready ones first and each subset by its share', () => {
  const addr = (i: number): EndpointAddress => ({ ip: `10.0.${i >> 8}.${i & 255}`, targetRef: { kind: 'Pod', namespace: 'default', name: `p${i}`, uid: `u${i}` } });
  const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => addr(from + i));
  assert.equal(truncateSubsets([{ addresses: range(0, 1000) }]), undefined);
  const cut = truncateSubsets([{ addresses: range(0, 900), notReadyAddresses: range(900, 100) }, { notReadyAddresses: range(1000, 100) }])!;
  assert.deepEqual(cut.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]), [[900, 50], [0, 50]]);
  const ready = truncateSubsets([{ addresses: range(0, 600), notReadyAddresses: range(600, 10) }, { addresses: range(1000, 600) }])!;
  assert.deepEqual(ready.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]), [[500, 0], [500, 0]]);
});

test('a Service gets an Endpoints object that follows its pods, labelled and annotated, and removed with it', async (t) => {
  const { client, stop } = await setup();
  t.after(stop);
  const svcs = client.resource<Service>(R.services);
  const pods = client.resource<Pod>(R.pods);
  const eps = client.resource<Endpoints>(R.endpoints);
  await svcs.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  const get = () => eps.get('web', { namespace: 'default' });
  const first = await waitFor(get, () => true, 'created');
  assert.deepEqual(first.metadata?.labels, { app: 'web', 'service.kubernetes.io/headless': '' });
  assert.ok(first.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } as unknown as NonNullable<Pod['spec']> });
  await pods.patch('a', 'merge', { status: { phase: 'Running', podIP: '10.244.0.9', podIPs: [{ ip: '10.244.0.9' }], conditions: [{ type: 'Ready', status: 'False' }] } }, { namespace: 'default', subresource: 'status' });
  await waitFor(get, (e) => e.subsets?.[0]?.notReadyAddresses?.[0]?.ip === '10.244.0.9', 'not ready address');
  await pods.patch('a', 'merge', { status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-25T10:00:00Z' }] } }, { namespace: 'default', subresource: 'status' });
  const ready = await waitFor(get, (e) => e.subsets?.[0]?.addresses?.[0]?.ip === '10.244.0.9', 'ready address');
  assert.deepEqual(ready.subsets?.[0]?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.equal(ready.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2026-11-25T10:00:00Z');
  await settle(300);
  assert.equal((await get()).metadata?.resourceVersion, ready.metadata?.resourceVersion, 'no write once in step');
  await svcs.delete('web', { namespace: 'default' });
  await waitFor(() => get().then(() => false, (e: unknown) => isNotFound(e)), (gone) => gone, 'deleted');
});

test('Endpoints left over from a Service deleted while the controller was down are removed at start; others stay', async (t) => {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const eps = client.resource<Endpoints>(R.endpoints);
  const svcs = client.resource<Service>(R.services);
  await eps.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'orphan', namespace: 'default' } });
  await eps.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'lock', namespace: 'default', annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } } });
  await svcs.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  await eps.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80 }] }] } as Endpoints);
  const abort = new AbortController();
  t.after(() => abort.abort());
  const factory = new SharedInformerFactory({ client });
  // The controller starts a minute after those objects were written.
  const controller = newEndpointsController(factory, { client, clock: new FakeClock(Date.now() + 60_000) });
  factory.start(abort.signal);
  void controller.run(abort.signal);
  await waitFor(() => eps.get('orphan', { namespace: 'default' }).then(() => false, (e: unknown) => isNotFound(e)), (gone) => gone, 'orphan removed');
  assert.ok(await eps.get('lock', { namespace: 'default' }));
  assert.deepEqual((await eps.get('manual', { namespace: 'default' })).subsets?.[0]?.addresses?.[0]?.ip, '10.1.2.3');
});
