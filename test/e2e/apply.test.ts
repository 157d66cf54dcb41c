// The declarative workflow with kubectl 1.32 and 1.33: client-side apply, diff, server-side apply with
// conflicts and force, managedFields, patches of every type, scale and the status subresource.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

const deployment = (name: string, replicas: number, image: string, sidecar: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80${sidecar ? `
      - name: sidecar
        image: busybox:1.36` : ''}
`;

for (const minor of [32, 33] as const) {
  describe(`declarative workflow with kubectl 1.${minor}`, { concurrency: false }, () => {
    let kin: Cluster;
    const { k, ok } = kubectlOn(() => kin, { minor });
    const file = (name: string) => join(kin.dataDir, name);

    before(async () => {
      kin = await startKin({ storage: 'memory' });
    });
    after(async () => {
      await cleanup(kin);
    });

    test('client-side apply merges by container name and removes a container dropped from the file', async () => {
      await writeFile(file('web.yaml'), deployment('web', 1, 'nginx:1.26', true));
      assert.match(await ok(['apply', '-f', file('web.yaml')]), /created/);
      await writeFile(file('web.yaml'), deployment('web', 2, 'nginx:1.27', false));
      const diff = await k(['diff', '-f', file('web.yaml')]);
      assert.equal(diff.code, 1, diff.stderr);
      assert.match(diff.stdout, /-\s+replicas: 1/);
      assert.match(diff.stdout, /\+\s+replicas: 2/);
      assert.match(diff.stdout, /-\s+- image: busybox:1.36/);
      assert.match(await ok(['apply', '-f', file('web.yaml')]), /configured/);
      const d = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json'])) as { spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } } };
      assert.equal(d.spec.replicas, 2);
      assert.deepEqual(d.spec.template.spec.containers.map((c) => `${c.name}=${c.image}`), ['web=nginx:1.27']);
      const same = await k(['diff', '-f', file('web.yaml')]);
      assert.equal(same.code, 0, same.stdout + same.stderr);
    });

    test('server-side apply records ownership, reports a conflict and takes it over with --force-conflicts', async () => {
      await writeFile(file('ssa.yaml'), deployment('ssa', 2, 'nginx:1.27', false));
      assert.match(await ok(['apply', '--server-side', '-f', file('ssa.yaml')]), /serverside-applied/);
      const y = await ok(['get', 'deploy', 'ssa', '-o', 'yaml', '--show-managed-fields']);
      assert.match(y, /manager: kubectl\n\s+operation: Apply/);
      assert.match(y, /k:\{"name":"web"\}/);
      await ok(['scale', 'deploy', 'ssa', '--replicas=5']);
      await writeFile(file('ssa.yaml'), deployment('ssa', 3, 'nginx:1.27', false));
      const conflict = await k(['apply', '--server-side', '-f', file('ssa.yaml')]);
      assert.notEqual(conflict.code, 0);
      assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl(\.1\.3[23])?" with subresource "scale" using apps\/v1: \.spec\.replicas/);
      assert.match(await ok(['apply', '--server-side', '--force-conflicts', '-f', file('ssa.yaml')]), /serverside-applied/);
      assert.equal(await ok(['get', 'deploy', 'ssa', '-o', 'jsonpath={.spec.replicas}']), '3');
      // a field dropped from the applied configuration is removed
      await writeFile(file('ssa.yaml'), deployment('ssa', 3, 'nginx:1.27', false).replace('        ports:\n        - containerPort: 80\n', ''));
      await ok(['apply', '--server-side', '-f', file('ssa.yaml')]);
      assert.equal(await ok(['get', 'deploy', 'ssa', '-o', 'jsonpath={.spec.template.spec.containers[0].ports}']), '');
    });

    test('client-side apply, then server-side apply by kubectl without conflicts, then client-side apply again', async () => {
      const annotation = 'kubectl.kubernetes.io/last-applied-configuration';
      type Deploy = { metadata: { annotations: Record<string, string>; managedFields: { manager: string; operation: string }[] }; spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } } };
      const get = async () => JSON.parse(await ok(['get', 'deploy', 'mig', '-o', 'json', '--show-managed-fields'])) as Deploy;
      await writeFile(file('mig.yaml'), deployment('mig', 1, 'nginx:1.26', true));
      assert.match(await ok(['apply', '-f', file('mig.yaml')]), /created/);
      // The same file, changed, applied server-side: the fields kubectl applied before are its own.
      await writeFile(file('mig.yaml'), deployment('mig', 3, 'nginx:1.27', true));
      assert.match(await ok(['apply', '--server-side', '-f', file('mig.yaml')]), /^deployment\.apps\/mig serverside-applied$/m);
      const ssa = await get();
      assert.equal(ssa.spec.replicas, 3);
      assert.ok(ssa.metadata.managedFields.some((m) => m.manager === 'kubectl' && m.operation === 'Apply'));
      // The server kept the client-side annotation in step with what was applied.
      const last = JSON.parse(ssa.metadata.annotations[annotation]!) as { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
      assert.equal(last.spec.replicas, 3);
      assert.equal(last.spec.template.spec.containers[0]!.image, 'nginx:1.27');
      // Back to client-side apply: a container dropped from the file goes, as the annotation says it was applied.
      await writeFile(file('mig.yaml'), deployment('mig', 3, 'nginx:1.27', false));
      assert.match(await ok(['apply', '-f', file('mig.yaml')]), /configured/);
      const csa = await get();
      assert.deepEqual(csa.spec.template.spec.containers.map((c) => `${c.name}=${c.image}`), ['web=nginx:1.27']);
    });

    test('patches of every type, and the status subresource keeps spec', async () => {
      await ok(['create', 'deployment', 'p', '--image=nginx']);
      await ok(['patch', 'deploy', 'p', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']);
      await ok(['patch', 'deploy', 'p', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"web"}}}']);
      await ok(['patch', 'deploy', 'p', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}']);
      const d = JSON.parse(await ok(['get', 'deploy', 'p', '-o', 'json'])) as { metadata: { labels: Record<string, string>; generation: number }; spec: { replicas: number; template: { spec: { containers: { image: string; imagePullPolicy: string }[] } } } };
      assert.equal(d.spec.replicas, 4);
      assert.equal(d.metadata.labels['tier'], 'web');
      assert.equal(d.spec.template.spec.containers[0]!.image, 'nginx:1.27');
      assert.equal(d.metadata.generation, 3);
      const failedTest = await k(['patch', 'deploy', 'p', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":9}]']);
      assert.notEqual(failedTest.code, 0);
      // The status subresource takes status and ignores spec. The patch's answer is the object as written: the
      // deployment controller owns this status and writes it again from the pods it sees right after.
      // (Once the rollout is done, status.replicas is 4; availableReplicas may not exceed readyReplicas.)
      await ok(['rollout', 'status', 'deploy/p', '--timeout=60s']);
      const after = JSON.parse(await ok(['patch', 'deploy', 'p', '--subresource=status', '--type=merge', '-p', '{"status":{"readyReplicas":1,"availableReplicas":1},"spec":{"replicas":1}}', '-o', 'json'])) as { spec: { replicas: number }; status: { readyReplicas: number } };
      assert.equal(after.spec.replicas, 4);
      assert.equal(after.status.readyReplicas, 1);
      assert.equal(await ok(['get', 'deploy', 'p', '-o', 'jsonpath={.spec.replicas}']), '4');
      await ok(['rollout', 'status', 'deploy/p', '--timeout=60s']);
      assert.match(await ok(['get', 'deploy', 'p']), /^p\s+4\/4\s+4\s+4\s/m);
    });

    test('label with a stale resourceVersion is a conflict; replace with a stale one too', async () => {
      await ok(['create', 'configmap', 'cv', '--from-literal=a=b']);
      const r = await k(['label', 'cm', 'cv', 'x=y', '--resource-version=1']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /Conflict.*the object has been modified; please apply your changes to the latest version and try again/);
    });
  });
}
