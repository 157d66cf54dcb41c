// Simulated nodes end to end with kubectl 1.32: nodes register Ready, bound pods run and become Ready, a pod asked
// to exit 1 under restartPolicy Never ends Failed, deletion honours the grace period, and a node whose kubelet
// process stops is marked Unknown, tainted unreachable, and its pods evicted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function podYaml(name: string, node: string, opts: { annotations?: Record<string, string>; restartPolicy?: string; grace?: number; tolerationSeconds?: number } = {}): string {
  const ann = Object.entries(opts.annotations ?? {})
    .map(([k, v]) => `\n    ${k}: "${v}"`)
    .join('');
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}${ann ? `\n  annotations:${ann}` : ''}
spec:
  nodeName: ${node}
  restartPolicy: ${opts.restartPolicy ?? 'Always'}
  terminationGracePeriodSeconds: ${opts.grace ?? 30}${
    opts.tolerationSeconds !== undefined
      ? `\n  tolerations:\n  - key: node.kubernetes.io/unreachable\n    operator: Exists\n    effect: NoExecute\n    tolerationSeconds: ${opts.tolerationSeconds}`
      : ''
  }
  containers:
  - name: app
    image: nginx:1.27
`;
}

describe('simulated nodes with kubectl 1.32', { concurrency: false }, () => {
  let kin: Cluster;
  let kubelet: ChildProcess | undefined;
  const { k, ok } = kubectlOn(() => kin, { minor: 32 });
  const until = async (cond: () => Promise<boolean>, what: string, tries = 300) => {
    for (let i = 0; i < tries; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.fail(`${what}: still not true`);
  };

  before(async () => {
    kin = await startKin({ storage: 'memory', extraArgs: ['--simulated-nodes', '3'] });
  });
  after(async () => {
    if (kubelet && kubelet.exitCode === null) kubelet.kill('SIGKILL');
    await cleanup(kin);
  });

  test('kin up --simulated-nodes 3 registers three Ready nodes', async () => {
    await until(async () => {
      const out = (await k(['get', 'nodes', '--no-headers'])).stdout.trim().split('\n').filter(Boolean);
      return out.length === 3 && out.every((l) => / Ready /.test(l));
    }, 'three Ready nodes');
    const out = await ok(['get', 'nodes', '-o', 'wide']);
    assert.match(out, /kin-node-1 +Ready +<none> +\S+ +v1\.32\.0 +172\.18\.0\.2/);
    assert.match(await ok(['get', 'lease', '-n', 'kube-node-lease', 'kin-node-2', '-o', 'jsonpath={.spec.holderIdentity}']), /^kin-node-2$/);
  });

  test('a pod bound to a node becomes Running and Ready', async () => {
    await ok(['apply', '-f', '-'], podYaml('web', 'kin-node-1'));
    await ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
    const ip = await ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']);
    assert.match(ip, /^10\.128\.\d+\.\d+$/);
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}{" "}{end}']);
    for (const r of ['Pulling', 'Pulled', 'Created', 'Started']) assert.match(events, new RegExp(r));
  });

  test('a pod asked to exit 1 under restartPolicy Never ends Failed', async () => {
    await ok(['apply', '-f', '-'], podYaml('fail', 'kin-node-2', { restartPolicy: 'Never', annotations: { 'kin.dev/exit-after': '1s', 'kin.dev/exit-code': '1' } }));
    await ok(['wait', '--for=jsonpath={.status.phase}=Failed', 'pod/fail', '--timeout=60s']);
    assert.equal(await ok(['get', 'pod', 'fail', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode}']), '1');
  });

  test('kubectl delete pod waits for the containers to stop within the grace period', async () => {
    await ok(['apply', '-f', '-'], podYaml('slow', 'kin-node-3', { grace: 3, annotations: { 'kin.dev/shutdown-delay': '60s' } }));
    await ok(['wait', '--for=condition=Ready', 'pod/slow', '--timeout=60s']);
    await ok(['delete', 'pod', 'slow', '--wait=false']);
    assert.notEqual(await ok(['get', 'pod', 'slow', '-o', 'jsonpath={.metadata.deletionTimestamp}']), '', 'Terminating while its container stops');
    await ok(['wait', '--for=delete', 'pod/slow', '--timeout=60s']);
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=slow,reason=Killing', '-o', 'jsonpath={.items[*].message}']);
    assert.match(events, /Stopping container app/);
  });

  test('a node whose kubelet stops becomes Unknown, is tainted unreachable, and its pods are evicted', async () => {
    const entry = ['--import', 'tsx', join(root, 'test/e2e/kin-from-source.ts')];
    kubelet = spawn(process.execPath, [...entry, 'kubelet', '--simulated', '--nodes', '1', '--node-name-prefix', 'kin-extra', '--kubeconfig', kin.kubeconfig, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await until(async () => / Ready /.test((await k(['get', 'node', 'kin-extra-1', '--no-headers'])).stdout), 'the extra node is Ready');
    await ok(['apply', '-f', '-'], podYaml('doomed', 'kin-extra-1', { tolerationSeconds: 2 }));
    await ok(['wait', '--for=condition=Ready', 'pod/doomed', '--timeout=60s']);
    kubelet.kill('SIGKILL');
    await ok(['wait', '--for=condition=Ready=Unknown', 'node/kin-extra-1', '--timeout=120s']);
    assert.equal(await ok(['get', 'node', 'kin-extra-1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}']), 'NodeStatusUnknown');
    const taints = await ok(['get', 'node', 'kin-extra-1', '-o', 'jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}']);
    assert.match(taints, /node\.kubernetes\.io\/unreachable:NoSchedule/);
    assert.match(taints, /node\.kubernetes\.io\/unreachable:NoExecute/);
    await until(async () => (await k(['get', 'pod', 'doomed', '-o', 'jsonpath={.metadata.deletionTimestamp}'])).stdout !== '', 'the pod is evicted', 60);
    assert.match(await ok(['get', 'pod', 'doomed', '-o', 'jsonpath={.status.conditions[?(@.type=="DisruptionTarget")].reason}']), /DeletionByTaintManager/);
  });
});
