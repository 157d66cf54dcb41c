import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport, isNotFound } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { silentLogger, systemClock } from '../../util/index.js';
import { endpointResources as R, type Service } from '../endpointslice/index.js';
import { MemoryEventRecorder, SharedInformerFactory } from '../runtime/index.js';
import { settle } from '../runtime/testing-support/index.js';
import { IpPool, loadBalancerCleanupFinalizer, newServiceLbController } from './index.js';

async function setup(pool: string) {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const abort = new AbortController();
  const factory = new SharedInformerFactory({ client });
  const recorder = new MemoryEventRecorder();
  const controller = newServiceLbController(factory, { client, pool, recorder });
  factory.start(abort.signal);
  void controller.run(abort.signal);
  return { client, recorder, stop: () => abort.abort() };
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 2000; i++) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`${what}: never true; last ${JSON.stringify(last)}`);
}

test('pools parse from a CIDR (network and broadcast left out) or a range, and bad ones are refused', () => {
  const cases: [string, number, string, string][] = [
    ['172.30.255.0/24', 254, '172.30.255.1', '172.30.255.255'],
    ['192.168.1.10-192.168.1.12', 3, '192.168.1.10', '192.168.1.13'],
    ['10.0.0.7/32', 1, '10.0.0.7', '10.0.0.8'],
  ];
  for (const [text, size, inside, outside] of cases) {
    const p = IpPool.parse(text);
    assert.equal(p.size, size, text);
    assert.ok(p.contains(inside), `${text} holds ${inside}`);
    assert.ok(!p.contains(outside), `${text} lacks ${outside}`);
  }
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.9-10.0.0.1', 'x-y', '300.1.1.1/24']) assert.throws(() => IpPool.parse(bad), /invalid load balancer/, bad);
});

const lb = (name: string, extra: Record<string, unknown> = {}): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }], ...extra } });
const ingressIp = (s: Service) => s.status?.loadBalancer?.ingress?.[0]?.ip;

test('LoadBalancer Services get distinct addresses from the pool, released when the type changes or the Service goes', async (t) => {
  const { client, recorder, stop } = await setup('10.10.0.1-10.10.0.2');
  t.after(stop);
  const svcs = client.resource<Service>(R.services);
  const get = (n: string) => () => svcs.get(n, { namespace: 'default' });
  await svcs.create(lb('a'));
  const a = await waitFor(get('a'), (s) => !!ingressIp(s), 'a gets an address');
  assert.deepEqual(a.status?.loadBalancer?.ingress, [{ ip: '10.10.0.1', ipMode: 'VIP' }]);
  assert.deepEqual(a.metadata?.finalizers, [loadBalancerCleanupFinalizer]);
  await settle(300);
  assert.equal((await get('a')()).metadata?.resourceVersion, a.metadata?.resourceVersion, 'no write once in step');
  await svcs.create(lb('b'));
  assert.equal(ingressIp(await waitFor(get('b'), (s) => !!ingressIp(s), 'b gets an address')), '10.10.0.2');
  await svcs.create(lb('c'));
  await waitFor(async () => recorder.events, (evs) => evs.some((e) => e.reason === 'SyncLoadBalancerFailed'), 'pool exhausted');

  await svcs.patch('a', 'merge', { spec: { type: 'ClusterIP', ports: [{ port: 80, nodePort: null }] } }, { namespace: 'default' });
  const plain = await waitFor(get('a'), (s) => !ingressIp(s) && !s.metadata?.finalizers?.length, 'a released');
  assert.equal(plain.spec?.type, 'ClusterIP');
  await svcs.delete('b', { namespace: 'default' });
  await waitFor(() => svcs.get('b', { namespace: 'default' }).then(() => false, (e: unknown) => isNotFound(e)), (gone) => gone, 'b deleted once released');
  // c is retried after a delay; nudge it with a change so the test does not wait on time.
  await svcs.patch('c', 'merge', { metadata: { labels: { nudge: '1' } } }, { namespace: 'default' });
  assert.ok(['10.10.0.1', '10.10.0.2'].includes(ingressIp(await waitFor(get('c'), (s) => !!ingressIp(s), 'c gets a freed address')) ?? ''));
  assert.ok(recorder.events.some((e) => e.reason === 'EnsuredLoadBalancer'));
  assert.ok(recorder.events.some((e) => e.reason === 'DeletedLoadBalancer'));
});

test('a requested loadBalancerIP in the pool is honoured; a Service with another loadBalancerClass is left alone', async (t) => {
  const { client, stop } = await setup('10.20.0.0/29');
  t.after(stop);
  const svcs = client.resource<Service>(R.services);
  await svcs.create(lb('want', { loadBalancerIP: '10.20.0.5' }));
  await svcs.create(lb('other', { loadBalancerClass: 'example.com/lb' }));
  assert.equal(ingressIp(await waitFor(() => svcs.get('want', { namespace: 'default' }), (s) => !!ingressIp(s), 'requested')), '10.20.0.5');
  const other = await svcs.get('other', { namespace: 'default' });
  assert.equal(ingressIp(other), undefined);
  assert.equal(other.metadata?.finalizers, undefined);
});

test('a restarted controller learns the addresses Services hold and does not hand them out again', async () => {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const svcs = client.resource<Service>(R.services);
  const start = () => {
    const abort = new AbortController();
    const factory = new SharedInformerFactory({ client });
    const c = newServiceLbController(factory, { client, pool: '10.30.0.1-10.30.0.5' });
    factory.start(abort.signal);
    void c.run(abort.signal);
    return () => abort.abort();
  };
  const stop = start();
  await svcs.create(lb('a'));
  await waitFor(() => svcs.get('a', { namespace: 'default' }), (s) => ingressIp(s) === '10.30.0.1', 'a gets the first address');
  stop();
  await svcs.create(lb('b'));
  const stopAgain = start();
  try {
    assert.equal(ingressIp(await waitFor(() => svcs.get('b', { namespace: 'default' }), (s) => !!ingressIp(s), 'b gets an address')), '10.30.0.2');
    assert.equal(ingressIp(await svcs.get('a', { namespace: 'default' })), '10.30.0.1');
  } finally {
    stopAgain();
  }
});
