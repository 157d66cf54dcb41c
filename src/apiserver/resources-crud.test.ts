import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { builtinStrategies } from '../cmd/strategies.js';
import { call, startTestServer, watchReader, type TestServer } from './testing-support/client.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ strategies: builtinStrategies() });
});
after(() => s.close());

type Json = Record<string, any>;
const deployments = '/apis/apps/v1/namespaces/default/deployments';
const configmaps = '/api/v1/namespaces/default/configmaps';

function deployment(name: string, extra: { replicas?: number; labels?: Record<string, string> } = {}): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: extra.labels ?? { app: name } },
    spec: {
      replicas: extra.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
    },
  };
}

function configMap(name: string, data: Record<string, string> = { k: 'v' }, labels?: Record<string, string>): Json {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: labels ? { name, labels } : { name }, data };
}

async function create(path: string, body: Json): Promise<Json> {
  const r = await call(s.handler, 'POST', path, { body });
  assert.equal(r.status, 201, r.text);
  return r.json();
}

test('create answers 201 with uid, creationTimestamp, generation 1 and a resourceVersion', async () => {
  const r = await call(s.handler, 'POST', deployments, { body: deployment('web') });
  assert.equal(r.status, 201);
  assert.equal(r.headers['content-type'], 'application/json');
  const d = r.json();
  assert.equal(d['apiVersion'], 'apps/v1');
  assert.equal(d['kind'], 'Deployment');
  assert.equal(d['metadata']['namespace'], 'default');
  assert.match(d['metadata']['uid'], /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(d['metadata']['creationTimestamp'], '2026-01-01T00:00:00Z');
  assert.equal(d['metadata']['generation'], 1);
  assert.match(d['metadata']['resourceVersion'], /^[1-9]\d*$/);
  // Defaults were applied.
  assert.equal(d['spec']['strategy']['type'], 'RollingUpdate');
});

test('generateName picks a name from the prefix and five random characters', async () => {
  const r = await call(s.handler, 'POST', configmaps, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } } });
  assert.equal(r.status, 201);
  const m = r.json()['metadata'];
  assert.match(m['name'], /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(m['generateName'], 'gen-');
  assert.equal((await call(s.handler, 'GET', `${configmaps}/${m['name']}`)).status, 200);
});

test('creating an existing name is 409 AlreadyExists with the resource in the details', async () => {
  await create(deployments, deployment('dup'));
  const r = await call(s.handler, 'POST', deployments, { body: deployment('dup') });
  assert.equal(r.status, 409);
  const st = r.json();
  assert.equal(st['reason'], 'AlreadyExists');
  assert.equal(st['message'], 'deployments.apps "dup" already exists');
  assert.deepEqual(st['details'], { name: 'dup', group: 'apps', kind: 'deployments' });
});

test('get returns the stored object', async () => {
  const created = await create(configmaps, configMap('get-me'));
  const r = await call(s.handler, 'GET', `${configmaps}/get-me`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json(), created);
});

test('get of a missing object is 404 NotFound with Kubernetes wording and details', async () => {
  const cases = [
    { path: `${deployments}/nope`, message: 'deployments.apps "nope" not found', details: { name: 'nope', group: 'apps', kind: 'deployments' } },
    { path: `${configmaps}/nope`, message: 'configmaps "nope" not found', details: { name: 'nope', kind: 'configmaps' } },
  ];
  for (const c of cases) {
    const r = await call(s.handler, 'GET', c.path);
    assert.equal(r.status, 404);
    const st = r.json();
    assert.deepEqual(
      { kind: st['kind'], apiVersion: st['apiVersion'], status: st['status'], reason: st['reason'], code: st['code'] },
      { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 },
    );
    assert.equal(st['message'], c.message);
    assert.deepEqual(st['details'], c.details);
  }
});

test('update with a stale resourceVersion is 409 Conflict', async () => {
  const d = await create(deployments, deployment('stale'));
  const first = structuredClone(d);
  first['spec']['replicas'] = 2;
  assert.equal((await call(s.handler, 'PUT', `${deployments}/stale`, { body: first })).status, 200);
  d['spec']['replicas'] = 3;
  const r = await call(s.handler, 'PUT', `${deployments}/stale`, { body: d });
  assert.equal(r.status, 409);
  const st = r.json();
  assert.equal(st['reason'], 'Conflict');
  assert.equal(st['message'], 'Operation cannot be fulfilled on deployments.apps "stale": the object has been modified; please apply your changes to the latest version and try again');
  assert.deepEqual(st['details'], { name: 'stale', group: 'apps', kind: 'deployments' });
});

test('update without a resourceVersion replaces the object unconditionally', async () => {
  const d = await create(deployments, deployment('uncond'));
  const body = deployment('uncond', { replicas: 4 });
  const r = await call(s.handler, 'PUT', `${deployments}/uncond`, { body });
  assert.equal(r.status, 200);
  const u = r.json();
  assert.equal(u['spec']['replicas'], 4);
  assert.equal(u['metadata']['uid'], d['metadata']['uid']);
  assert.equal(u['metadata']['creationTimestamp'], d['metadata']['creationTimestamp']);
  assert.ok(Number(u['metadata']['resourceVersion']) > Number(d['metadata']['resourceVersion']));
});

test('generation goes up on a spec change and stays on a label change', async () => {
  const d = await create(deployments, deployment('gen'));
  d['metadata']['labels'] = { app: 'gen', extra: 'yes' };
  const labelled = (await call(s.handler, 'PUT', `${deployments}/gen`, { body: d })).json();
  assert.equal(labelled['metadata']['generation'], 1);
  assert.equal(labelled['metadata']['labels']['extra'], 'yes');
  labelled['spec']['replicas'] = 5;
  const scaled = (await call(s.handler, 'PUT', `${deployments}/gen`, { body: labelled })).json();
  assert.equal(scaled['metadata']['generation'], 2);
});

test('an update that changes nothing keeps the resourceVersion', async () => {
  const d = await create(deployments, deployment('noop'));
  const r = await call(s.handler, 'PUT', `${deployments}/noop`, { body: d });
  assert.equal(r.status, 200);
  assert.equal(r.json()['metadata']['resourceVersion'], d['metadata']['resourceVersion']);
  assert.equal(r.json()['metadata']['generation'], 1);
});

test('a status update changes status only and keeps the spec and generation', async () => {
  const d = await create(deployments, deployment('st'));
  d['spec']['replicas'] = 9;
  d['status'] = { replicas: 1, observedGeneration: 1 };
  const r = await call(s.handler, 'PUT', `${deployments}/st/status`, { body: d });
  assert.equal(r.status, 200, r.text);
  const u = r.json();
  assert.equal(u['spec']['replicas'], 1);
  assert.equal(u['status']['replicas'], 1);
  assert.equal(u['metadata']['generation'], 1);
  const got = (await call(s.handler, 'GET', `${deployments}/st/status`)).json();
  assert.deepEqual(got, u);
});

test('a main-resource update keeps the status', async () => {
  const d = await create(deployments, deployment('keep'));
  d['status'] = { replicas: 2 };
  const withStatus = (await call(s.handler, 'PUT', `${deployments}/keep/status`, { body: d })).json();
  withStatus['status'] = { replicas: 7 };
  withStatus['spec']['replicas'] = 2;
  const u = (await call(s.handler, 'PUT', `${deployments}/keep`, { body: withStatus })).json();
  assert.equal(u['spec']['replicas'], 2);
  assert.deepEqual(u['status'], { replicas: 2 });
});

test('delete answers a Success Status for most resources', async () => {
  const cm = await create(configmaps, configMap('del'));
  const r = await call(s.handler, 'DELETE', `${configmaps}/del`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: 'del', kind: 'configmaps', uid: cm['metadata']['uid'] },
  });
  assert.equal((await call(s.handler, 'GET', `${configmaps}/del`)).status, 404);
  const d = await create(deployments, deployment('del'));
  const rd = (await call(s.handler, 'DELETE', `${deployments}/del`)).json();
  assert.deepEqual(rd['details'], { name: 'del', group: 'apps', kind: 'deployments', uid: d['metadata']['uid'] });
});

test('delete of a Pod answers the deleted object', async () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p-del' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  await create('/api/v1/namespaces/default/pods', pod);
  const r = await call(s.handler, 'DELETE', '/api/v1/namespaces/default/pods/p-del');
  assert.equal(r.status, 200);
  assert.equal(r.json()['kind'], 'Pod');
  assert.equal(r.json()['metadata']['name'], 'p-del');
});

test('delete of an object held by a finalizer answers 200 with the object marked for deletion', async () => {
  const cm = configMap('held');
  cm['metadata']['finalizers'] = ['example.com/hold'];
  await create(configmaps, cm);
  const r = await call(s.handler, 'DELETE', `${configmaps}/held`, { body: { propagationPolicy: 'Background' } });
  assert.equal(r.status, 200);
  const o = r.json();
  assert.equal(o['kind'], 'ConfigMap');
  assert.ok(o['metadata']['deletionTimestamp']);
  assert.equal(o['metadata']['deletionGracePeriodSeconds'], 0);
  // 202 only when the client asked for orphanDependents=false, as kube-apiserver does.
  const again = await call(s.handler, 'DELETE', `${configmaps}/held`, { query: { orphanDependents: 'false' } });
  assert.equal(again.status, 202);
  // Removing the finalizer lets it go.
  o['metadata']['finalizers'] = [];
  assert.equal((await call(s.handler, 'PUT', `${configmaps}/held`, { body: o })).status, 200);
  assert.equal((await call(s.handler, 'GET', `${configmaps}/held`)).status, 404);
});

test('delete with a resourceVersion precondition that does not match is 409', async () => {
  await create(configmaps, configMap('pre'));
  const r = await call(s.handler, 'DELETE', `${configmaps}/pre`, { body: { preconditions: { resourceVersion: '1' } } });
  assert.equal(r.status, 409);
  assert.match(r.json()['message'], /^Operation cannot be fulfilled on configmaps "pre": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: \d+$/);
});

test('deletecollection deletes only what the label selector picks', async () => {
  const ns = '/api/v1/namespaces';
  await create(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dc' } });
  const path = '/api/v1/namespaces/dc/configmaps';
  await create(path, configMap('a', {}, { tier: 'x' }));
  await create(path, configMap('b', {}, { tier: 'x' }));
  await create(path, configMap('c', {}, { tier: 'y' }));
  const r = await call(s.handler, 'DELETE', path, { query: { labelSelector: 'tier=x' } });
  assert.equal(r.status, 200);
  const list = r.json();
  assert.equal(list['kind'], 'ConfigMapList');
  assert.deepEqual(list['items'].map((i: Json) => i['metadata']['name']).sort(), ['a', 'b']);
  const left = (await call(s.handler, 'GET', path)).json();
  assert.deepEqual(left['items'].map((i: Json) => i['metadata']['name']), ['c']);
});

test('a body namespace that differs from the URL is 400', async () => {
  const cm = configMap('elsewhere');
  cm['metadata']['namespace'] = 'kube-system';
  const r = await call(s.handler, 'POST', configmaps, { body: cm });
  assert.equal(r.status, 400);
  assert.equal(r.json()['message'], 'the namespace of the provided object does not match the namespace sent on the request');
  const same = configMap('here');
  same['metadata']['namespace'] = 'default';
  assert.equal((await call(s.handler, 'POST', configmaps, { body: same })).status, 201);
});

test('creating in a namespace that does not exist is 404 for the namespace', async () => {
  const r = await call(s.handler, 'POST', '/api/v1/namespaces/missing/configmaps', { body: configMap('x') });
  assert.equal(r.status, 404);
  const st = r.json();
  assert.equal(st['message'], 'namespaces "missing" not found');
  assert.deepEqual(st['details'], { name: 'missing', kind: 'namespaces' });
});

test('dryRun=All answers like a create but stores nothing and emits no watch event', async () => {
  const list = (await call(s.handler, 'GET', configmaps)).json();
  const w = await call(s.handler, 'GET', configmaps, { query: { watch: 'true', resourceVersion: list['metadata']['resourceVersion'] } });
  const reader = watchReader(w);
  const dry = await call(s.handler, 'POST', configmaps, { body: configMap('dry'), query: { dryRun: 'All' } });
  assert.equal(dry.status, 201);
  assert.equal(dry.json()['metadata']['name'], 'dry');
  assert.ok(dry.json()['metadata']['uid']);
  assert.equal(dry.json()['metadata']['resourceVersion'], undefined);
  assert.equal((await call(s.handler, 'GET', `${configmaps}/dry`)).status, 404);
  // The dry run of an update and a delete change nothing either.
  await create(configmaps, configMap('wet'));
  const upd = await call(s.handler, 'PUT', `${configmaps}/wet`, { body: configMap('wet', { k: 'changed' }), query: { dryRun: 'All' } });
  assert.equal(upd.status, 200);
  assert.equal(upd.json()['data']['k'], 'changed');
  assert.equal((await call(s.handler, 'DELETE', `${configmaps}/wet`, { body: { dryRun: ['All'] } })).status, 200);
  assert.equal((await call(s.handler, 'GET', `${configmaps}/wet`)).json()['data']['k'], 'v');
  const [e] = await reader.take(1);
  assert.equal(e!.type, 'ADDED');
  assert.equal(e!.object['metadata']['name'], 'wet');
  await reader.close();
});

test('an unsupported dryRun value is 422 CreateOptions', async () => {
  const r = await call(s.handler, 'POST', configmaps, { body: configMap('dr'), query: { dryRun: 'Some' } });
  assert.equal(r.status, 422);
  assert.equal(r.json()['message'], 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"');
});

test('fieldValidation decides what an unknown field does', async () => {
  const body = (name: string) => ({ ...configMap(name), x: 1 });
  const strict = await call(s.handler, 'POST', configmaps, { body: body('fv-strict'), query: { fieldValidation: 'Strict' } });
  assert.equal(strict.status, 400);
  assert.equal(strict.json()['message'], 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "x"');
  assert.equal((await call(s.handler, 'GET', `${configmaps}/fv-strict`)).status, 404);

  const warn = await call(s.handler, 'POST', configmaps, { body: body('fv-warn'), query: { fieldValidation: 'Warn' } });
  assert.equal(warn.status, 201);
  assert.deepEqual(warn.headers['warning'], ['299 - "unknown field \\"x\\""']);
  assert.equal(warn.json()['x'], undefined);

  const byDefault = await call(s.handler, 'POST', configmaps, { body: body('fv-default') });
  assert.deepEqual(byDefault.headers['warning'], ['299 - "unknown field \\"x\\""']);

  const ignore = await call(s.handler, 'POST', configmaps, { body: body('fv-ignore'), query: { fieldValidation: 'Ignore' } });
  assert.equal(ignore.status, 201);
  assert.equal(ignore.headers['warning'], undefined);
  assert.equal(ignore.json()['x'], undefined);

  const bad = await call(s.handler, 'POST', configmaps, { body: body('fv-bad'), query: { fieldValidation: 'Loud' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.json()['message'], 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"');
});

test('nested unknown fields are named by their path', async () => {
  const d = deployment('nested');
  d['spec']['bogus'] = true;
  const r = await call(s.handler, 'POST', deployments, { body: d, query: { fieldValidation: 'Strict' } });
  assert.equal(r.status, 400);
  assert.equal(r.json()['message'], 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.bogus"');
});

test('a YAML body is accepted', async () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: "1"\n';
  const r = await call(s.handler, 'POST', configmaps, { body: yaml, contentType: 'application/yaml' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json()['data'], { a: '1' });
});

test('a protobuf body as kubectl sends it is accepted', async () => {
  const fixtures = new URL('../machinery/protobuf/fixtures/', import.meta.url);
  const cm = readFileSync(new URL('configmap-literal.bin', fixtures));
  const r = await call(s.handler, 'POST', configmaps, { body: new Uint8Array(cm), contentType: 'application/vnd.kubernetes.protobuf' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json()['metadata']['name'], 'c1');
  assert.deepEqual(r.json()['data'], { a: 'b', empty: '', multi: 'line1' });
  const ns = readFileSync(new URL('namespace.bin', fixtures));
  const rn = await call(s.handler, 'POST', '/api/v1/namespaces', { body: new Uint8Array(ns), contentType: 'application/vnd.kubernetes.protobuf' });
  assert.equal(rn.status, 201, rn.text);
  assert.equal(rn.json()['metadata']['name'], 'demo');
});

test('a body in an unknown format is 415', async () => {
  const r = await call(s.handler, 'POST', configmaps, { body: 'name=x', contentType: 'text/plain' });
  assert.equal(r.status, 415);
  assert.equal(r.json()['reason'], 'UnsupportedMediaType');
});

test('malformed JSON is 400 and stores nothing', async () => {
  const before = (await call(s.handler, 'GET', configmaps)).json()['metadata']['resourceVersion'];
  const r = await call(s.handler, 'POST', configmaps, { body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"broken"}', contentType: 'application/json' });
  assert.equal(r.status, 400);
  assert.equal(r.json()['reason'], 'BadRequest');
  assert.equal(
    r.json()['message'],
    `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input ({"apiVersion":"v1","kind":"Con ...)`,
  );
  assert.equal((await call(s.handler, 'GET', `${configmaps}/broken`)).status, 404);
  assert.equal((await call(s.handler, 'GET', configmaps)).json()['metadata']['resourceVersion'], before);
});

test('invalid objects are 422 with every field error', async () => {
  const d = deployment('Bad_Name');
  d['spec']['replicas'] = -1;
  const r = await call(s.handler, 'POST', deployments, { body: d });
  assert.equal(r.status, 422);
  const st = r.json();
  assert.equal(st['reason'], 'Invalid');
  assert.match(st['message'], /^Deployment\.apps "Bad_Name" is invalid: \[/);
  const fields = st['details']['causes'].map((c: Json) => c['field']);
  assert.ok(fields.includes('metadata.name'));
  assert.ok(fields.includes('spec.replicas'));
});

test('cluster-scoped resources take no namespace in the URL and namespaced ones need it for a name', async () => {
  assert.equal((await call(s.handler, 'GET', '/api/v1/namespaces/default/nodes/n1')).status, 404);
  assert.equal((await call(s.handler, 'GET', '/api/v1/configmaps/x')).status, 404);
  assert.equal((await call(s.handler, 'POST', '/api/v1/configmaps', { body: configMap('x') })).status, 405);
});

test('an unauthenticated request is 401', async () => {
  const r = await call(s.handler, 'GET', configmaps, { user: null });
  assert.equal(r.status, 401);
  assert.equal(r.json()['reason'], 'Unauthorized');
});

test('creating in a terminating namespace is 403 with the NamespaceTerminating cause', async () => {
  await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ending', finalizers: ['example.com/hold'] } });
  const del = await call(s.handler, 'DELETE', '/api/v1/namespaces/ending');
  assert.equal(del.status, 200);
  assert.equal(del.json()['status']['phase'], 'Terminating');
  const r = await call(s.handler, 'POST', '/api/v1/namespaces/ending/configmaps', { body: configMap('late') });
  assert.equal(r.status, 403);
  const st = r.json();
  assert.equal(st['reason'], 'Forbidden');
  assert.equal(st['message'], 'configmaps "late" is forbidden: unable to create new content in namespace ending because it is being terminated');
  assert.deepEqual(st['details'], {
    name: 'late',
    kind: 'configmaps',
    causes: [{ reason: 'NamespaceTerminating', message: 'namespace ending is being terminated', field: 'metadata.namespace' }],
  });
});

test('an update must carry the name of the URL and may not name another namespace', async () => {
  await create(configmaps, configMap('named'));
  const cases: { body: Json; message: string }[] = [
    { body: configMap('other'), message: 'the name of the object (other) does not match the name on the URL (named)' },
    { body: { apiVersion: 'v1', kind: 'ConfigMap', data: {} }, message: 'the name of the object () does not match the name on the URL (named)' },
    {
      body: { ...configMap('named'), metadata: { name: 'named', namespace: 'kube-system' } },
      message: 'the namespace of the object (kube-system) does not match the namespace on the request (default)',
    },
  ];
  for (const c of cases) {
    const r = await call(s.handler, 'PUT', `${configmaps}/named`, { body: c.body });
    assert.equal(r.status, 400);
    assert.equal(r.json()['message'], c.message);
  }
});

test('deletecollection checks its list options like a list', async () => {
  const r = await call(s.handler, 'DELETE', configmaps, { query: { resourceVersionMatch: 'Exact' } });
  assert.equal(r.status, 422);
  assert.equal(r.json()['details']['kind'], 'ListOptions');
});

test('an update with resourceVersion "0" is unconditional', async () => {
  const cm = await create(configmaps, configMap('rv0'));
  cm['metadata']['resourceVersion'] = '0';
  cm['data'] = { k: 'changed' };
  const r = await call(s.handler, 'PUT', `${configmaps}/rv0`, { body: cm });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json()['data']['k'], 'changed');
});

test('deleting a namespace marks it Terminating; it goes once /finalize removes the kubernetes finalizer', async () => {
  // Emptying the namespace is the namespace controller's work (src/controllers/namespace); here the finalize
  // subresource stands in for it.
  await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } });
  await create('/api/v1/namespaces/gone/configmaps', configMap('inside'));
  const del = await call(s.handler, 'DELETE', '/api/v1/namespaces/gone');
  assert.equal(del.status, 200);
  const ns = del.json();
  assert.equal(ns['status']['phase'], 'Terminating');
  assert.ok(ns['metadata']['deletionTimestamp']);
  const refused = await call(s.handler, 'POST', '/api/v1/namespaces/gone/configmaps', { body: configMap('late') });
  assert.equal(refused.status, 403);
  // a label change on a terminating namespace keeps it (its spec finalizer still holds it)
  const labeled = await call(s.handler, 'PATCH', '/api/v1/namespaces/gone', { body: { metadata: { labels: { a: 'b' } } }, contentType: 'application/merge-patch+json' });
  assert.equal(labeled.status, 200);
  assert.equal((await call(s.handler, 'GET', '/api/v1/namespaces/gone')).status, 200);
  const fin = { ...ns, metadata: { ...ns['metadata'], resourceVersion: undefined }, spec: { finalizers: [] } };
  const put = await call(s.handler, 'PUT', '/api/v1/namespaces/gone/finalize', { body: fin });
  assert.equal(put.status, 200, put.text);
  assert.equal((await call(s.handler, 'GET', '/api/v1/namespaces/gone')).status, 404);
});
