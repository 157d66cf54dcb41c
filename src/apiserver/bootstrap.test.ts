import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { builtinStrategies } from '../cmd/strategies.js';
import { call, startTestServer, type TestServer } from './testing-support/client.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ strategies: builtinStrategies() });
});
after(() => s.close());

type Json = Record<string, any>;

test('a new cluster has the system namespaces and the kubernetes Service', async () => {
  const ns = (await call(s.handler, 'GET', '/api/v1/namespaces')).json();
  assert.deepEqual(ns.items.map((n: Json) => n.metadata.name).sort(), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  const svc = (await call(s.handler, 'GET', '/api/v1/namespaces/default/services/kubernetes')).json();
  assert.equal(svc.spec.clusterIP, '10.96.0.1');
});

test('each system namespace has its default ServiceAccount from the start, so a pod can be created at once', async () => {
  const list = (await call(s.handler, 'GET', '/api/v1/serviceaccounts')).json();
  const got = list.items.filter((sa: Json) => sa.metadata.name === 'default').map((sa: Json) => sa.metadata.namespace).sort();
  assert.deepEqual(got, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
});

test('a new cluster has the two system PriorityClasses, as kube-apiserver creates them', async () => {
  const list = (await call(s.handler, 'GET', '/apis/scheduling.k8s.io/v1/priorityclasses')).json();
  const got = list.items.map((pc: Json) => [pc.metadata.name, pc.value, pc.globalDefault ?? false, pc.preemptionPolicy, pc.metadata.generation, pc.description]);
  assert.deepEqual(got, [
    ['system-cluster-critical', 2_000_000_000, false, 'PreemptLowerPriority', 1, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'],
    ['system-node-critical', 2_000_001_000, false, 'PreemptLowerPriority', 1, 'Used for system critical pods that must not be moved from their current node.'],
  ]);
});

test('bootstrapping again (a restart) recreates a deleted system PriorityClass and duplicates nothing', async () => {
  const del = await call(s.handler, 'DELETE', '/apis/scheduling.k8s.io/v1/priorityclasses/system-node-critical');
  assert.equal(del.status, 200, del.text);
  await s.api.bootstrap();
  await s.api.bootstrap();
  const list = (await call(s.handler, 'GET', '/apis/scheduling.k8s.io/v1/priorityclasses')).json();
  assert.deepEqual(list.items.map((pc: Json) => pc.metadata.name), ['system-cluster-critical', 'system-node-critical']);
});

test('a new cluster has the bootstrap ClusterRoles, labelled rbac-defaults and annotated for auto-update', async () => {
  const list = (await call(s.handler, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles')).json();
  const names: string[] = list.items.map((r: Json) => r.metadata.name);
  for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:node', 'system:kube-scheduler', 'system:kube-controller-manager', 'system:controller:namespace-controller', 'system:controller:clusterrole-aggregation-controller']) {
    assert.ok(names.includes(n), `missing ClusterRole ${n}`);
  }
  for (const r of list.items as Json[]) {
    assert.equal(r.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults', r.metadata.name);
    assert.equal(r.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'], 'true', r.metadata.name);
  }
  const admin = list.items.find((r: Json) => r.metadata.name === 'cluster-admin');
  assert.deepEqual(admin.rules, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]);
  const edit = list.items.find((r: Json) => r.metadata.name === 'edit');
  assert.deepEqual(edit.aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }] });
  assert.equal(edit.metadata.labels['rbac.authorization.k8s.io/aggregate-to-admin'], 'true');
});

test('a new cluster binds cluster-admin to system:masters and the controllers to their service accounts', async () => {
  const list = (await call(s.handler, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings')).json();
  const byName = new Map<string, Json>(list.items.map((b: Json) => [b.metadata.name, b]));
  assert.deepEqual(byName.get('cluster-admin')?.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }]);
  assert.deepEqual(byName.get('system:public-info-viewer')?.subjects.map((x: Json) => x.name), ['system:authenticated', 'system:unauthenticated']);
  assert.deepEqual(byName.get('system:controller:namespace-controller')?.subjects, [{ kind: 'ServiceAccount', name: 'namespace-controller', namespace: 'kube-system' }]);
  assert.deepEqual(byName.get('system:controller:namespace-controller')?.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:controller:namespace-controller' });
  assert.equal(byName.get('system:node')?.subjects, undefined);
});

test('a restart recreates the missing RBAC defaults and gives a changed one back what it lost, keeping its own', async () => {
  const path = '/apis/rbac.authorization.k8s.io/v1/clusterroles';
  assert.equal((await call(s.handler, 'DELETE', `${path}/system:basic-user`)).status, 200);
  const heapster = (await call(s.handler, 'GET', `${path}/system:heapster`)).json();
  const mine = { apiGroups: ['example.com'], resources: ['gadgets'], verbs: ['get'] };
  const changed = await call(s.handler, 'PUT', `${path}/system:heapster`, { body: { ...heapster, rules: [{ apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }, mine] } });
  assert.equal(changed.status, 200, changed.text);
  const locked = (await call(s.handler, 'GET', `${path}/system:kube-dns`)).json();
  locked.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'] = 'false';
  assert.equal((await call(s.handler, 'PUT', `${path}/system:kube-dns`, { body: { ...locked, rules: [mine] } })).status, 200);
  const before = (await call(s.handler, 'GET', path)).json();
  await s.api.bootstrap();
  const after = (await call(s.handler, 'GET', path)).json();
  assert.equal(after.items.length, before.items.length + 1);
  assert.ok(after.items.some((r: Json) => r.metadata.name === 'system:basic-user'));
  // Kubernetes appends what the role no longer covers, one verb/group/resource per rule, after the user's rules.
  assert.deepEqual((await call(s.handler, 'GET', `${path}/system:heapster`)).json().rules, [
    { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
    mine,
    ...['events', 'namespaces'].flatMap((r) => ['get', 'list', 'watch'].map((v) => ({ apiGroups: [''], resources: [r], verbs: [v] }))),
    ...['get', 'list', 'watch'].map((v) => ({ apiGroups: ['extensions'], resources: ['deployments'], verbs: [v] })),
  ]);
  assert.deepEqual((await call(s.handler, 'GET', `${path}/system:kube-dns`)).json().rules, [mine], 'autoupdate=false is left alone');
  // A binding that lost its subject gets it back.
  const crb = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:discovery';
  const b = (await call(s.handler, 'GET', crb)).json();
  assert.equal((await call(s.handler, 'PUT', crb, { body: { ...b, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }] } })).status, 200);
  await s.api.bootstrap();
  assert.deepEqual((await call(s.handler, 'GET', crb)).json().subjects.map((x: Json) => x.name), ['alice', 'system:authenticated']);
});

test('a new cluster has the bootstrap Roles and RoleBindings of kube-system and kube-public', async () => {
  const roles = (await call(s.handler, 'GET', '/apis/rbac.authorization.k8s.io/v1/roles')).json();
  assert.deepEqual(roles.items.map((r: Json) => `${r.metadata.namespace}/${r.metadata.name}`).sort(), [
    'kube-public/system:controller:bootstrap-signer',
    'kube-system/extension-apiserver-authentication-reader',
    'kube-system/system::leader-locking-kube-controller-manager',
    'kube-system/system::leader-locking-kube-scheduler',
    'kube-system/system:controller:bootstrap-signer',
    'kube-system/system:controller:cloud-provider',
    'kube-system/system:controller:token-cleaner',
  ]);
  const rb = (await call(s.handler, 'GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/rolebindings/system::extension-apiserver-authentication-reader')).json();
  assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' });
  assert.deepEqual(rb.subjects.map((x: Json) => `${x.kind}:${x.name}`), ['User:system:kube-controller-manager', 'User:system:kube-scheduler']);
});

test('what the API server creates itself is managed by kube-apiserver', async () => {
  for (const path of ['/api/v1/namespaces/kube-system', '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:basic-user']) {
    const o = (await call(s.handler, 'GET', path)).json();
    assert.deepEqual(o.metadata.managedFields.map((m: Json) => [m.manager, m.operation]), [['kube-apiserver', 'Update']], path);
  }
});

test('a server assembled without the built-in strategies still bootstraps, without the RBAC defaults', async () => {
  const bare = await startTestServer();
  try {
    assert.equal((await call(bare.handler, 'GET', '/api/v1/namespaces/kube-system')).status, 200);
    assert.deepEqual((await call(bare.handler, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles')).json().items, []);
  } finally {
    await bare.close();
  }
});

test('start() serves without the RBAC defaults; postStart() adds them, and /readyz reports the hook until then', async () => {
  const { assembleApiServer } = await import('./assemble.js');
  const { MemoryBackend, WatchCache } = await import('../storage/index.js');
  const { silentLogger, systemClock } = await import('../util/index.js');
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.start();
  assert.equal((await call(api.handler, 'GET', '/api/v1/namespaces/default')).status, 200);
  assert.equal((await call(api.handler, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin')).status, 404);
  const running = api.postStart();
  assert.equal(api.postStart(), running, 'one run, however often asked');
  await running;
  assert.equal((await call(api.handler, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin')).status, 200);
  const ready = await call(api.handler, 'GET', '/readyz?verbose');
  assert.match(ready.text, /\[\+\]poststarthook\/rbac\/bootstrap-roles ok/);
  await api.stop();
});
