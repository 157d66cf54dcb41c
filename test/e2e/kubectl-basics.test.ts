// kubectl 1.32 and 1.33 against `kin up`: the everyday commands and their errors, end to end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

for (const minor of [32, 33] as const) {
  describe(`kubectl 1.${minor} against kin`, { concurrency: false }, () => {
    let kin: Cluster;
    const { k, ok, fails } = kubectlOn(() => kin, { minor });

    before(async () => {
      kin = await startKin({ storage: minor === 32 ? 'sqlite' : 'memory' });
    });
    after(async () => {
      await cleanup(kin);
    });

    test('version reports a server kubectl accepts', async () => {
      const out = await ok(['version', '-o', 'json']);
      const v = JSON.parse(out) as { serverVersion: { major: string; minor: string } };
      assert.equal(v.serverVersion.major, '1');
      assert.ok(Number(v.serverVersion.minor) >= 32);
    });

    test('get ns shows the four system namespaces', async () => {
      const out = await ok(['get', 'ns']);
      for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(out, new RegExp(`^${ns}\\s+Active`, 'm'));
      assert.match(out, /^NAME\s+STATUS\s+AGE/m);
    });

    test('api-resources lists built-in kinds with short names', async () => {
      const out = await ok(['api-resources']);
      assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod/m);
      assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/m);
      assert.match(out, /^clusterroles\s+rbac.authorization.k8s.io\/v1\s+false\s+ClusterRole/m);
    });

    test('create -f, get in every output format, label, annotate, delete', async () => {
      const dir = kin.dataDir;
      const file = join(dir, `cm-${minor}.yaml`);
      await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    app: web\ndata:\n  a: "1"\n  b: two\n');
      assert.match(await ok(['create', '-f', file]), /configmap\/settings created/);
      assert.match(await fails(['create', '-f', file]), /AlreadyExists.*configmaps "settings" already exists/);
      assert.match(await ok(['get', 'cm', 'settings']), /^settings\s+2\s+\d+s/m);
      const y = await ok(['get', 'cm', 'settings', '-o', 'yaml']);
      assert.match(y, /uid: [0-9a-f-]{36}/);
      assert.match(y, /resourceVersion: "\d+"/);
      assert.match(y, /creationTimestamp: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
      const j = JSON.parse(await ok(['get', 'cm', 'settings', '-o', 'json'])) as { data: Record<string, string> };
      assert.deepEqual(j.data, { a: '1', b: 'two' });
      assert.equal(await ok(['get', 'cm', '-o', 'jsonpath={.items[*].metadata.name}', '-l', 'app=web']), 'settings');
      assert.equal((await ok(['get', 'cm', '-o', 'name', '--field-selector', 'metadata.name=settings'])).trim(), 'configmap/settings');
      assert.equal((await ok(['get', 'cm', '-l', 'app!=web', '-o', 'name'])).includes('settings'), false);
      assert.match(await ok(['label', 'cm', 'settings', 'tier=backend']), /labeled/);
      assert.match(await ok(['get', 'cm', '-l', 'tier in (backend,frontend)', '--show-labels']), /settings.*tier=backend/);
      assert.match(await ok(['annotate', 'cm', 'settings', 'note=hello']), /annotated/);
      assert.match(await ok(['get', 'cm', 'settings', '-o', 'jsonpath={.metadata.annotations.note}']), /hello/);
      assert.match(await ok(['delete', 'cm', 'settings']), /configmap "settings" deleted/);
      assert.match(await fails(['get', 'cm', 'settings']), /NotFound.*configmaps "settings" not found/);
    });

    test('generators send protobuf bodies and get real objects back', async () => {
      assert.match(await ok(['create', 'namespace', `gen-${minor}`]), /namespace\/gen-\d+ created/);
      const ns = `gen-${minor}`;
      assert.match(await ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80']), /created/);
      assert.match(await ok(['-n', ns, 'create', 'configmap', 'cfg', '--from-literal=k=v']), /created/);
      assert.match(await ok(['-n', ns, 'create', 'secret', 'generic', 'sec', '--from-literal=password=s3cret']), /created/);
      assert.match(await ok(['-n', ns, 'create', 'service', 'clusterip', 'web', '--tcp=80:8080']), /created/);
      assert.match(await ok(['-n', ns, 'create', 'serviceaccount', 'robot']), /created/);
      assert.match(await ok(['-n', ns, 'create', 'job', 'once', '--image=busybox']), /created/);
      assert.match(await ok(['-n', ns, 'create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *']), /created/);
      assert.match(await ok(['-n', ns, 'create', 'role', 'reader', '--verb=get,list', '--resource=pods']), /created/);
      assert.match(await ok(['-n', ns, 'create', 'rolebinding', 'reader', '--role=reader', '--user=alice']), /created/);
      const d = JSON.parse(await ok(['-n', ns, 'get', 'deploy', 'web', '-o', 'json'])) as {
        spec: { replicas: number; strategy: { type: string }; template: { spec: { containers: { image: string; imagePullPolicy: string }[]; restartPolicy: string } } };
      };
      assert.equal(d.spec.replicas, 2);
      assert.equal(d.spec.strategy.type, 'RollingUpdate');
      assert.equal(d.spec.template.spec.containers[0]!.image, 'nginx:1.27');
      assert.equal(d.spec.template.spec.containers[0]!.imagePullPolicy, 'IfNotPresent');
      assert.equal(d.spec.template.spec.restartPolicy, 'Always');
      const s = JSON.parse(await ok(['-n', ns, 'get', 'secret', 'sec', '-o', 'json'])) as { data: { password: string }; type: string };
      assert.equal(Buffer.from(s.data.password, 'base64').toString(), 's3cret');
      assert.equal(s.type, 'Opaque');
      assert.match(await ok(['auth', 'can-i', 'create', 'pods']), /yes/);
    });

    test('apply creates, re-applies unchanged, configures and prunes a removed field', async () => {
      const file = join(kin.dataDir, `app-${minor}.yaml`);
      const deploy = (replicas: number, extraLabel: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api${extraLabel ? '\n    extra: "yes"' : ''}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: nginx:1.27
`;
      await writeFile(file, deploy(1, true));
      assert.match(await ok(['apply', '-f', file]), /deployment.apps\/api created/);
      assert.match(await ok(['apply', '-f', file]), /deployment.apps\/api unchanged/);
      await writeFile(file, deploy(3, false));
      assert.match(await ok(['apply', '-f', file]), /deployment.apps\/api configured/);
      const d = JSON.parse(await ok(['get', 'deploy', 'api', '-o', 'json'])) as { spec: { replicas: number }; metadata: { labels: Record<string, string>; generation: number } };
      assert.equal(d.spec.replicas, 3);
      assert.equal(d.metadata.labels['extra'], undefined);
      assert.equal(d.metadata.generation, 2);
    });

    test('errors: invalid objects, unknown fields, malformed input', async () => {
      const bad = join(kin.dataDir, `bad-${minor}.yaml`);
      await writeFile(bad, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Invalid_Name\nspec:\n  containers: []\n');
      const e1 = await fails(['create', '-f', bad]);
      assert.match(e1, /is invalid/);
      assert.match(e1, /metadata.name: Invalid value: "Invalid_Name"/);
      await writeFile(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nbogus: 1\n');
      assert.match(await fails(['create', '-f', bad]), /strict decoding error: unknown field "bogus"/);
      await writeFile(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [1, 2]\n');
      assert.match(await fails(['create', '-f', bad, '--validate=false']), /cannot unmarshal array into Go struct field ConfigMap.data of type map\[string\]string/);
      assert.match(await fails(['get', 'pods', '--field-selector', 'spec.bogus=1']), /field label not supported|not a known field selector/);
      assert.match(await fails(['get', 'pods', '-l', 'a in (']), /unable to parse requirement|found/);
      // the server still serves afterwards
      await ok(['get', 'ns', 'default']);
    });

    test('get -w streams a change, wait --for=delete returns when it is gone', async () => {
      await ok(['create', 'configmap', `watched-${minor}`, '--from-literal=a=b']);
      const watcher = k(['get', 'cm', `watched-${minor}`, '-w', '--request-timeout=8s', '-o', 'name']);
      await new Promise((r) => setTimeout(r, 1500));
      await ok(['label', 'cm', `watched-${minor}`, 'x=y']);
      const waiter = k(['wait', '--for=delete', `cm/watched-${minor}`, '--timeout=20s']);
      await new Promise((r) => setTimeout(r, 1000));
      await ok(['delete', 'cm', `watched-${minor}`, '--wait=false']);
      const w = await waiter;
      assert.equal(w.code, 0, w.stderr);
      const r = await watcher;
      assert.match(r.stdout, new RegExp(`configmap/watched-${minor}`));
    });

    test('explain reads descriptions from OpenAPI v3', async () => {
      const out = await ok(['explain', 'deployment.spec.replicas']);
      assert.match(out, /Number of desired pods/);
      const pods = await ok(['explain', 'pods.spec.containers']);
      assert.match(pods, /image\s+<string>/);
    });

    test('describe shows a deployment and a namespace', async () => {
      const out = await ok(['describe', 'deploy', 'api']);
      assert.match(out, /Name:\s+api/);
      assert.match(out, /Replicas:\s+3 desired/);
      assert.match(await ok(['describe', 'ns', 'default']), /Status:\s+Active/);
    });

    test('chunked lists and all-namespaces listing', async () => {
      for (let i = 0; i < 7; i++) await ok(['create', 'configmap', `chunk-${minor}-${i}`]);
      const out = await ok(['get', 'cm', '--chunk-size=2', '-o', 'name']);
      for (let i = 0; i < 7; i++) assert.match(out, new RegExp(`configmap/chunk-${minor}-${i}`));
      assert.match(await ok(['get', 'cm', '-A']), /^NAMESPACE\s+NAME\s+DATA\s+AGE/m);
      assert.match(await ok(['get', 'deploy', '-o', 'wide']), /CONTAINERS\s+IMAGES\s+SELECTOR/);
    });
  });
}
