import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport, type ResourceRef } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, jsonLogger, silentLogger, systemClock } from '../../util/index.js';
import { MemoryEventRecorder, SharedInformerFactory } from '../runtime/index.js';
import { advance, eventually, settle } from '../runtime/testing-support/index.js';
import type { ControllerRevision, Pod } from '../history/index.js';
import { newDaemonSetController, targetNodeName, type DaemonSet, type Node } from './index.js';

const podsRef: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const setsRef: ResourceRef = { group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true };
const nodesRef: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const revisionsRef: ResourceRef = { group: 'apps', version: 'v1', plural: 'controllerrevisions', namespaced: true };

async function setup() {
  const clock = new FakeClock(Date.parse('2026-11-25T12:00:00Z'));
  // The API server runs on real time: its patch retries wait on its clock.
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const factory = new SharedInformerFactory({ client, clock });
  const recorder = new MemoryEventRecorder();
  const controller = newDaemonSetController(factory, { client, recorder, clock, ...(process.env["DSDEBUG"] ? { logger: jsonLogger({ level: "warn" }) } : {}) });
  const abort = new AbortController();
  factory.start(abort.signal);
  const running = controller.run(abort.signal);
  const pods = factory.informerFor<Pod>(podsRef).store;
  const sets = factory.informerFor<DaemonSet>(setsRef).store;
  const revisions = factory.informerFor<ControllerRevision>(revisionsRef).store;
  const podClient = client.resource<Pod>(podsRef);
  const nodeClient = client.resource<Node>(nodesRef);
  const addNode = (name: string, extra: Record<string, unknown> = {}) => nodeClient.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, ...extra } as Node);
  const live = () => pods.listInNamespace('default').filter((p) => !p.metadata?.deletionTimestamp);
  const byNode = () => live().map((p) => targetNodeName(p) ?? '').sort();
  /** Marks every live pod that is not yet Running as Running and Ready, as a kubelet would. */
  const readyAll = async () => {
    const now = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    for (const p of live()) {
      if (p.status?.phase === 'Running') continue;
      await podClient.patch(p.metadata!.name!, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { namespace: 'default', subresource: 'status' });
    }
  };
  const status = () => sets.get('default/agent')?.status;
  const stop = async () => {
    abort.abort();
    await running;
  };
  return { clock, client, recorder, pods, sets, revisions, podClient, nodeClient, addNode, live, byNode, readyAll, status, stop, ds: client.resource<DaemonSet>(setsRef) };
}

function agent(spec: Record<string, unknown> = {}, updateStrategy?: Record<string, unknown>): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:1' }], ...spec } },
      ...(updateStrategy ? { updateStrategy } : {}),
    },
  } as DaemonSet;
}

test('one daemon pod per eligible node, following nodes added, relabelled, tainted and removed', async () => {
  const h = await setup();
  try {
    await h.addNode('n1');
    await h.addNode('n2');
    await h.addNode('n3', { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } });
    await h.addNode('n4', { metadata: { name: 'n4', labels: { role: 'edge' } } });
    await h.ds.create(agent({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] }] } } } }));
    await eventually(() => h.byNode().join() === 'n1,n2', 'pods on n1 and n2 only');
    const pod = h.live()[0]!;
    assert.equal(pod.spec?.nodeName, undefined, 'placement is left to the scheduler');
    assert.match(pod.metadata?.name ?? '', /^agent-/);
    assert.ok(pod.metadata?.labels?.['controller-revision-hash']);
    assert.equal(pod.metadata?.labels?.['pod-template-generation'], '1');
    assert.ok(h.recorder.events.some((e) => e.reason === 'SuccessfulCreate' && /^Created pod: agent-/.test(e.message)));
    await eventually(() => h.status()?.desiredNumberScheduled === 2 && h.status()?.currentNumberScheduled === 2, 'status counts');
    assert.equal(h.status()?.numberUnavailable, 2);
    await h.readyAll();
    await eventually(() => h.status()?.numberReady === 2 && h.status()?.numberAvailable === 2 && h.status()?.updatedNumberScheduled === 2, 'ready');
    assert.equal(h.status()?.observedGeneration, 1);

    await h.addNode('n5');
    await eventually(() => h.byNode().join() === 'n1,n2,n5', 'a new node gets a pod');
    await h.nodeClient.patch('n2', 'merge', { metadata: { labels: { role: 'edge' } } });
    await eventually(() => h.byNode().join() === 'n1,n5', 'a relabelled node loses its pod');
    await h.nodeClient.patch('n5', 'merge', { spec: { taints: [{ key: 'maint', effect: 'NoSchedule' }] } });
    await h.nodeClient.patch('n1', 'merge', { spec: { taints: [{ key: 'evict', effect: 'NoExecute' }] } });
    await eventually(() => h.byNode().join() === 'n5', 'NoExecute evicts; NoSchedule keeps the running pod');
    await h.nodeClient.delete('n5');
    await eventually(() => h.byNode().length === 0, 'a removed node loses its pod');
    assert.ok(h.recorder.events.some((e) => e.reason === 'SuccessfulDelete' && /^Deleted pod: agent-/.test(e.message)));
  } finally {
    await h.stop();
  }
});

test('a rolling update with maxUnavailable replaces pods one node at a time and keeps revision history', async () => {
  const h = await setup();
  try {
    for (const n of ['n1', 'n2', 'n3']) await h.addNode(n);
    await h.ds.create(agent());
    await eventually(() => h.live().length === 3, 'three pods');
    await h.readyAll();
    await eventually(() => h.status()?.numberAvailable === 3, 'available');
    const oldHash = h.live()[0]!.metadata?.labels?.['controller-revision-hash'];
    await h.ds.patch('agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'a', image: 'agent:2' }] } } } }, { namespace: 'default' });
    await eventually(() => h.status()?.observedGeneration === 2, 'new generation observed');
    let maxOld = 0;
    for (let round = 0; round < 20 && h.status()?.updatedNumberScheduled !== 3; round++) {
      await eventually(() => h.live().length === 3 || h.live().some((p) => p.status?.phase !== 'Running'), 'progress');
      const notReady = h.live().filter((p) => p.status?.phase !== 'Running').length;
      maxOld = Math.max(maxOld, notReady);
      await h.readyAll();
      await eventually(() => h.status()?.observedGeneration === 2, 'observed');
    }
    await eventually(() => h.status()?.updatedNumberScheduled === 3 && h.status()?.numberAvailable === 3, 'rollout done');
    assert.ok(h.live().every((p) => p.spec?.containers[0]?.image === 'agent:2'));
    assert.ok(h.live().every((p) => p.metadata?.labels?.['controller-revision-hash'] !== oldHash));
    assert.ok(h.live().every((p) => p.metadata?.labels?.['pod-template-generation'] === '2'));
    assert.ok(maxOld <= 1, 'never more than one node without an available pod');
    const revs = h.revisions.listInNamespace('default').map((r) => r.revision).sort();
    assert.deepEqual(revs, [1, 2]);
  } finally {
    await h.stop();
  }
});

test('a rolling update with maxSurge starts the new pod before the old one goes', async () => {
  const h = await setup();
  try {
    await h.addNode('n1');
    await h.ds.create(agent({}, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }));
    await eventually(() => h.live().length === 1, 'one pod');
    await h.readyAll();
    await h.ds.patch('agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'a', image: 'agent:2' }] } } } }, { namespace: 'default' });
    await eventually(() => h.live().length === 2, 'surge pod beside the old one');
    await h.readyAll();
    await eventually(() => h.live().length === 1 && h.live()[0]?.spec?.containers[0]?.image === 'agent:2', 'old pod deleted once the new is available');
  } finally {
    await h.stop();
  }
});

test('OnDelete leaves old pods until they are deleted', async () => {
  const h = await setup();
  try {
    await h.addNode('n1');
    await h.ds.create(agent({}, { type: 'OnDelete' }));
    await eventually(() => h.live().length === 1, 'one pod');
    await h.readyAll();
    await h.ds.patch('agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'a', image: 'agent:2' }] } } } }, { namespace: 'default' });
    await eventually(() => h.status()?.observedGeneration === 2, 'observed');
    assert.equal(h.status()?.updatedNumberScheduled, 0);
    assert.equal(h.live()[0]?.spec?.containers[0]?.image, 'agent:1');
    await h.podClient.delete(h.live()[0]!.metadata!.name!, { namespace: 'default' });
    await eventually(() => h.live().length === 1 && h.live()[0]?.spec?.containers[0]?.image === 'agent:2', 'recreated at the new template');
  } finally {
    await h.stop();
  }
});

test('a failed daemon pod is replaced, and one failing again on the same node waits out a backoff', async () => {
  const h = await setup();
  try {
    await h.addNode('n1');
    await h.ds.create(agent());
    await eventually(() => h.live().length === 1, 'one pod');
    const fail = (name: string) => h.podClient.patch(name, 'merge', { status: { phase: 'Failed' } }, { namespace: 'default', subresource: 'status' });
    const first = h.live()[0]!.metadata!.name!;
    await fail(first);
    await eventually(() => h.live().length === 1 && h.live()[0]!.metadata!.name !== first, 'replaced');
    assert.ok(h.recorder.events.some((e) => e.reason === 'FailedDaemonPod' && e.message === `Found failed daemon pod default/${first} on node n1, will try to kill it`));
    const second = h.live()[0]!.metadata!.name!;
    await fail(second);
    await settle(200);
    assert.equal(h.live()[0]?.metadata?.name, second, 'not replaced before the backoff');
    await advance(h.clock, 1100);
    await eventually(() => h.live().length === 1 && h.live()[0]!.metadata!.name !== second, 'replaced after the backoff');
  } finally {
    await h.stop();
  }
});
