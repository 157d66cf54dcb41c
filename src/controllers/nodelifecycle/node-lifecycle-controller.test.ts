import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.js';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, rfc3339, rfc3339Micro, silentLogger, systemClock } from '../../util/index.js';
import { MemoryEventRecorder, SharedInformerFactory } from '../runtime/index.js';
import { advance, settle } from '../runtime/testing-support/index.js';
import { lifecycleTaints, minTolerationMs, newNodeLifecycleController, zoneState } from './index.js';

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const clock = new FakeClock();
  const recorder = new MemoryEventRecorder();
  const factory = new SharedInformerFactory({ client, clock });
  const ctl = newNodeLifecycleController(factory, { client, clock, recorder, evictionRecorder: recorder });
  const abort = new AbortController();
  factory.start(abort.signal);
  const nodes = client.resource<Node & KubeObject>({ group: '', version: 'v1', plural: 'nodes', namespaced: false });
  const pods = client.resource<Pod & KubeObject>({ group: '', version: 'v1', plural: 'pods', namespaced: true });
  const leases = client.resource({ group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true });
  const now = rfc3339(clock.now());
  const conds = ['MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => ({ type, status: 'False', reason: 'x', message: 'x', lastHeartbeatTime: now, lastTransitionTime: now }));
  // n1 is the node under test; n2 and n3 stay healthy (a zone where every node is dark is not evicted).
  for (const name of ['n1', 'n2', 'n3']) {
    await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { conditions: [...conds, { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }] } });
    await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(clock.now()) } });
  }
  const running = ctl.run(abort.signal);
  await settle(100);
  /** Moves time on while n2 and n3 keep renewing their leases. */
  const pass = async (ms: number) => {
    for (let t = 0; t < ms; t += 5000) {
      for (const name of ['n2', 'n3']) await leases.patch(name, 'merge', { spec: { renewTime: rfc3339Micro(clock.now()) } }, { namespace: 'kube-node-lease' });
      await advance(clock, Math.min(5000, ms - t), 1000);
    }
  };
  return { client, clock, recorder, nodes, pods, pass, stop: async () => (abort.abort(), await running) };
}

test('tolerations decide how long a pod may stay on a NoExecute-tainted node', () => {
  const taints = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }];
  const cases = [
    { name: 'no toleration: at once', tolerations: [], want: 0 },
    { name: 'tolerationSeconds: that long', tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }], want: 30_000 },
    { name: 'no tolerationSeconds: forever', tolerations: [{ operator: 'Exists' }], want: undefined },
    { name: 'another key: at once', tolerations: [{ key: 'other', operator: 'Exists' }], want: 0 },
  ];
  for (const c of cases) assert.equal(minTolerationMs(taints, c.tolerations), c.want, c.name);
  assert.deepEqual(lifecycleTaints('Unknown').map((t) => `${t.key}:${t.effect}`), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
  assert.deepEqual(lifecycleTaints('False').map((t) => t.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/not-ready']);
  assert.deepEqual(lifecycleTaints('True'), []);
});

test('a node whose lease stops is marked Unknown and tainted; its pods are evicted after their toleration seconds', async () => {
  const c = await setup();
  try {
    const spec = { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx' }] };
    // (Admission may give pods default tolerations of 300 s; tolerationSeconds 0 evicts at once either way.)
    await c.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plain', namespace: 'default' }, spec: { ...spec, tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }] } });
    await c.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'patient', namespace: 'default' }, spec: { ...spec, tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] } });
    await c.pass(45_000);
    let node = await c.nodes.get('n1');
    assert.equal(node.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'True', 'still within the 50 s grace period');
    await c.pass(10_000);
    await settle(100);
    node = await c.nodes.get('n1');
    const ready = node.status?.conditions?.find((x) => x.type === 'Ready');
    assert.equal(ready?.status, 'Unknown');
    assert.equal(ready?.reason, 'NodeStatusUnknown');
    assert.equal(ready?.message, 'Kubelet stopped posting node status.');
    assert.ok(node.status?.conditions?.every((x) => x.status === 'Unknown'));
    assert.deepEqual(node.spec?.taints?.map((t) => `${t.key}:${t.effect}`), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    await c.pass(1000);
    await settle(100);
    const plain = await c.pods.get('plain', { namespace: 'default' });
    assert.ok(plain.metadata?.deletionTimestamp, 'a pod with tolerationSeconds 0 is evicted at once');
    assert.equal(plain.status?.conditions?.find((x) => x.type === 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
    assert.equal((await c.pods.get('patient', { namespace: 'default' })).metadata?.deletionTimestamp, undefined);
    await c.pass(30_000);
    await settle(100);
    assert.ok((await c.pods.get('patient', { namespace: 'default' })).metadata?.deletionTimestamp, 'evicted after 30 s');
    const reasons = new Set(c.recorder.events.map((e) => e.reason));
    for (const r of ['RegisteredNode', 'NodeNotReady', 'TaintManagerEviction']) assert.ok(reasons.has(r), r);
  } finally {
    await c.stop();
  }
});

test('a node heard from again loses its unreachable taints', async () => {
  const c = await setup();
  try {
    await c.pass(56_000);
    await settle(100);
    let node = await c.nodes.get('n1');
    assert.equal(node.spec?.taints?.length, 2);
    const now = rfc3339(c.clock.now());
    const conds = (node.status?.conditions ?? []).map((x) => ({ ...x, status: x.type === 'Ready' ? 'True' : 'False', reason: 'Kubelet', lastHeartbeatTime: now, lastTransitionTime: now }));
    await c.nodes.patch('n1', 'merge', { status: { conditions: conds } }, { subresource: 'status' });
    await c.pass(6_000);
    await settle(100);
    node = await c.nodes.get('n1');
    assert.deepEqual(node.spec?.taints ?? [], []);
  } finally {
    await c.stop();
  }
});

test('a zone whose nodes all go dark is in full disruption: NoSchedule taints only, nothing evicted', async () => {
  const c = await setup();
  try {
    await c.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stays', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx' }], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }] } });
    await advance(c.clock, 62_000, 1000);
    await settle(100);
    await advance(c.clock, 6_000, 1000);
    await settle(100);
    for (const name of ['n1', 'n2', 'n3']) {
      const node = await c.nodes.get(name);
      assert.equal(node.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'Unknown');
      assert.deepEqual(node.spec?.taints?.map((t) => t.effect), ['NoSchedule'], name);
    }
    assert.equal((await c.pods.get('stays', { namespace: 'default' })).metadata?.deletionTimestamp, undefined);
  } finally {
    await c.stop();
  }
});

test('zone states follow the share of nodes not ready', () => {
  const cases: [number, number, string][] = [[0, 3, 'Normal'], [1, 3, 'Normal'], [3, 3, 'FullDisruption'], [3, 5, 'PartialDisruption'], [2, 3, 'Normal'], [1, 1, 'FullDisruption']];
  for (const [notReady, total, want] of cases) assert.equal(zoneState(notReady, total), want, `${notReady}/${total}`);
});

