// A long kubectl session against one `kin up` (sqlite): every built-in kind through create, get in every output
// format, describe, label, annotate, replace, replace --force, delete and wait; then events, waits, watches, chunked
// lists, access reviews and bulk deletes, as a user would work. Run once with kubectl 1.32 and once with 1.33.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { apiRequest, cleanup, startKin, type Cluster, type KubectlResult, kubectlOn } from './harness.js';
import { kindCases, type KindCase } from './session-manifests.js';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid: string; resourceVersion: string; creationTimestamp: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** Kinds that cannot be served yet, with the reason (the test still runs and reports as TODO). */
const blocked: Record<string, string> = {};

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const line = (s: string) => new RegExp(`^${esc(s)}$`, 'm');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let kin: Cluster;
before(async () => {
  kin = await startKin({ storage: 'sqlite' });
});
after(async () => {
  if (kin) await cleanup(kin);
});

for (const minor of [32, 33] as const) {
  describe(`a kubectl 1.${minor} session`, { concurrency: false }, () => {
    const ns = `sess-${minor}`;
    let dir = '';
    const { k, ok, fails } = kubectlOn(() => kin, { minor });

    before(async () => {
      dir = join(kin.dataDir, `session-${minor}`);
      await mkdir(dir, { recursive: true });
      assert.match(await ok(['create', 'namespace', ns]), line(`namespace/${ns} created`));
    });

    test('cluster-info, identity, access reviews, discovery and health endpoints', async () => {
      assert.match(await ok(['cluster-info']), new RegExp(`Kubernetes control plane is running at https://127\\.0\\.0\\.1:${kin.port}`));
      assert.equal(await ok(['auth', 'can-i', 'create', 'pods']), 'yes\n');
      assert.equal(await ok(['auth', 'can-i', 'delete', 'nodes', '--all-namespaces']), 'yes\n');
      const list = await ok(['auth', 'can-i', '--list', '-n', ns]);
      assert.match(list, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
      assert.match(list, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
      const who = await ok(['auth', 'whoami']);
      assert.match(who, /^ATTRIBUTE\s+VALUE$/m);
      assert.match(who, /^Username\s+kubernetes-admin$/m);
      assert.match(who, /^Groups\s+\[.*system:authenticated\]$/m);
      const versions = (await ok(['api-versions'])).trim().split('\n');
      for (const gv of ['v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'discovery.k8s.io/v1', 'coordination.k8s.io/v1', 'events.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'storage.k8s.io/v1', 'policy/v1', 'scheduling.k8s.io/v1', 'admissionregistration.k8s.io/v1']) {
        assert.ok(versions.includes(gv), `api-versions lacks ${gv}`);
      }
      assert.deepEqual(versions, [...versions].sort(), 'api-versions prints sorted group versions');
      const res = await ok(['api-resources', '-o', 'wide']);
      assert.match(res, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\s+VERBS\s+CATEGORIES$/m);
      assert.match(res, /^pods\s+po\s+v1\s+true\s+Pod\s+create,delete,deletecollection,get,list,patch,update,watch\s+all$/m);
      // As kube-apiserver 1.32: namespaces and services are served without deletecollection.
      assert.match(res, /^namespaces\s+ns\s+v1\s+false\s+Namespace\s+create,delete,get,list,patch,update,watch\s*$/m);
      assert.match(res, /^services\s+svc\s+v1\s+true\s+Service\s+create,delete,get,list,patch,update,watch\s+all$/m);
      assert.match(res, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment\s+\S+\s+all$/m);
      assert.match(res, /^selfsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+false\s+SelfSubjectAccessReview\s+create\s*$/m);
      assert.match(res, /^validatingadmissionpolicies\s+admissionregistration\.k8s\.io\/v1\s+false\s+ValidatingAdmissionPolicy\s+\S+\s+api-extensions$/m);
      assert.equal(await ok(['get', '--raw', '/healthz']), 'ok');
      const livez = await ok(['get', '--raw', '/livez?verbose']);
      assert.match(livez, /^\[\+\]ping ok$/m);
      assert.match(livez, /^livez check passed$/m);
      const v = JSON.parse(await ok(['get', '--raw', '/version'])) as { major: string; minor: string; gitVersion: string };
      assert.equal(v.major, '1');
      assert.match(v.gitVersion, new RegExp(`^v1\\.${v.minor}\\.\\d+`));
    });

    describe('every built-in kind, one object each', { concurrency: 3 }, () => {
      const cases = kindCases(minor, ns);
      let created = '';
      let tables = '';
      before(async () => {
        // the whole set at once, as a directory of manifests, then one `kubectl get` over every kind
        const manifests = join(dir, 'manifests');
        await mkdir(manifests, { recursive: true });
        for (const c of cases) await writeFile(join(manifests, `${c.printed}-${c.name}.yaml`), c.yaml(1));
        created = (await k(['create', '-f', manifests])).stdout;
        const list = (namespaced: boolean) => [...new Set(cases.filter((c) => c.namespaced === namespaced).map((c) => c.resource))].join(',');
        tables = (await ok(['-n', ns, 'get', list(true), '-l', 'app=web'])) + '\n' + (await ok(['get', list(false), '-l', 'app=web']));
      });
      for (const c of cases) {
        const todo = blocked[c.kind];
        test(`${c.kind}: create, get in every format, describe, label, annotate, replace, replace --force, delete, wait`, todo ? { todo } : {}, async () => {
          assert.match(created, line(`${c.printed}/${c.name} created`));
          // `kubectl get a,b,c` prints one table per kind, names as kind/name: find this kind's table
          const blocks = tables.split('\n\n');
          // a kind the controllers act on is listed with whatever progress they made so far; its row is checked once settled
          const mine = c.settle ? new RegExp(`^${esc(c.printed)}/${esc(c.name)}\\s`, 'm') : c.row ? new RegExp(c.row.source.replace(/^\^/, `^${esc(c.printed)}/`), 'm') : undefined;
          const block = blocks.find((b) => c.header.test(b) && (!mine || mine.test(b)));
          assert.ok(block, `no table of ${c.resource} in:\n${tables}`);
          await kindSession(c);
        });
      }
    });

    /** One object's life with the commands a user types (about a dozen kubectl runs, to keep the session short). */
    async function kindSession(c: KindCase): Promise<void> {
      const n = c.namespaced ? ['-n', ns] : [];
      const manifest = parseYaml(c.yaml(1)) as { apiVersion: string; kind: string };
      const file = join(dir, `${c.printed}-${c.name}.yaml`);

      if (c.settle) {
        await ok([...n, ...c.settle]);
        const settled = await ok([...n, 'get', c.resource, c.name]);
        assert.match(settled, c.header, `get ${c.resource}:\n${settled}`);
        if (c.row) assert.match(settled, c.row, `get ${c.resource}:\n${settled}`);
      }

      // wide columns, sorted, with labels
      const withLabels = (re: RegExp) => new RegExp(re.source.replace(/\$$/, '\\s+LABELS$'), 'm');
      const table = await ok([...n, 'get', c.resource, '-l', 'app=web', '--sort-by=.metadata.name', '-o', 'wide', '--show-labels']);
      assert.match(table, withLabels(c.wideHeader ?? c.header), `get -o wide ${c.resource}:\n${table}`);
      const labelled = c.row ? new RegExp(`^${esc(c.name)}\\s.*\\sapp=web,(.*,)?rev=1$`, 'm') : /\sapp=web,(.*,)?rev=1$/m;
      assert.match(table, labelled, `get -o wide ${c.resource}:\n${table}`);

      const y = parseYaml(await ok([...n, 'get', c.resource, c.name, '-o', 'yaml'])) as Obj;
      assert.equal(y.apiVersion, manifest.apiVersion);
      assert.equal(y.kind, manifest.kind);
      assert.equal(y.metadata.name, c.name);
      assert.match(y.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.match(y.metadata.resourceVersion, /^\d+$/);
      assert.match(y.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal('managedFields' in y.metadata, false, '-o yaml hides managedFields');

      const d = await k([...n, 'describe', c.resource, c.name]);
      assert.equal(d.code, 0, `describe ${c.resource} failed:\n${d.stderr}`);
      assert.equal(d.stderr, '', `describe ${c.resource} complained:\n${d.stderr}`);
      assert.match(d.stdout, new RegExp(`^Name:\\s+${esc(c.name)}$`, 'm'));
      for (const want of c.describe) assert.match(d.stdout, want, `describe ${c.resource}:\n${d.stdout}`);

      assert.match(await ok([...n, 'label', c.resource, c.name, 'tier=backend']), line(`${c.printed}/${c.name} labeled`));
      assert.match(await ok([...n, 'annotate', c.resource, c.name, 'example.com/owner=team-a']), line(`${c.printed}/${c.name} annotated`));
      const j = JSON.parse(await ok([...n, 'get', c.resource, c.name, '-o', 'json'])) as Obj;
      assert.equal(j.metadata.uid, y.metadata.uid);
      assert.equal(j.metadata.labels?.['tier'], 'backend');
      assert.equal(j.metadata.annotations?.['example.com/owner'], 'team-a');
      assert.ok(Number(j.metadata.resourceVersion) > Number(y.metadata.resourceVersion));

      // replace -f with what `get -o json` returned (resourceVersion included): an edit without an editor
      j.metadata.labels = { ...j.metadata.labels, rev: '2' };
      const edited = join(dir, `${c.printed}-${c.name}.json`);
      await writeFile(edited, JSON.stringify(j));
      assert.match(await ok(['replace', '-f', edited]), line(`${c.printed}/${c.name} replaced`));
      const cols = await ok([...n, 'get', c.resource, '-l', 'app=web,rev=2', '-o', 'custom-columns=NAME:.metadata.name,REV:.metadata.labels.rev,UID:.metadata.uid,OWNER:.metadata.annotations.example\\.com/owner']);
      assert.match(cols, /^NAME\s+REV\s+UID\s+OWNER$/m);
      assert.match(cols, new RegExp(`^${esc(c.name)}\\s+2\\s+${j.metadata.uid}\\s+team-a$`, 'm'));
      if (c.kind === 'ConfigMap' || c.kind === 'Deployment') {
        // the copy now carries a stale resourceVersion
        assert.match(await fails(['replace', '-f', edited]), /Operation cannot be fulfilled on .*: the object has been modified; please apply your changes to the latest version and try again/);
      }

      await writeFile(file, c.yaml(3));
      const forced = await ok(['replace', '--force', '-f', file]);
      assert.match(forced, line(`${c.printed} "${c.name}" deleted`));
      assert.match(forced, line(`${c.printed}/${c.name} replaced`));
      const [rev, uid, tier] = (await ok([...n, 'get', c.resource, c.name, '-o', 'jsonpath={.metadata.labels.rev} {.metadata.uid} {.metadata.labels.tier}'])).split(' ');
      assert.equal(rev, '3');
      assert.notEqual(uid, j.metadata.uid, 'replace --force makes a new object');
      assert.equal(tier, '');

      const waiter = k([...n, 'wait', '--for=delete', `${c.resource}/${c.name}`, '--timeout=30s']);
      await pause(300);
      assert.match(await ok([...n, 'delete', c.resource, c.name]), line(`${c.printed} "${c.name}" deleted`));
      const w = await waiter;
      assert.equal(w.code, 0, `wait --for=delete: ${w.stderr}`);
    }

    test('kubectl events, describe and get events show events about a pod', async () => {
      await writeFile(join(dir, 'evpod.yaml'), `apiVersion: v1\nkind: Pod\nmetadata:\n  name: evpod\n  namespace: ${ns}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n`);
      await ok(['create', '-f', join(dir, 'evpod.yaml')]);
      const uid = await ok(['-n', ns, 'get', 'pod', 'evpod', '-o', 'jsonpath={.metadata.uid}']);
      const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      const event = (name: string, type: string, reason: string, message: string, count: number, first: number, last: number, extra = '') => `apiVersion: v1
kind: Event
metadata:
  name: ${name}
  namespace: ${ns}
involvedObject:
  apiVersion: v1
  kind: Pod
  name: evpod
  namespace: ${ns}
  uid: ${uid}
${extra}reason: ${reason}
message: '${message}'
type: ${type}
count: ${count}
source:
  component: ${type === 'Warning' ? 'default-scheduler' : 'kubelet'}
firstTimestamp: "${ago(first)}"
lastTimestamp: "${ago(last)}"
`;
      const events = [
        event('evpod.1', 'Warning', 'FailedScheduling', '0/0 nodes are available: no nodes available to schedule pods.', 3, 300, 60),
        event('evpod.2', 'Normal', 'Pulling', 'Pulling image "nginx:1.27"', 1, 30, 30, '  fieldPath: spec.containers{app}\n'),
      ].join('---\n');
      assert.match(await ok(['create', '-f', '-'], events), /^event\/evpod\.1 created\nevent\/evpod\.2 created\n$/);

      const forPod = await ok(['-n', ns, 'events', '--for', 'pod/evpod']);
      assert.match(forPod, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m);
      assert.match(forPod, /^\d+s \(x3 over \d+m\d*s?\)\s+Warning\s+FailedScheduling\s+Pod\/evpod\s+0\/0 nodes are available: no nodes available to schedule pods\.$/m);
      assert.match(forPod, /^\d+s\s+Normal\s+Pulling\s+Pod\/evpod\s+Pulling image "nginx:1\.27"$/m);
      assert.ok(forPod.indexOf('FailedScheduling') < forPod.indexOf('Pulling'), 'kubectl events sorts by last seen, oldest first');
      const warnings = await ok(['-n', ns, 'events', '--types=Warning']);
      assert.match(warnings, /FailedScheduling/);
      assert.doesNotMatch(warnings, /Pulling/);

      const described = await ok(['-n', ns, 'describe', 'pod', 'evpod']);
      assert.match(described, /^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n\s+----\s+------\s+----\s+----\s+-------$/m);
      assert.match(described, /^\s+Warning\s+FailedScheduling\s+\d+s \(x3 over \d+m\d*s?\)\s+default-scheduler\s+0\/0 nodes are available/m);
      assert.match(described, /^\s+Normal\s+Pulling\s+\d+s\s+kubelet\s+Pulling image "nginx:1\.27"$/m);

      const got = await ok(['-n', ns, 'get', 'events', '--field-selector', 'involvedObject.name=evpod']);
      assert.match(got, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m);
      assert.match(got, /^\d+s\s+Warning\s+FailedScheduling\s+pod\/evpod\s+0\/0 nodes/m);
      assert.match(got, /^\d+s\s+Normal\s+Pulling\s+pod\/evpod\s+Pulling image/m);
      const wide = await ok(['-n', ns, 'get', 'events', '--field-selector', 'involvedObject.name=evpod,type=Normal', '-o', 'wide']);
      assert.match(wide, /^\d+s\s+Normal\s+Pulling\s+pod\/evpod\s+spec\.containers\{app\}\s+kubelet\s+Pulling image "nginx:1\.27"\s+\d+s\s+1\s+evpod\.2$/m);
      assert.doesNotMatch(wide, /FailedScheduling/);
      assert.match(await ok(['-n', ns, 'get', 'events', '--field-selector', 'involvedObject.name=nobody']), /^$/);
      assert.match(await ok(['get', 'events', '-A', '--field-selector', `involvedObject.uid=${uid},reason=Pulling`, '-o', 'name']), /^event\/evpod\.2$/m);
    });

    test('waiting on a pending pod: a condition times out, a jsonpath matches, field selectors find it', async () => {
      // no node carries this label, so the scheduler leaves the pod Pending (PodScheduled=False, Unschedulable)
      await ok(['create', '-f', '-'], `apiVersion: v1\nkind: Pod\nmetadata:\n  name: stuck\n  namespace: ${ns}\nspec:\n  nodeSelector:\n    disktype: none-such\n  containers:\n  - name: app\n    image: nginx:1.27\n`);
      assert.equal(await ok(['-n', ns, 'wait', '--for=condition=PodScheduled=false', 'pod/stuck', '--timeout=60s']), 'pod/stuck condition met\n');
      assert.equal(await ok(['-n', ns, 'get', 'pod', 'stuck', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}']), 'Unschedulable');
      const t = await k(['-n', ns, 'wait', '--for=condition=Ready', 'pod/stuck', '--timeout=2s']);
      assert.equal(t.code, 1);
      assert.match(t.stderr, /^error: timed out waiting for the condition on pods\/stuck$/m);
      assert.equal(await ok(['-n', ns, 'wait', "--for=jsonpath={.status.phase}=Pending", 'pod/stuck', '--timeout=10s']), 'pod/stuck condition met\n');
      const pending = await ok(['-n', ns, 'get', 'pods', '--field-selector', 'status.phase=Pending,spec.nodeName=']);
      assert.match(pending, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
      assert.match(pending, /^stuck\s+0\/1\s+Pending\s+0\s+\d+s$/m);
      assert.doesNotMatch(pending, /^evpod\s/m);
      // evpod, created by the events test, was scheduled and runs
      await ok(['-n', ns, 'wait', '--for=condition=Ready', 'pod/evpod', '--timeout=60s']);
      const running = await ok(['-n', ns, 'get', 'pods', '--field-selector', 'status.phase=Running,metadata.name=evpod']);
      assert.match(running, /^evpod\s+1\/1\s+Running\s+0\s+\d+s$/m);
      const notRunning = await k(['-n', ns, 'get', 'pods', '--field-selector', 'status.phase=Running,metadata.name=stuck']);
      assert.equal(notRunning.stdout, '');
      assert.equal(notRunning.stderr, `No resources found in ${ns} namespace.\n`);
      // the scheduler says why, as a FailedScheduling event on the pod
      let events = '';
      for (let i = 0; i < 50 && !/FailedScheduling/.test(events); i++) {
        if (i > 0) await pause(200);
        events = await ok(['-n', ns, 'events', '--for', 'pod/stuck']);
      }
      assert.match(events, /^\S+\s+Warning\s+FailedScheduling\s+Pod\/stuck\s+0\/\d+ nodes are available: .*node\(s\) didn't match Pod's node affinity\/selector/m);
    });

    test('create token for a service account (TokenRequest), verified with the served JWKS', async () => {
      await ok(['-n', ns, 'create', 'serviceaccount', 'robot']);
      const token = (await ok(['-n', ns, 'create', 'token', 'robot', '--duration=10m'])).trim();
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      const [h, p, sig] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown> & { exp: number; iat: number; nbf: number };
      const sa = JSON.parse(await ok(['-n', ns, 'get', 'sa', 'robot', '-o', 'json'])) as Obj;
      assert.equal(claims['iss'], 'https://kubernetes.default.svc.cluster.local');
      assert.deepEqual(claims['aud'], ['https://kubernetes.default.svc.cluster.local']);
      assert.equal(claims['sub'], `system:serviceaccount:${ns}:robot`);
      assert.equal(claims.exp - claims.iat, 600);
      assert.equal(claims.nbf, claims.iat);
      assert.deepEqual(claims['kubernetes.io'], { namespace: ns, serviceaccount: { name: 'robot', uid: sa.metadata.uid } });
      const aud = JSON.parse(Buffer.from((await ok(['-n', ns, 'create', 'token', 'robot', '--audience=vault', '--audience=api'])).trim().split('.')[1]!, 'base64url').toString()) as { aud: string[]; exp: number; iat: number };
      assert.deepEqual(aud.aud, ['vault', 'api']);
      assert.equal(aud.exp - aud.iat, 3600);
      // The key that signed it is the one the server publishes.
      const conf = JSON.parse((await apiRequest(kin, 'GET', '/.well-known/openid-configuration')).body) as { jwks_uri: string; issuer: string };
      assert.equal(conf.issuer, 'https://kubernetes.default.svc.cluster.local');
      const jwks = JSON.parse((await apiRequest(kin, 'GET', new URL(conf.jwks_uri).pathname)).body) as { keys: (JsonWebKey & { kid: string })[] };
      const key = jwks.keys.find((k) => k.kid === JSON.parse(Buffer.from(h, 'base64url').toString()).kid);
      assert.ok(key, 'the token names a served key');
      const { createPublicKey, verify } = await import('node:crypto');
      assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey({ key, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url')));
      const short = await k(['-n', ns, 'create', 'token', 'robot', '--duration=5m']);
      assert.notEqual(short.code, 0);
      assert.match(short.stderr, /^error: failed to create token: TokenRequest\.authentication\.k8s\.io "" is invalid: spec\.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes$/m);
      const missing = await k(['-n', ns, 'create', 'token', 'nobody']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /^error: failed to create token: serviceaccounts "nobody" not found$/m);
    });

    test('the default RBAC roles and bindings are there, and view/edit/admin are aggregated', async () => {
      const roles = await ok(['get', 'clusterroles', '-l', 'kubernetes.io/bootstrapping=rbac-defaults', '-o', 'name']);
      for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:node', 'system:kube-scheduler', 'system:kube-controller-manager', 'system:controller:namespace-controller']) {
        assert.match(roles, line(`clusterrole.rbac.authorization.k8s.io/${n}`));
      }
      assert.match(await ok(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide']), /^cluster-admin\s+ClusterRole\/cluster-admin\s+\S+\s+system:masters\s*$/m);
      // The aggregation controller fills view from system:aggregate-to-view, and view reaches edit and admin.
      let described = '';
      for (let i = 0; i < 50 && !/pods\/log/.test(described); i++) {
        if (i > 0) await pause(200);
        described = await ok(['describe', 'clusterrole', 'admin']);
      }
      assert.match(described, /^\s+pods\/log\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
      assert.match(described, /^\s+rolebindings\.rbac\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create delete deletecollection get list patch update watch\]$/m);
    });

    test('get -w --output-watch-events prints the changes as they happen', async () => {
      await ok(['-n', ns, 'create', 'configmap', 'watched', '--from-literal=a=1']);
      const table = k(['-n', ns, 'get', 'configmaps', '-l', 'watch', '-w', '--output-watch-events', '--request-timeout=5s']);
      const json = k(['-n', ns, 'get', 'configmap', 'watched', '-w', '--output-watch-events', '-o', 'json', '--request-timeout=5s']);
      await pause(1500);
      await ok(['-n', ns, 'label', 'configmap', 'watched', 'watch=yes']);
      await ok(['-n', ns, 'create', 'configmap', 'watched-2', '--from-literal=b=2', '--from-literal=c=3']);
      await ok(['-n', ns, 'label', 'configmap', 'watched-2', 'watch=yes']);
      await ok(['-n', ns, 'delete', 'configmap', 'watched-2']);
      const r = await table;
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.match(lines[0] ?? '', /^EVENT\s+NAME\s+DATA\s+AGE$/);
      // with a label selector, an object that gains the label arrives as ADDED
      assert.match(lines[1] ?? '', /^ADDED\s+watched\s+1\s+\d+s$/);
      assert.match(lines[2] ?? '', /^ADDED\s+watched-2\s+2\s+\d+s$/);
      assert.match(lines[3] ?? '', /^DELETED\s+watched-2\s+2\s+\d+s$/);
      assert.equal(lines.length, 4, r.stdout);
      // a JSON watch of one object: its current state, then the label change
      const jr = await json;
      assert.equal(jr.code, 0, jr.stderr);
      const types = [...jr.stdout.matchAll(/"type": ?"(\w+)"/g)].map((m) => m[1]);
      assert.deepEqual(types, ['ADDED', 'MODIFIED']);
      assert.match(jr.stdout, /"watch": ?"yes"/);
    });

    test('chunked lists of 50 objects and listing across namespaces', async () => {
      const many = Array.from({ length: 50 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: chunk-${String(i).padStart(2, '0')}\n  namespace: ${ns}\n  labels:\n    batch: chunk\n    a: ${i % 2 ? 'b' : 'c'}\ndata:\n  i: "${i}"\n`).join('---\n');
      const created = await ok(['create', '-f', '-'], many);
      assert.equal(created.trim().split('\n').length, 50);
      const names = await ok(['-n', ns, 'get', 'configmaps', '-l', 'batch=chunk', '--chunk-size=7', '-o', 'name']);
      assert.deepEqual(names.trim().split('\n'), Array.from({ length: 50 }, (_, i) => `configmap/chunk-${String(i).padStart(2, '0')}`));
      const table = await ok(['-n', ns, 'get', 'configmaps', '-l', 'batch=chunk', '--chunk-size=9']);
      const rows = table.trim().split('\n');
      assert.equal(rows.length, 51, 'one header and 50 rows, the header printed once');
      assert.match(rows[0] ?? '', /^NAME\s+DATA\s+AGE$/);
      const all = await ok(['get', 'configmaps', '-A', '-l', 'batch=chunk', '--chunk-size=10']);
      assert.match(all, /^NAMESPACE\s+NAME\s+DATA\s+AGE$/m);
      assert.equal(all.trim().split('\n').filter((l) => l.startsWith(`${ns} `)).length, 50);
      const json = JSON.parse(await ok(['get', 'configmaps', '-A', '-l', 'batch=chunk', '--chunk-size=6', '-o', 'json'])) as { kind: string; items: Obj[] };
      assert.equal(json.kind, 'List');
      assert.equal(json.items.filter((i) => i.metadata.namespace === ns).length, 50);
      assert.ok(json.items.every((i) => i.kind === 'ConfigMap' && i.apiVersion === 'v1'));
      // the continue token of a chunked list, straight from the API; remainingItemCount only without selectors
      type Page = { metadata: { continue?: string; remainingItemCount?: number }; items: unknown[] };
      const page = JSON.parse((await apiRequest(kin, 'GET', `/api/v1/namespaces/${ns}/configmaps?labelSelector=batch%3Dchunk&limit=20`)).body) as Page;
      assert.equal(page.items.length, 20);
      assert.ok(page.metadata.continue);
      assert.equal(page.metadata.remainingItemCount, undefined);
      const plain = JSON.parse((await apiRequest(kin, 'GET', `/api/v1/namespaces/${ns}/configmaps?limit=20`)).body) as Page;
      assert.ok((plain.metadata.remainingItemCount ?? 0) >= 30, `remainingItemCount ${plain.metadata.remainingItemCount}`);

      const deleted = await ok(['-n', ns, 'delete', 'cm', '-l', 'a=b']);
      assert.equal(deleted.trim().split('\n').length, 25);
      assert.match(deleted, /^configmap "chunk-01" deleted$/m);
      assert.equal((await ok(['-n', ns, 'get', 'cm', '-l', 'batch=chunk', '-o', 'name'])).trim().split('\n').length, 25);
      assert.equal((await k(['-n', ns, 'get', 'cm', '-l', 'a=b'])).stderr, `No resources found in ${ns} namespace.\n`);
    });

    test('get all -A and delete all --all -n', async () => {
      const app = `app-${minor}`;
      await ok(['create', 'namespace', app]);
      await ok(['-n', app, 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
      await ok(['-n', app, 'expose', 'deployment', 'web', '--port=80', '--target-port=8080']);
      await ok(['-n', app, 'run', 'debug', '--image=busybox:1.36', '--restart=Never', '--', 'sleep', '3600']);
      await ok(['-n', app, 'create', 'job', 'once', '--image=busybox:1.36']);
      await ok(['-n', app, 'create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=*/5 * * * *']);
      await ok(['-n', app, 'autoscale', 'deployment', 'web', '--min=2', '--max=4', '--cpu-percent=80']);
      await ok(['-n', app, 'create', 'configmap', 'keep', '--from-literal=k=v']);
      // the controllers make the pods, the scheduler and the simulated node run them
      await ok(['-n', app, 'rollout', 'status', 'deployment/web', '--timeout=60s']);
      await ok(['-n', app, 'wait', '--for=condition=Ready', 'pod/debug', '--timeout=60s']);
      await ok(['-n', app, 'wait', '--for=jsonpath={.status.ready}=1', 'job/once', '--timeout=60s']);
      const all = await ok(['get', 'all', '-A']);
      assert.match(all, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
      assert.match(all, new RegExp(`^${app}\\s+pod/debug\\s+1/1\\s+Running\\s+0\\s+\\d+s$`, 'm'));
      assert.equal(all.match(new RegExp(`^${app}\\s+pod/web-[a-z0-9]+-[a-z0-9]{5}\\s+1/1\\s+Running\\s+0\\s+\\d+s$`, 'gm'))?.length, 2, all);
      assert.match(all, new RegExp(`^${app}\\s+pod/once-[a-z0-9]{5}\\s+1/1\\s+Running\\s+0\\s+\\d+s$`, 'm'));
      assert.match(all, /^NAMESPACE\s+NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/m);
      assert.match(all, new RegExp(`^${app}\\s+replicaset\\.apps/web-[a-z0-9]+\\s+2\\s+2\\s+2\\s+\\d+s$`, 'm'));
      assert.match(all, /^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
      assert.match(all, /^default\s+service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\d+[sm]/m);
      assert.match(all, new RegExp(`^${app}\\s+service/web\\s+ClusterIP\\s+[\\d.]+\\s+<none>\\s+80/TCP\\s+\\d+s$`, 'm'));
      assert.match(all, new RegExp(`^${app}\\s+deployment\\.apps/web\\s+2/2\\s+2\\s+2\\s+\\d+s$`, 'm'));
      assert.match(all, new RegExp(`^${app}\\s+horizontalpodautoscaler\\.autoscaling/web\\s+Deployment/web\\s+cpu: <unknown>/80%\\s+2\\s+4\\s+0\\s+\\d+s$`, 'm'));
      assert.match(all, new RegExp(`^${app}\\s+cronjob\\.batch/tick\\s+\\*/5 \\* \\* \\* \\*\\s+<none>\\s+False\\s+0\\s+<none>\\s+\\d+s$`, 'm'));
      // busybox without a command runs on (the simulated container does not exit): the Job stays Running, with a duration
      assert.match(all, new RegExp(`^${app}\\s+job\\.batch/once\\s+Running\\s+0/1\\s+\\d+s\\s+\\d+s$`, 'm'));
      assert.doesNotMatch(all, /configmap/, 'configmaps are not in category all');

      // subresources: the Scale table, kubectl scale, and the status subresource printed with the Deployment columns
      const scale = await ok(['-n', app, 'get', 'deployment', 'web', '--subresource=scale']);
      assert.match(scale, /^NAME\s+DESIRED\s+AVAILABLE\s+AGE$/m);
      assert.match(scale, /^web\s+2\s+\d+\s+\d+s$/m);
      assert.match(await ok(['-n', app, 'scale', 'deployment', 'web', '--replicas=3']), line('deployment.apps/web scaled'));
      assert.equal(await ok(['-n', app, 'get', 'deployment', 'web', '--subresource=scale', '-o', 'jsonpath={.spec.replicas}']), '3');
      assert.match(await ok(['-n', app, 'get', 'deployment', 'web', '--subresource=status']), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);

      const gone = await ok(['-n', app, 'delete', 'all', '--all']);
      for (const what of ['pod "debug"', 'service "web"', 'deployment.apps "web"', 'horizontalpodautoscaler.autoscaling "web"', 'job.batch "once"', 'cronjob.batch "tick"']) {
        assert.match(gone, line(`${what} deleted`));
      }
      // (pods and replica sets are left out: once controllers run, the garbage collector removes them a little later)
      const left = await k(['-n', app, 'get', 'deployments,services,jobs,cronjobs,horizontalpodautoscalers']);
      assert.equal(left.stdout, '');
      assert.equal(left.stderr, `No resources found in ${app} namespace.\n`);
      assert.match(await ok(['-n', app, 'get', 'cm', 'keep', '-o', 'name']), /configmap\/keep/);
      assert.match(await ok(['delete', 'namespace', app]), line(`namespace "${app}" deleted`));
    });

    test('the session namespace is deleted with what is left in it', async () => {
      assert.match(await ok(['delete', 'namespace', ns, '--timeout=60s']), line(`namespace "${ns}" deleted`));
      assert.match(await fails(['get', 'namespace', ns]), /NotFound/);
    });
  });
}
