import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { silentLogger, systemClock } from '../../util/index.js';
import { SharedInformerFactory } from '../runtime/index.js';
import { settle } from '../runtime/testing-support/index.js';
import { endpointResources as R, findPort, newEndpointSliceController, planSlices, podToEndpoint, portsKey, sliceLabels, type EndpointSlice, type Pod, type Service } from './index.js';

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const abort = new AbortController();
  const factory = new SharedInformerFactory({ client });
  const controller = newEndpointSliceController(factory, { client, maxEndpointsPerSlice: 3 });
  factory.start(abort.signal);
  void controller.run(abort.signal);
  return { client, stop: () => abort.abort() };
}

/** Polls `read` (turning the event loop) until `ok` holds on its result. */
async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 2000; i++) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`${what}: never true; last ${JSON.stringify(last)}`);
}

const pod = (name: string, labels: Record<string, string>, ports: { name: string; containerPort: number }[] = []): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx', ports }] } as unknown as NonNullable<Pod['spec']>,
});

async function makePod(client: ApiClient, p: Pod, ip: string, ready: boolean) {
  const pods = client.resource<Pod>(R.pods);
  await pods.create(p);
  await setReady(client, p.metadata!.name!, ip, ready);
}

async function setReady(client: ApiClient, name: string, ip: string, ready: boolean) {
  const status = { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] };
  await client.resource<Pod>(R.pods).patch(name, 'merge', { status }, { namespace: 'default', subresource: 'status' });
}

const slicesOf = (client: ApiClient, svc: string) => async () =>
  (await client.resource<EndpointSlice>(R.endpointSlices).list({ namespace: 'default', labelSelector: `kubernetes.io/service-name=${svc}` })).items;
const count = (slices: EndpointSlice[]) => slices.reduce((n, s) => n + (s.endpoints?.length ?? 0), 0);

test('findPort resolves numbers as they are and names through the pod’s container ports', () => {
  const p = pod('p', {}, [{ name: 'http', containerPort: 8080 }]);
  const cases: [string, number | string | undefined, string | undefined, number | undefined][] = [
    ['a number', 9000, undefined, 9000],
    ['no targetPort: the port itself', undefined, undefined, 80],
    ['a name the pod declares', 'http', undefined, 8080],
    ['a name with another protocol', 'http', 'UDP', undefined],
    ['a name the pod lacks', 'metrics', undefined, undefined],
  ];
  for (const [name, targetPort, protocol, want] of cases) {
    assert.equal(findPort(p, { port: 80, ...(targetPort !== undefined ? { targetPort } : {}), ...(protocol ? { protocol } : {}) }), want, name);
  }
});

test('an endpoint is ready only when its pod is ready and not terminating, unless not-ready addresses are published', () => {
  const svc: Service = { metadata: { name: 's', namespace: 'default' }, spec: {} };
  const base = { ...pod('p', {}), status: { podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] } } as Pod;
  const cases: [string, Pod, Service, { ready: boolean; serving: boolean; terminating: boolean }][] = [
    ['ready pod', base, svc, { ready: true, serving: true, terminating: false }],
    ['unready pod', { ...base, status: { podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'False' }] } }, svc, { ready: false, serving: false, terminating: false }],
    ['terminating ready pod', { ...base, metadata: { ...base.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }, svc, { ready: false, serving: true, terminating: true }],
    ['unready pod, publishNotReadyAddresses', { ...base, status: { podIP: '10.0.0.1' } }, { ...svc, spec: { publishNotReadyAddresses: true } }, { ready: true, serving: false, terminating: false }],
  ];
  for (const [name, p, s, want] of cases) assert.deepEqual(podToEndpoint(p, s, undefined).conditions, want, name);
  const zoned = podToEndpoint(base, svc, { metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'z1' } } });
  assert.equal(zoned.zone, 'z1');
  assert.equal(zoned.nodeName, 'node-1');
});

test('planSlices splits endpoints into slices of at most the maximum and keeps a placeholder when there are none', () => {
  const svc: Service = { metadata: { name: 'web', namespace: 'default', uid: 'u' }, spec: { selector: { app: 'web' } } };
  const eps = Array.from({ length: 250 }, (_, i) => podToEndpoint({ ...pod(`p${i}`, {}), metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}` }, status: { podIP: `10.0.${i >> 8}.${i & 255}` } } as Pod, svc, undefined));
  const ports = [{ name: '', protocol: 'TCP', port: 80 }];
  const plan = planSlices({ service: svc, desired: new Map([['k', { ports, endpoints: eps }]]), existing: [] });
  assert.deepEqual(plan.create.map((s) => s.endpoints?.length), [100, 100, 50]);
  assert.equal(plan.create[0]!.metadata?.generateName, 'web-');
  const empty = planSlices({ service: svc, desired: new Map(), existing: [] });
  assert.deepEqual(empty.create.map((s) => [s.endpoints, s.ports]), [[[], []]]);
});

test('a Service gets slices of its pods that follow their readiness', async (t) => {
  const { client, stop } = await setup();
  t.after(stop);
  await client.resource<Service>(R.services).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
  await makePod(client, pod('a', { app: 'web' }), '10.244.0.5', true);
  await makePod(client, pod('b', { app: 'web' }), '10.244.0.6', false);
  await makePod(client, pod('other', { app: 'db' }), '10.244.0.7', true);
  const slices = await waitFor(slicesOf(client, 'web'), (s) => count(s) === 2, 'two endpoints');
  const s = slices[0]!;
  assert.equal(s.addressType, 'IPv4');
  assert.match(s.metadata?.name ?? '', /^web-/);
  assert.equal(s.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.equal(s.metadata?.labels?.['tier'], 'front');
  assert.equal(s.metadata?.ownerReferences?.[0]?.kind, 'Service');
  assert.equal(s.metadata?.ownerReferences?.[0]?.controller, true);
  assert.ok(s.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
  assert.deepEqual(s.ports, [{ name: '', protocol: 'TCP', port: 8080 }]);
  const byName = new Map(s.endpoints!.map((e) => [e.targetRef.name, e]));
  assert.deepEqual(byName.get('a')?.conditions, { ready: true, serving: true, terminating: false });
  assert.deepEqual(byName.get('b')?.addresses, ['10.244.0.6']);
  assert.equal(byName.get('b')?.conditions.ready, false);
  assert.equal(byName.get('a')?.nodeName, 'node-1');

  await settle(300);
  assert.deepEqual((await slicesOf(client, 'web')()).map((x) => x.metadata?.resourceVersion), slices.map((x) => x.metadata?.resourceVersion), 'no write once in step');
  await setReady(client, 'a', '10.244.0.5', false);
  await waitFor(slicesOf(client, 'web'), (ss) => ss.flatMap((x) => x.endpoints ?? []).every((e) => !e.conditions.ready), 'a not ready');
  await client.resource(R.pods).delete('b', { namespace: 'default', gracePeriodSeconds: 0 });
  await waitFor(slicesOf(client, 'web'), (ss) => count(ss) === 1, 'b gone');
});

test('a named target port resolving differently per pod gives one slice per port, and slices hold at most the maximum', async (t) => {
  const { client, stop } = await setup();
  t.after(stop);
  await client.resource<Service>(R.services).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'default' }, spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }] } });
  for (let i = 0; i < 4; i++) await makePod(client, pod(`v1-${i}`, { app: 'api' }, [{ name: 'web', containerPort: 8080 }]), `10.244.1.${i + 1}`, true);
  await makePod(client, pod('v2', { app: 'api' }, [{ name: 'web', containerPort: 9090 }]), '10.244.2.1', true);
  const slices = await waitFor(slicesOf(client, 'api'), (s) => count(s) === 5, 'five endpoints');
  const shape = slices.map((s) => `${s.ports?.[0]?.name}:${s.ports?.[0]?.port}x${s.endpoints?.length}`).sort();
  assert.deepEqual(shape, ['http:8080x1', 'http:8080x3', 'http:9090x1']);
});

test('a Service without endpoints gets a placeholder slice; a headless one is labelled; one without a selector gets none', async (t) => {
  const { client, stop } = await setup();
  t.after(stop);
  const svcs = client.resource<Service>(R.services);
  await svcs.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'none', namespace: 'default' }, spec: { clusterIP: 'None', selector: { app: 'x' }, ports: [{ port: 80 }] } });
  await svcs.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  const [placeholder] = await waitFor(slicesOf(client, 'none'), (s) => s.length === 1, 'placeholder');
  assert.equal(placeholder!.metadata?.labels?.['service.kubernetes.io/headless'], '');
  assert.equal((placeholder!.endpoints ?? []).length, 0);
  await makePod(client, pod('x', { app: 'x' }), '10.244.3.1', true);
  await waitFor(slicesOf(client, 'none'), (s) => s.length === 1 && count(s) === 1, 'placeholder replaced');
  assert.deepEqual(await slicesOf(client, 'manual')(), []);
});

test('planSlices deletes slices owned by an earlier Service of the same name and keeps its own', () => {
  const svc: Service = { metadata: { name: 'web', namespace: 'default', uid: 'new' }, spec: { selector: { app: 'web' } } };
  const ep = podToEndpoint({ ...pod('a', {}), metadata: { name: 'a', namespace: 'default', uid: 'ua' }, status: { podIP: '10.0.0.1' } } as Pod, svc, undefined);
  const ports = [{ name: '', protocol: 'TCP', port: 80 }];
  const old = { ...planSlices({ service: { ...svc, metadata: { ...svc.metadata, uid: 'old' } }, desired: new Map([['k', { ports, endpoints: [ep] }]]), existing: [] }).create[0]!, metadata: { name: 'web-old', namespace: 'default', labels: {}, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'old', controller: true }] } };
  const mine = { ...old, metadata: { ...old.metadata, name: 'web-mine', labels: sliceLabels(svc), ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'new', controller: true }] } };
  const plan = planSlices({ service: svc, desired: new Map([[portsKey(ports), { ports, endpoints: [ep] }]]), existing: [old, mine] });
  assert.deepEqual([plan.create.length, plan.update.length, plan.delete.map((s) => s.metadata?.name)], [0, 0, ['web-old']]);
});

test('a managed slice deleted by hand comes back', async (t) => {
  const { client, stop } = await setup();
  t.after(stop);
  await client.resource<Service>(R.services).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  await makePod(client, pod('a', { app: 'web' }), '10.244.0.5', true);
  const [first] = await waitFor(slicesOf(client, 'web'), (s) => count(s) === 1, 'one endpoint');
  await client.resource(R.endpointSlices).delete(first!.metadata!.name!, { namespace: 'default' });
  const [again] = await waitFor(slicesOf(client, 'web'), (s) => count(s) === 1 && s[0]!.metadata?.name !== first!.metadata?.name, 'recreated');
  assert.deepEqual(again!.endpoints?.[0]?.addresses, ['10.244.0.5']);
});
