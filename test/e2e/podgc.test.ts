// The pod garbage collector end to end with kubectl 1.32 on two simulated nodes: a pod bound to a Node that an
// administrator deletes goes away after the quarantine (the node's kubelet, like a real one, does not register
// again), and a pod stuck Terminating on a node with no kubelet goes once the node is tainted out-of-service.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

function podYaml(name: string, node: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: ${node}
  containers:
  - name: app
    image: nginx:1.27
`;
}

describe('pod garbage collection with kubectl 1.32', { concurrency: false }, () => {
  let kin: Cluster;
  const { k, ok } = kubectlOn(() => kin, { minor: 32, timeoutMs: 240_000 });
  const until = async (cond: () => Promise<boolean>, what: string, tries = 120) => {
    for (let i = 0; i < tries; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.fail(`${what}: still not true`);
  };

  before(async () => {
    kin = await startKin({ storage: 'memory', extraArgs: ['--simulated-nodes', '2'] });
  });
  after(async () => {
    await cleanup(kin);
  });

  test('a pod on a deleted Node is deleted once the quarantine has passed', async () => {
    await until(async () => / Ready /.test((await k(['get', 'node', 'kin-node-2', '--no-headers'])).stdout), 'kin-node-2 is Ready');
    await ok(['apply', '-f', '-'], podYaml('pinned', 'kin-node-2'));
    await ok(['wait', '--for=condition=Ready', 'pod/pinned', '--timeout=60s']);
    await ok(['delete', 'node', 'kin-node-2']);
    // Quarantine (40 s) plus up to two collector periods (20 s each): a generous wait, no timing asserted.
    await ok(['wait', '--for=delete', 'pod/pinned', '--timeout=180s']);
    const node = await k(['get', 'node', 'kin-node-2']);
    assert.notEqual(node.code, 0, 'the node stays deleted: the pod was collected as an orphan');
    assert.match(node.stderr, /NotFound/);
  });

  test('a pod stuck Terminating on a node with no kubelet goes once the node is tainted out-of-service', async () => {
    await ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Node\nmetadata:\n  name: hand-made\n');
    await ok(['apply', '-f', '-'], podYaml('stuck', 'hand-made'));
    await ok(['delete', 'pod', 'stuck', '--wait=false']);
    assert.notEqual(await ok(['get', 'pod', 'stuck', '-o', 'jsonpath={.metadata.deletionTimestamp}']), '', 'Terminating: no kubelet confirms it stopped');
    await ok(['taint', 'node', 'hand-made', 'node.kubernetes.io/out-of-service=nodeshutdown:NoExecute']);
    await ok(['wait', '--for=delete', 'pod/stuck', '--timeout=120s']);
  });
});
