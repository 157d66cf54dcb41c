// A corpus of everyday manifests (guestbook-style app, database, batch, RBAC, policies) applied with kubectl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cleanup, startKin, type Cluster } from './harness.js';

const corpus = fileURLToPath(new URL('./corpus/', import.meta.url));
let kin: Cluster;

before(async () => {
  kin = await startKin({ storage: 'sqlite' });
});
after(async () => {
  await cleanup(kin);
});

const ok = async (args: string[]) => {
  const r = await kin.kubectl(args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
};

test('apply -f DIR creates every object, a second apply changes nothing', async () => {
  const out = await ok(['apply', '-f', corpus]);
  const lines = out.trim().split('\n');
  assert.ok(lines.length >= 25, out);
  for (const l of lines) assert.match(l, / created$/);
  const again = await ok(['apply', '-f', corpus]);
  // kubectl sends a patch (and prints "configured") where the live object differs from the file by design: a
  // StatefulSet's defaulted volumeClaimTemplates (an atomic list), a Secret's stringData (moved into data), a
  // PodDisruptionBudget's selector (patch strategy replace). Everything else must be unchanged.
  for (const l of again.trim().split('\n')) assert.match(l, / (unchanged|configured)$/);
  for (const name of ['configmap/frontend-config', 'deployment.apps/frontend', 'service/frontend', 'job.batch/migrate', 'cronjob.batch/report', 'role.rbac.authorization.k8s.io/config-reader', 'rolebinding.rbac.authorization.k8s.io/backend-reads-config']) {
    assert.match(again, new RegExp(`^${name.replace(/[./]/g, (c) => '\\' + c)} unchanged$`, 'm'));
  }
});

test('the objects read back like a real cluster: defaults filled, secrets encoded', async () => {
  const secret = JSON.parse(await ok(['-n', 'shop', 'get', 'secret', 'db-credentials', '-o', 'json'])) as { data: Record<string, string>; stringData?: unknown };
  assert.equal(Buffer.from(secret.data['password']!, 'base64').toString(), 'correct-horse-battery-staple');
  assert.equal(secret.stringData, undefined);
  const svc = JSON.parse(await ok(['-n', 'shop', 'get', 'svc', 'frontend', '-o', 'json'])) as { spec: { ports: { protocol: string; targetPort: unknown }[]; sessionAffinity: string } };
  assert.equal(svc.spec.ports[0]!.protocol, 'TCP');
  assert.equal(svc.spec.sessionAffinity, 'None');
  const sts = JSON.parse(await ok(['-n', 'shop', 'get', 'sts', 'db', '-o', 'json'])) as { spec: { podManagementPolicy: string; updateStrategy: { type: string } } };
  assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
  assert.equal(sts.spec.updateStrategy.type, 'RollingUpdate');
  const job = JSON.parse(await ok(['-n', 'shop', 'get', 'job', 'migrate', '-o', 'json'])) as { spec: { completions: number; parallelism: number; selector: { matchLabels: Record<string, string> } } };
  assert.equal(job.spec.completions, 1);
  assert.equal(job.spec.parallelism, 1);
  assert.ok(job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']);
  const hpaV1 = JSON.parse(await ok(['-n', 'shop', 'get', 'horizontalpodautoscalers.v1.autoscaling', 'frontend', '-o', 'json'])) as { apiVersion: string; spec: { targetCPUUtilizationPercentage: number } };
  assert.equal(hpaV1.apiVersion, 'autoscaling/v1');
  assert.equal(hpaV1.spec.targetCPUUtilizationPercentage, 70);
});

test('get all, wide output and describe work on the applied app', async () => {
  const all = await ok(['-n', 'shop', 'get', 'all']);
  assert.match(all, /deployment.apps\/frontend/);
  assert.match(all, /service\/frontend\s+LoadBalancer/);
  assert.match(all, /statefulset.apps\/db/);
  assert.match(all, /cronjob.batch\/report\s+0 3 \* \* \*/);
  assert.match(await ok(['-n', 'shop', 'get', 'ingress']), /frontend\s+kin\s+shop.example.test/);
  assert.match(await ok(['-n', 'shop', 'get', 'pdb']), /frontend\s+2\s+N\/A/);
  assert.match(await ok(['-n', 'shop', 'describe', 'deploy', 'frontend']), /Pod Template:/);
  assert.match(await ok(['-n', 'shop', 'describe', 'svc', 'frontend']), /Type:\s+LoadBalancer/);
});

test('delete -f DIR removes everything, including the namespace contents', async () => {
  // The namespace goes first and takes its contents with it: later deletes may find nothing, as on any cluster.
  await ok(['delete', '-f', corpus, '--wait=true', '--timeout=60s', '--ignore-not-found']);
  const left = await kin.kubectl(['get', 'ns', 'shop']);
  assert.notEqual(left.code, 0);
  assert.equal((await ok(['get', 'clusterrole', 'shop-viewer', '--ignore-not-found'])).trim(), '');
});
