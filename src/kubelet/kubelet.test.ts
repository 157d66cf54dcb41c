import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advance, eventually, settle, TestTransport } from '../controllers/runtime/testing-support/index.js';
import { isNotFound } from '../client/index.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { assembleApiServer } from '../apiserver/assemble.js';
import { builtinStrategies } from '../cmd/strategies.js';
import { ApiClient, inProcessTransport, type Transport } from '../client/index.js';
import { MemoryEventRecorder, SharedInformer } from '../controllers/runtime/index.js';
import { MemoryBackend, WatchCache } from '../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../util/index.js';
import { nodeNames, SimulatedNodePool } from './index.js';
import type { KubeObject } from '../api/index.js';

/** A started test cluster: client, fake clock, the pool, recorded kubelet events. */
async function startNodes(count = 1, opts: { startDelayMs?: number; transport?: (t: Transport) => Transport } = {}) {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const base = inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] });
  const client = new ApiClient(opts.transport ? opts.transport(base) : base);
  const clock = new FakeClock();
  const events = new MemoryEventRecorder();
  const pods = new SharedInformer<Pod & KubeObject>({ client: client.resource({ group: '', version: 'v1', plural: 'pods', namespaced: true }), fieldSelector: 'spec.nodeName!=', clock });
  const nodes = new SharedInformer<Node & KubeObject>({ client: client.resource({ group: '', version: 'v1', plural: 'nodes', namespaced: false }), clock });
  const { SimulatedRuntime } = await import('./simulated-runtime.js');
  const pool = new SimulatedNodePool({
    client,
    names: nodeNames('kin-node', count),
    kubeletVersion: 'v1.32.0',
    pods: pods as never,
    nodes: nodes as never,
    recorderFor: () => events,
    runtime: new SimulatedRuntime({ clock, startDelayMs: opts.startDelayMs ?? 0 }),
    clock,
  });
  const abort = new AbortController();
  const done = pool.run(abort.signal);
  await pool.registered;
  return { api, client, clock, events, pool, stop: async () => (abort.abort(), await done) };
}


const podsRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };

function podSpec(name: string, extra: Partial<Pod> & { annotations?: Record<string, string> } = {}) {
  const { annotations, ...rest } = extra;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) }, spec: { nodeName: 'kin-node-1', containers: [{ name: 'app', image: 'nginx:1.27' }], ...(rest.spec ?? {}) } };
}

test('nodes register with capacity, conditions, addresses, pod CIDR and a lease', async () => {
  const c = await startNodes(2);
  try {
    const nodes = c.client.resource<Node & KubeObject>({ group: '', version: 'v1', plural: 'nodes', namespaced: false });
    const n1 = await nodes.get('kin-node-1');
    const n2 = await nodes.get('kin-node-2');
    assert.equal(n1.spec?.podCIDR, '10.128.0.0/24');
    assert.equal(n2.spec?.podCIDR, '10.128.1.0/24');
    assert.equal(n1.status?.capacity?.['pods'], '110');
    const ready = n1.status?.conditions?.find((x) => x.type === 'Ready');
    assert.equal(ready?.status, 'True');
    assert.equal(ready?.reason, 'KubeletReady');
    assert.equal(ready?.message, 'kubelet is posting ready status');
    assert.deepEqual(n1.status?.addresses?.map((a) => a.type), ['InternalIP', 'Hostname']);
    assert.equal(n1.status?.nodeInfo?.kubeletVersion, 'v1.32.0');
    assert.equal(n1.metadata?.labels?.['kubernetes.io/hostname'], 'kin-node-1');
    const leases = c.client.resource({ group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true });
    const lease = (await leases.get('kin-node-1', { namespace: 'kube-node-lease' })) as { spec?: { renewTime?: string; leaseDurationSeconds?: number } };
    assert.equal(lease.spec?.leaseDurationSeconds, 40);
    const before = lease.spec?.renewTime;
    await advance(c.clock, 10_500, 500);
    await eventually(() => true, 'x');
    const after = ((await leases.get('kin-node-1', { namespace: 'kube-node-lease' })) as { spec?: { renewTime?: string } }).spec?.renewTime;
    assert.notEqual(after, before, 'the lease is renewed every 10 s');
  } finally {
    await c.stop();
  }
});

test('a pod bound to a node becomes Running and Ready with an IP from the node CIDR', async () => {
  const c = await startNodes(1);
  try {
    const pods = c.client.resource<Pod & KubeObject>(podsRef);
    await pods.create(podSpec('web') as never);
    let pod: Pod | undefined;
    for (let i = 0; i < 50 && pod?.status?.phase !== 'Running'; i++) {
      await settle();
      pod = await pods.get('web', { namespace: 'default' });
    }
    assert.equal(pod?.status?.phase, 'Running');
    assert.match(pod?.status?.podIP ?? '', /^10\.128\.0\.\d+$/);
    assert.equal(pod?.status?.hostIP, '172.18.0.2');
    const ready = pod?.status?.conditions?.find((x) => x.type === 'Ready');
    assert.equal(ready?.status, 'True');
    const cs = pod?.status?.containerStatuses?.[0];
    assert.equal(cs?.ready, true);
    assert.equal(cs?.started, true);
    assert.match(cs?.containerID ?? '', /^simulated:\/\//);
    assert.match(cs?.imageID ?? '', /^docker\.io\/library\/nginx@sha256:/);
    assert.ok(cs?.state?.running?.startedAt);
    const reasons = c.events.events.filter((e) => e.object === 'Pod/default/web').map((e) => e.reason);
    assert.deepEqual(reasons, ['Pulling', 'Pulled', 'Created', 'Started']);
  } finally {
    await c.stop();
  }
});

test('deleting a pod stops its containers within the grace period, then removes it', async () => {
  const c = await startNodes(1);
  try {
    const pods = c.client.resource<Pod & KubeObject>(podsRef);
    await pods.create(podSpec('slow', { annotations: { 'kin.dev/shutdown-delay': '60s' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], terminationGracePeriodSeconds: 5 } }) as never);
    await eventually(() => c.events.events.some((e) => e.reason === 'Started'), 'started');
    await settle(100);
    await pods.delete('slow', { namespace: 'default' });
    await settle(100);
    const terminating = await pods.get('slow', { namespace: 'default' });
    assert.ok(terminating.metadata?.deletionTimestamp, 'still there while stopping');
    await advance(c.clock, 5_000, 500);
    await settle(100);
    await assert.rejects(pods.get('slow', { namespace: 'default' }), isNotFound);
    assert.ok(c.events.events.some((e) => e.reason === 'Killing' && e.message === 'Stopping container app'));
  } finally {
    await c.stop();
  }
});

test('a node marked Unknown by the node controller posts Ready again at its next heartbeat', async () => {
  const c = await startNodes(1);
  try {
    const nodes = c.client.resource<Node & KubeObject>({ group: '', version: 'v1', plural: 'nodes', namespaced: false });
    const node = await nodes.get('kin-node-1');
    const unknown = (node.status?.conditions ?? []).map((x) => ({ ...x, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }));
    await nodes.patch('kin-node-1', 'merge', { status: { conditions: unknown } }, { subresource: 'status' });
    await settle(50);
    await advance(c.clock, 10_500, 500);
    await settle(50);
    const ready = (await nodes.get('kin-node-1')).status?.conditions?.find((x) => x.type === 'Ready');
    assert.equal(ready?.status, 'True');
    assert.equal(ready?.reason, 'KubeletReady');
  } finally {
    await c.stop();
  }
});

test('a pod whose restartPolicy is Never and whose container exits 1 ends Failed on the API', async () => {
  const c = await startNodes(1);
  try {
    const pods = c.client.resource<Pod & KubeObject>(podsRef);
    await pods.create(podSpec('once', { annotations: { 'kin.dev/exit-after': '2s', 'kin.dev/exit-code': '1' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], restartPolicy: 'Never' } }) as never);
    await settle(100);
    await advance(c.clock, 2_000, 500);
    await settle(100);
    const pod = await pods.get('once', { namespace: 'default' });
    assert.equal(pod.status?.phase, 'Failed');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 1);
    assert.equal(pod.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'False');
  } finally {
    await c.stop();
  }
});

test('a pod marked not ready by the node controller is reported Ready again by its kubelet', async () => {
  const c = await startNodes(1);
  try {
    const pods = c.client.resource<Pod & KubeObject>(podsRef);
    await pods.create(podSpec('back') as never);
    await settle(100);
    const pod = await pods.get('back', { namespace: 'default' });
    const conds = (pod.status?.conditions ?? []).map((x) => (x.type === 'Ready' ? { ...x, status: 'False' } : x));
    await pods.patch('back', 'merge', { status: { conditions: conds } }, { namespace: 'default', subresource: 'status' });
    await settle(100);
    const again = await pods.get('back', { namespace: 'default' });
    assert.equal(again.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'True');
  } finally {
    await c.stop();
  }
});

test('a pool of nodes shares one pod watch and one node watch, and spreads lease renewals over the interval', async () => {
  let seen: TestTransport | undefined;
  const c = await startNodes(20, { transport: (t) => (seen = new TestTransport(t)).transport });
  try {
    await settle(50);
    const t = seen!;
    assert.deepEqual(t.watches().map((w) => w.path).sort(), ['/api/v1/nodes', '/api/v1/pods']);
    const renewals = () => t.requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/')).length;
    await advance(c.clock, 500, 500);
    assert.equal(renewals(), 1, 'one node per 500 ms slot');
    await advance(c.clock, 9_500, 500);
    assert.equal(renewals(), 20, 'every node once per 10 s');
  } finally {
    await c.stop();
  }
});

