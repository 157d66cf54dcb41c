// Services end to end with kubectl 1.32 and 1.33 on two simulated nodes: EndpointSlices and Endpoints follow pod readiness
// (a crashing pod's endpoint turns ready=false), named target ports resolve, a LoadBalancer Service shows its
// EXTERNAL-IP from `--load-balancer-ips` and gives it back, and `kubectl drain` is refused by a
// PodDisruptionBudget until the budget allows it; the `kubernetes` Service's Endpoints and EndpointSlice show the
// API server's address.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

const manifest = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Pod
metadata:
  name: flaky
  labels: {app: web}
  annotations: {kin.dev/exit-after: "2s", kin.dev/exit-code: "1"}
spec:
  containers:
  - {name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}
`;

const guarded = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: guarded}
spec:
  replicas: 2
  selector: {matchLabels: {app: guarded}}
  template:
    metadata: {labels: {app: guarded}}
    spec:
      terminationGracePeriodSeconds: 0
      containers: [{name: c, image: nginx}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: guarded}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: guarded}}
`;

describe('services with kubectl 1.32 and 1.33', { concurrency: false }, () => {
  let kin: Cluster;

  before(async () => {
    kin = await startKin({ storage: 'memory', extraArgs: ['--simulated-nodes', '2', '--load-balancer-ips', '10.77.0.10-10.77.0.20'] });
  });
  after(async () => {
    await cleanup(kin);
  });

  for (const minor of [32, 33] as const) {
    const ns = `svc-${minor}`;

    const { k, ok } = kubectlOn(() => kin, { minor, namespace: ns });
    const until = async (cond: () => Promise<boolean>, what: string, seconds = 60) => {
      for (let i = 0; i < seconds * 5; i++) {
        if (await cond()) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.fail(`${what}: still not true after ${seconds} s`);
    };
    const sliceEndpoints = async () =>
      (await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'jsonpath={range .items[*].endpoints[*]}{.targetRef.name}={.conditions.ready} {end}']))
        .trim()
        .split(/\s+/)
        .filter(Boolean);

    test(`1.${minor}: EndpointSlices and Endpoints list the ready pods and follow a pod that stops being ready`, async () => {
      await kin.kubectl(['create', 'namespace', ns], { minor });
      await ok(['apply', '-f', '-'], manifest);
      await until(async () => (await sliceEndpoints()).filter((e) => /^web-.*=true$/.test(e)).length === 2, 'two ready web endpoints');
      const table = await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '--no-headers']);
      assert.match(table, /^web-[a-z0-9]{5}\s+IPv4\s+8080\s+\d+\.\d+\.\d+\.\d+/m);
      const labels = await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'jsonpath={.items[0].metadata.labels.endpointslice\\.kubernetes\\.io/managed-by}']);
      assert.equal(labels, 'endpointslice-controller.k8s.io');
      // The flaky pod exits after 2 s and waits in back-off: its endpoint stays, not ready.
      await until(async () => (await sliceEndpoints()).includes('flaky=false'), 'flaky endpoint ready=false');
      await until(async () => /flaky/.test(await ok(['get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].notReadyAddresses[*].targetRef.name}'])), 'flaky among notReadyAddresses');
      const eps = await ok(['get', 'endpoints', 'web', '--no-headers']);
      assert.match(eps, /^web\s+\d+\.\d+\.\d+\.\d+:8080,\d+\.\d+\.\d+\.\d+:8080\s/);
      await ok(['delete', 'pod', 'flaky', '--grace-period=0', '--force']);
      await ok(['scale', 'deployment/web', '--replicas=3']);
      await until(async () => (await sliceEndpoints()).filter((e) => /^web-.*=true$/.test(e)).length === 3 && !(await sliceEndpoints()).some((e) => e.startsWith('flaky')), 'three ready endpoints, flaky gone');
    });

    test(`1.${minor}: a LoadBalancer Service shows its EXTERNAL-IP from the pool and gives it back when it becomes ClusterIP`, async () => {
      await ok(['expose', 'deployment', 'web', '--name=web-lb', '--type=LoadBalancer', '--port=80', '--target-port=8080']);
      let row = '';
      await until(async () => /10\.77\.0\.10/.test((row = await ok(['get', 'svc', 'web-lb', '--no-headers']))), 'EXTERNAL-IP assigned');
      assert.match(row, /^web-lb\s+LoadBalancer\s+10\.\d+\.\d+\.\d+\s+10\.77\.0\.10\s+80:3\d{4}\/TCP\s/);
      const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=web-lb', '-o', 'jsonpath={range .items[*]}{.reason} {end}']);
      assert.match(events, /EnsuredLoadBalancer/);
      await ok(['patch', 'svc', 'web-lb', '--type=merge', '-p', '{"spec":{"type":"ClusterIP"}}']);
      await until(async () => /^web-lb\s+ClusterIP\s+\S+\s+<none>\s/.test(await ok(['get', 'svc', 'web-lb', '--no-headers'])), 'EXTERNAL-IP released');
      await ok(['delete', 'svc', 'web-lb']);
    });

    test(`1.${minor}: kubectl drain is refused by a PodDisruptionBudget, then goes through once the budget allows it`, async () => {
      await ok(['delete', 'deployment', 'web']);
      await ok(['apply', '-f', '-'], guarded);
      await until(async () => (await ok(['get', 'pdb', 'guarded', '-o', 'jsonpath={.status.currentHealthy}/{.status.disruptionsAllowed}'])) === '2/0', 'budget sees two healthy pods');
      assert.match(await ok(['get', 'pdb', 'guarded', '--no-headers']), /^guarded\s+2\s+N\/A\s+0\s/);
      const node = (await ok(['get', 'pods', '-l', 'app=guarded', '-o', 'jsonpath={.items[0].spec.nodeName}'])).trim();
      const refused = await kin.kubectl(['drain', node, '--ignore-daemonsets', '--timeout=8s'], { minor, timeoutMs: 30_000 });
      assert.notEqual(refused.code, 0, refused.stdout);
      assert.match(refused.stderr + refused.stdout, /Cannot evict pod as it would violate the pod's disruption budget\./);
      assert.match(await kin.kubectl(['get', 'node', node, '--no-headers'], { minor }).then((r) => r.stdout), /SchedulingDisabled/);

      await ok(['patch', 'pdb', 'guarded', '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);
      const drained = await kin.kubectl(['drain', node, '--ignore-daemonsets', '--timeout=90s'], { minor, timeoutMs: 120_000 });
      assert.equal(drained.code, 0, `${drained.stderr}\n${drained.stdout}`);
      assert.match(drained.stdout, /evicted/);
      assert.match(drained.stdout, new RegExp(`node/${node} drained`));
      const onNode = await ok(['get', 'pods', '-l', 'app=guarded', '--field-selector', `spec.nodeName=${node}`, '--no-headers']);
      assert.equal(onNode.trim(), '');
      await ok(['uncordon', node]);
      await ok(['delete', 'deployment', 'guarded']);
      await ok(['delete', 'pdb', 'guarded']);
    });
  }

  test('the kubernetes Service has Endpoints and an EndpointSlice with the API server address, left alone by the endpoints controllers', async () => {
    const ok = async (args: string[]) => {
      const r = await kin.kubectl(['-n', 'default', ...args], { minor: 32 });
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    };
    assert.match(await ok(['get', 'endpoints', 'kubernetes', '--no-headers']), new RegExp(`^kubernetes\\s+127\\.0\\.0\\.1:${kin.port}\\s`));
    assert.equal(await ok(['get', 'endpoints', 'kubernetes', '-o', 'jsonpath={.subsets[0].ports[0].name}/{.subsets[0].ports[0].protocol}']), 'https/TCP');
    assert.match(await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=kubernetes', '--no-headers']), new RegExp(`^kubernetes\\s+IPv4\\s+${kin.port}\\s+127\\.0\\.0\\.1\\s`));
    const slice = JSON.parse(await ok(['get', 'endpointslice', 'kubernetes', '-o', 'json'])) as { metadata: { labels: Record<string, string> }; endpoints: unknown[] };
    assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' });
    assert.deepEqual(slice.endpoints, [{ addresses: ['127.0.0.1'], conditions: { ready: true } }]);
    assert.equal(await ok(['get', 'service', 'kubernetes', '-o', 'jsonpath={.spec.ports[0].targetPort}']), String(kin.port));
  });
});
