// Admission end to end with kubectl 1.32: LimitRange defaults on a pod, a ResourceQuota refusing a pod over its
// limit with Kubernetes' message while `kubectl describe quota` shows the used figures, and the default
// ServiceAccount with its kube-api-access volume on every pod.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

const limitRange = `apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
spec:
  limits:
  - type: Container
    default:
      cpu: 500m
      memory: 256Mi
    defaultRequest:
      cpu: 100m
      memory: 128Mi
    max:
      cpu: "1"
`;

const quota = `apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
spec:
  hard:
    pods: "2"
    requests.cpu: "1"
    limits.memory: 1Gi
`;

const pod = (name: string, cpu?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: busybox
${cpu ? `    resources:\n      requests:\n        cpu: ${cpu}\n      limits:\n        cpu: ${cpu}\n        memory: 128Mi\n` : ''}`;

describe('admission with kubectl 1.32', { concurrency: false }, () => {
  let kin: Cluster;
  const { k, ok } = kubectlOn(() => kin, { minor: 32 });
  const until = async (cond: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 300; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${what}: still not true`);
  };
  const json = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json'])) as Record<string, any>;

  before(async () => {
    kin = await startKin({ storage: 'sqlite' });
  });
  after(async () => {
    await cleanup(kin);
  });

  test('a pod gets the default ServiceAccount and its kube-api-access volume', async () => {
    await ok(['create', 'namespace', 'sa']);
    await until(async () => (await k(['get', 'serviceaccount', 'default', '-n', 'sa'])).code === 0, 'default ServiceAccount');
    await ok(['apply', '-n', 'sa', '-f', '-'], pod('plain'));
    const p = await json(['get', 'pod', 'plain', '-n', 'sa']);
    assert.equal(p['spec'].serviceAccountName, 'default');
    const vol = (p['spec'].volumes as { name: string; projected?: { sources: Record<string, any>[] } }[]).find((v) => v.name.startsWith('kube-api-access-'));
    assert.ok(vol, 'kube-api-access volume');
    assert.match(vol.name, /^kube-api-access-[a-z0-9]{5}$/);
    assert.equal(vol.projected?.sources[0]?.['serviceAccountToken'].expirationSeconds, 3607);
    assert.deepEqual(p['spec'].containers[0].volumeMounts, [{ name: vol.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    // DefaultTolerationSeconds and Priority too.
    assert.deepEqual(
      (p['spec'].tolerations as { key: string; tolerationSeconds: number }[]).map((t) => [t.key, t.tolerationSeconds]),
      [['node.kubernetes.io/not-ready', 300], ['node.kubernetes.io/unreachable', 300]],
    );
    assert.equal(p['spec'].priority, 0);
    const r = await k(['run', 'ghost', '-n', 'sa', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"ghost"}}']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pods "ghost" is forbidden: error looking up service account sa\/ghost: serviceaccount "ghost" not found/);
  });

  test('a pod in a namespace with a LimitRange gets its defaults', async () => {
    await ok(['create', 'namespace', 'limits']);
    await ok(['apply', '-n', 'limits', '-f', '-'], limitRange);
    await until(async () => (await k(['get', 'serviceaccount', 'default', '-n', 'limits'])).code === 0, 'default ServiceAccount');
    await ok(['apply', '-n', 'limits', '-f', '-'], pod('defaulted'));
    const p = await json(['get', 'pod', 'defaulted', '-n', 'limits']);
    assert.deepEqual(p['spec'].containers[0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    assert.equal(p['metadata'].annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app');
    const r = await k(['apply', '-n', 'limits', '-f', '-'], pod('greedy', '2'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pods "greedy" is forbidden: maximum cpu usage per Container is 1, but limit is 2/);
  });

  test('a ResourceQuota refuses the pod over its limit, and describe quota shows what is used', async () => {
    await ok(['create', 'namespace', 'quota']);
    await ok(['apply', '-n', 'quota', '-f', '-'], quota);
    await until(async () => (await json(['get', 'resourcequota', 'compute', '-n', 'quota']))['status']?.used !== undefined, 'quota status computed');
    await until(async () => (await k(['get', 'serviceaccount', 'default', '-n', 'quota'])).code === 0, 'default ServiceAccount');
    await ok(['apply', '-n', 'quota', '-f', '-'], pod('one', '400m'));
    await ok(['apply', '-n', 'quota', '-f', '-'], pod('two', '400m'));
    const r = await k(['apply', '-n', 'quota', '-f', '-'], pod('three', '400m'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pods "three" is forbidden: exceeded quota: compute, requested: pods=1,requests\.cpu=400m, used: pods=2,requests\.cpu=800m, limited: pods=2,requests\.cpu=1/);
    const missing = await k(['run', 'bare', '-n', 'quota', '--image=busybox']);
    assert.match(missing.stderr, /pods "bare" is forbidden: failed quota: compute: must specify limits\.memory for: bare; requests\.cpu for: bare/);
    const d = await ok(['describe', 'quota', 'compute', '-n', 'quota']);
    assert.match(d, /limits\.memory\s+256Mi\s+1Gi/);
    assert.match(d, /pods\s+2\s+2/);
    assert.match(d, /requests\.cpu\s+800m\s+1/);
    await ok(['delete', 'pod', 'one', '-n', 'quota', '--grace-period=0', '--force']);
    await until(async () => (await json(['get', 'resourcequota', 'compute', '-n', 'quota']))['status'].used.pods === '1', 'quota given back');
  });
});
