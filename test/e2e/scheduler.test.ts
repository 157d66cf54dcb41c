// The scheduler end to end with kubectl 1.32: pods are bound to nodes that fit; a pod asking for more CPU than any
// node has stays Pending, `kubectl describe` shows the FailedScheduling event from default-scheduler with the
// reason, and the PodScheduled condition says Unschedulable. kin runs three simulated nodes (4 CPUs each); one more
// node is made with kubectl (capacity and allocatable set through the status subresource).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, kubectlOn, startKin, type Cluster } from './harness.js';

/** kubectl 1.32 against a cluster: `k` runs it, `ok` insists on success, `until` polls a condition (30 s at most). */
function kubectlHelpers(cluster: () => Cluster) {
  const { k, ok } = kubectlOn(cluster, { minor: 32 });
  const until = async (cond: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 300; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${what}: still not true`);
  };
  return { k, ok, until };
}

describe('scheduler with kubectl 1.32', { concurrency: false }, () => {
  let kin: Cluster;
  const { k, ok, until } = kubectlHelpers(() => kin);
  const addNode = async (name: string, cpu: string) => {
    await ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } }));
    const resources = { cpu, memory: '8Gi', pods: '110' };
    await ok(['patch', 'node', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { capacity: resources, allocatable: resources } })]);
  };
  const pod = (name: string, cpu: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }] } });

  before(async () => {
    kin = await startKin({ storage: 'sqlite', extraArgs: ['--simulated-nodes', '3'] });
    await until(async () => (await ok(['get', 'nodes', '-o', 'name'])).trim().split('\n').length === 3, 'three simulated nodes');
  });
  after(async () => {
    await cleanup(kin);
  });

  test('the replicas of a Deployment are spread over the nodes', async () => {
    await ok(['create', 'deployment', 'spread', '--image=busybox', '--replicas=6']);
    const nodesOf = async () => (await ok(['get', 'pods', '-l', 'app=spread', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}'])).split('\n').filter((x) => x);
    await until(async () => (await nodesOf()).length === 6, 'six replicas bound');
    const counts = new Map<string, number>();
    for (const n of await nodesOf()) counts.set(n, (counts.get(n) ?? 0) + 1);
    assert.deepEqual([...counts.values()], [2, 2, 2], `two replicas on every node: ${JSON.stringify([...counts])}`);
    await ok(['delete', 'deployment', 'spread']);
  });

  test('a pod that fits is bound to a node with PodScheduled=True and a Scheduled event, and runs there', async () => {
    await ok(['create', '-f', '-'], pod('small', '500m'));
    let node = '';
    await until(async () => (node = await ok(['get', 'pod', 'small', '-o', 'jsonpath={.spec.nodeName}'])) !== '', 'pod bound');
    assert.equal(await ok(['get', 'pod', 'small', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status}']), 'True');
    await until(async () => (await ok(['describe', 'pod', 'small'])).includes(`Successfully assigned default/small to ${node}`), 'Scheduled event');
    const described = await ok(['describe', 'pod', 'small']);
    assert.match(described, /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/small to kin-node-\d/);
    await until(async () => (await ok(['get', 'pod', 'small', '-o', 'jsonpath={.status.phase}'])) === 'Running', 'pod Running on its simulated node');
  });

  test('a pod asking for more CPU than any node has stays Pending with the reason in its condition and events', async () => {
    await ok(['create', '-f', '-'], pod('huge', '64'));
    const reasonOf = () => ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}']);
    await until(async () => (await reasonOf()) === 'Unschedulable', 'PodScheduled=False/Unschedulable');
    assert.equal(await ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.phase}']), 'Pending');
    assert.equal(await ok(['get', 'pod', 'huge', '-o', 'jsonpath={.spec.nodeName}']), '');
    assert.equal(await ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status}']), 'False');
    const message = await ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}']);
    const nodes = (await ok(['get', 'nodes', '-o', 'name'])).trim().split('\n').length;
    assert.match(message, new RegExp(`^0/${nodes} nodes are available: .*\\d+ Insufficient cpu.*\\. preemption: 0/${nodes} nodes are available: `));
    assert.equal(nodes, 3);
    assert.equal(message, '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    await until(async () => (await ok(['describe', 'pod', 'huge'])).includes('FailedScheduling'), 'FailedScheduling event');
    const described = await ok(['describe', 'pod', 'huge']);
    assert.match(described, /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/\d+ nodes are available: .*Insufficient cpu/);
    assert.match(described, /PodScheduled\s+False/);
  });

  test('the pending pod is bound once a node with enough CPU joins', async () => {
    await addNode('e2e-node-big', '128');
    await until(async () => (await ok(['get', 'pod', 'huge', '-o', 'jsonpath={.spec.nodeName}'])) === 'e2e-node-big', 'huge bound to the new node');
    assert.equal(await ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status}']), 'True');
  });

  test('another scheduler binds its pod through pods/binding; binding it twice is a Conflict', async () => {
    await ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'custom' }, spec: { schedulerName: 'my-scheduler', containers: [{ name: 'c', image: 'busybox' }] } }));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await ok(['get', 'pod', 'custom', '-o', 'jsonpath={.spec.nodeName}']), '', 'default-scheduler leaves it alone');
    const binding = JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'custom' }, target: { apiVersion: 'v1', kind: 'Node', name: 'kin-node-2' } });
    const created = await ok(['create', '--raw', '/api/v1/namespaces/default/pods/custom/binding', '-f', '-'], binding);
    assert.equal(JSON.parse(created).status, 'Success');
    assert.equal(await ok(['get', 'pod', 'custom', '-o', 'jsonpath={.spec.nodeName}']), 'kin-node-2');
    const again = await k(['create', '--raw', '/api/v1/namespaces/default/pods/custom/binding', '-f', '-'], binding);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /pod custom is already assigned to node "kin-node-2"/);
  });

  test('a pod selecting a missing label stays Pending with the node affinity reason', async () => {
    await ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'picky' }, spec: { nodeSelector: { disk: 'nvme' }, containers: [{ name: 'c', image: 'busybox' }] } }));
    const msg = () => ok(['get', 'pod', 'picky', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}']);
    await until(async () => (await msg()).includes("node(s) didn't match Pod's node affinity/selector"), 'node affinity reason');
    assert.match(await msg(), /preemption: 0\/\d+ nodes are available: \d+ Preemption is not helpful for scheduling\.$/);
  });
});

// Preemption end to end: one simulated node (4 CPUs) is filled by a low-priority pod; a pod of a higher
// PriorityClass that fits only once that pod is gone preempts it: the low pod is deleted with a Preempted event, and
// the high pod is nominated to the node, then bound and Running there.
describe('scheduler preemption with kubectl 1.32', { concurrency: false }, () => {
  let kin: Cluster;
  const { ok, until } = kubectlHelpers(() => kin);
  const priorityClass = (name: string, value: number) => JSON.stringify({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
  const pod = (name: string, cls: string, cpu: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { priorityClassName: cls, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }] } });

  before(async () => {
    kin = await startKin({ storage: 'sqlite', extraArgs: ['--simulated-nodes', '1'] });
    await until(async () => (await ok(['get', 'nodes', '-o', 'name'])).trim().split('\n').filter((x) => x).length === 1, 'one simulated node');
  });
  after(async () => {
    await cleanup(kin);
  });

  test('a pod of a higher PriorityClass preempts a low-priority pod filling the node, and runs there', async () => {
    await ok(['create', '-f', '-'], priorityClass('e2e-low', 100));
    await ok(['create', '-f', '-'], priorityClass('e2e-high', 1000000));
    const node = (await ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    await ok(['create', '-f', '-'], pod('low', 'e2e-low', '3'));
    await until(async () => (await ok(['get', 'pod', 'low', '-o', 'jsonpath={.status.phase}'])) === 'Running', 'low-priority pod Running');
    assert.equal(await ok(['get', 'pod', 'low', '-o', 'jsonpath={.spec.nodeName}']), node);
    const lowUid = await ok(['get', 'pod', 'low', '-o', 'jsonpath={.metadata.uid}']);

    await ok(['create', '-f', '-'], pod('high', 'e2e-high', '2'));
    const highUid = await ok(['get', 'pod', 'high', '-o', 'jsonpath={.metadata.uid}']);
    assert.equal(await ok(['get', 'pod', 'high', '-o', 'jsonpath={.spec.priority}']), '1000000');
    await until(async () => !(await ok(['get', 'pods', '-o', 'jsonpath={.items[*].metadata.uid}'])).includes(lowUid), 'low-priority pod deleted');
    await until(async () => (await ok(['get', 'events'])).includes('Preempted'), 'Preempted event');
    const events = await ok(['get', 'events', '--field-selector', 'reason=Preempted']);
    assert.match(events, new RegExp(`Normal\\s+Preempted\\s+pod/low\\s+Preempted by pod ${highUid} on node ${node}`));
    await until(async () => (await ok(['get', 'pod', 'high', '-o', 'jsonpath={.status.phase}'])) === 'Running', 'high-priority pod Running');
    assert.equal(await ok(['get', 'pod', 'high', '-o', 'jsonpath={.spec.nodeName}']), node);
    assert.equal(await ok(['get', 'pod', 'high', '-o', 'jsonpath={.status.nominatedNodeName}']), node);
  });
});
