import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinStrategies } from '../cmd/strategies.js';
import { ApiClient, inProcessTransport, isInvalid, isNotFound } from '../client/index.js';
import type { KubeObject } from '../api/index.js';
import { MemoryBackend, WatchCache } from '../storage/index.js';
import { FakeClock, silentLogger, systemClock, type Clock } from '../util/index.js';
import { assembleApiServer } from './assemble.js';
import { apiServerEndpoint } from './kubernetes-endpoints.js';
import { SharedInformerFactory } from '../controllers/index.js';
import { advance, settle } from '../controllers/runtime/testing-support/index.js';
import { newEndpointsController } from '../controllers/endpoint/index.js';
import { newEndpointSliceController } from '../controllers/endpointslice/index.js';

type Json = Record<string, any>;

const refs = {
  services: { group: '', version: 'v1', plural: 'services', namespaced: true },
  endpoints: { group: '', version: 'v1', plural: 'endpoints', namespaced: true },
  slices: { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true },
};

/** Starts an API server on `address` over `backend` (a restart when the backend was used before). */
async function start(address: string, backend = new WatchCache(new MemoryBackend()), clock: Clock = systemClock) {
  const api = assembleApiServer({ backend, clock, logger: silentLogger, serverAddress: address, strategies: builtinStrategies() });
  await api.start();
  await api.postStart(); // as `kin up`: the kubernetes Service's ports follow the port after the ready line
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const get = (r: keyof typeof refs) => client.resource<KubeObject & Json>(refs[r]).get('kubernetes', { namespace: 'default' });
  return { api, backend, client, get };
}

test('the kubernetes Service has an Endpoints object and an EndpointSlice with the API server address, as kube-apiserver writes them', async () => {
  const s = await start('127.0.0.1:6443');
  const ep = await s.get('endpoints');
  assert.deepEqual(ep.metadata?.labels, { 'endpointslice.kubernetes.io/skip-mirror': 'true' });
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  const slice = await s.get('slices');
  assert.deepEqual(slice.metadata?.labels, { 'kubernetes.io/service-name': 'kubernetes' }, 'no managed-by label: no controller owns it');
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.endpoints, [{ addresses: ['127.0.0.1'], conditions: { ready: true } }]);
  assert.deepEqual(slice.ports, [{ name: 'https', port: 6443, protocol: 'TCP' }]);
  assert.equal(slice.metadata?.ownerReferences, undefined);
  const svc = await s.get('services');
  assert.deepEqual(svc.spec.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);
});

test('a restart on another port moves the Service target port, the Endpoints and the EndpointSlice to it, keeping added labels', async () => {
  const first = await start('127.0.0.1:6443');
  const eps = first.client.resource<KubeObject & Json>(refs.endpoints);
  await eps.patch('kubernetes', 'merge', { metadata: { labels: { team: 'platform' } } }, { namespace: 'default' });
  const again = await start('127.0.0.1:7443', first.backend);
  assert.deepEqual((await again.get('services')).spec.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 7443 }]);
  const ep = await again.get('endpoints');
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 7443, protocol: 'TCP' }] }]);
  assert.deepEqual(ep.metadata?.labels, { team: 'platform', 'endpointslice.kubernetes.io/skip-mirror': 'true' });
  assert.deepEqual((await again.get('slices')).ports, [{ name: 'https', port: 7443, protocol: 'TCP' }]);
});

test('a restart on the same port writes nothing; one after damage puts everything back', async () => {
  const first = await start('127.0.0.1:6443');
  const before = await Promise.all([first.get('services'), first.get('endpoints'), first.get('slices')]);
  const same = await start('127.0.0.1:6443', first.backend);
  const after = await Promise.all([same.get('services'), same.get('endpoints'), same.get('slices')]);
  assert.deepEqual(
    after.map((o) => o.metadata?.resourceVersion),
    before.map((o) => o.metadata?.resourceVersion),
  );
  const eps = same.client.resource<KubeObject & Json>(refs.endpoints);
  await eps.update({ ...after[1]!, subsets: [{ addresses: [{ ip: '10.0.0.9' }], ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }] });
  await same.client.resource(refs.slices).delete('kubernetes', { namespace: 'default' });
  const fixed = await start('127.0.0.1:6443', first.backend);
  assert.deepEqual((await fixed.get('endpoints')).subsets, [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  assert.deepEqual((await fixed.get('slices')).endpoints, [{ addresses: ['127.0.0.1'], conditions: { ready: true } }]);
});

test('other Endpoints objects still may not list a loopback address', async () => {
  const s = await start('127.0.0.1:6443');
  const other = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'other', namespace: 'default' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 80 }] }] };
  await assert.rejects(s.client.resource(refs.endpoints).create(other), (e: unknown) => isInvalid(e) && /may not be in the loopback range/.test((e as Error).message));
});

test('a server whose port is not fixed yet (port 0) writes no endpoints', async () => {
  const s = await start('127.0.0.1:0');
  await assert.rejects(s.get('endpoints'), isNotFound);
  await assert.rejects(s.get('slices'), isNotFound);
});

test('the API server endpoint is read from host:port addresses with an IP host and a fixed port', () => {
  const cases: [string, { ip: string; port: number } | undefined][] = [
    ['127.0.0.1:6443', { ip: '127.0.0.1', port: 6443 }],
    ['10.1.2.3:443', { ip: '10.1.2.3', port: 443 }],
    ['[::1]:6443', { ip: '::1', port: 6443 }],
    ['127.0.0.1:0', undefined],
    ['localhost:6443', undefined],
    ['127.0.0.1', undefined],
    ['300.0.0.1:6443', undefined],
  ];
  for (const [address, want] of cases) assert.deepEqual(apiServerEndpoint(address), want, address);
});

test('the endpoints controllers leave the kubernetes Endpoints and EndpointSlice alone while they serve other Services', async () => {
  const s = await start('127.0.0.1:6443');
  const before = await Promise.all([s.get('endpoints'), s.get('slices')]);
  const abort = new AbortController();
  const factory = new SharedInformerFactory({ client: s.client });
  const controllers = [newEndpointsController(factory, { client: s.client }), newEndpointSliceController(factory, { client: s.client })];
  factory.start(abort.signal);
  const runs = controllers.map((c) => c.run(abort.signal));
  await s.client.resource(refs.services).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  const eps = s.client.resource(refs.endpoints);
  const slices = s.client.resource(refs.slices);
  // Both controllers have done their work for `web` (and seen `kubernetes` long before).
  for (let i = 0; i < 2000; i++) {
    const done = await Promise.all([eps.get('web', { namespace: 'default' }).then(() => true, () => false), slices.list({ namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' }).then((l) => l.items.length > 0)]);
    if (done.every(Boolean)) break;
    await settle(5);
  }
  await settle(100);
  const after = await Promise.all([s.get('endpoints'), s.get('slices')]);
  abort.abort();
  await Promise.all(runs);
  assert.ok(await eps.get('web', { namespace: 'default' }), 'the endpoints controller ran');
  assert.deepEqual(
    after.map((o) => o.metadata?.resourceVersion),
    before.map((o) => o.metadata?.resourceVersion),
  );
});

test('after start, the Endpoints get the address back and the EndpointSlice is made again within 10 s; a changed port is left until the next start', async () => {
  const clock = new FakeClock();
  const s = await start('127.0.0.1:6443', undefined, clock);
  await s.api.postStart();
  const eps = s.client.resource<KubeObject & Json>(refs.endpoints);
  const ep = await s.get('endpoints');
  await eps.update({ ...ep, subsets: [{ addresses: [{ ip: '10.0.0.9' }], ports: [{ name: 'https', port: 9443, protocol: 'TCP' }] }] });
  await s.client.resource(refs.slices).delete('kubernetes', { namespace: 'default' });
  await advance(clock, 10_000, 1000);
  const back = async () => Promise.all([s.get('endpoints'), s.get('slices')]).then((o) => (o[0].subsets[0].addresses[0].ip === '127.0.0.1' ? o : undefined), () => undefined);
  let got = await back();
  for (let i = 0; i < 100 && !got; i++) {
    await settle();
    got = await back();
  }
  assert.ok(got, 'both are back');
  const [endpoints, slice] = got;
  assert.deepEqual(endpoints.subsets, [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 9443, protocol: 'TCP' }] }]);
  assert.deepEqual(slice.ports, [{ name: 'https', port: 9443, protocol: 'TCP' }]);
  await s.api.stop();
  const restarted = await start('127.0.0.1:6443', s.backend);
  assert.deepEqual((await restarted.get('endpoints')).subsets[0].ports, [{ name: 'https', port: 6443, protocol: 'TCP' }]);
  assert.deepEqual((await restarted.get('slices')).ports, [{ name: 'https', port: 6443, protocol: 'TCP' }]);
});
