import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { builtinStrategies } from '../cmd/strategies.js';
import { call, startTestServer, type TestServer } from './testing-support/client.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ strategies: builtinStrategies() });
});
after(() => s.close());

const aggregatedV2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
// What kubectl 1.32 sends for /api and /apis.
const kubectlAccept = `${aggregatedV2},application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json`;

type Json = Record<string, any>;

for (const path of ['/api', '/apis']) {
  test(`${path} with the aggregated Accept header answers an APIGroupDiscoveryList with its own Content-Type`, async () => {
    const r = await call(s.handler, 'GET', path, { accept: kubectlAccept });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], aggregatedV2);
    const doc = r.json();
    assert.equal(doc['kind'], 'APIGroupDiscoveryList');
    assert.equal(doc['apiVersion'], 'apidiscovery.k8s.io/v2');
    assert.ok(Array.isArray(doc['items']) && doc['items'].length > 0);
    for (const g of doc['items'] as Json[]) assert.equal(g['versions'][0]['freshness'], 'Current');
  });

  test(`${path} without the aggregated Accept header answers legacy discovery as plain JSON`, async () => {
    const r = await call(s.handler, 'GET', path, { accept: 'application/json' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.json()['kind'], path === '/api' ? 'APIVersions' : 'APIGroupList');
  });
}

test('aggregated /api holds only the core group, with pods and their subresources', async () => {
  const doc = (await call(s.handler, 'GET', '/api', { accept: aggregatedV2 })).json();
  assert.deepEqual(doc['items'].map((g: Json) => g['metadata']['name']), ['']);
  const v1 = doc['items'][0]['versions'][0];
  assert.equal(v1['version'], 'v1');
  const pods = v1['resources'].find((r: Json) => r['resource'] === 'pods');
  assert.equal(pods['scope'], 'Namespaced');
  assert.equal(pods['singularResource'], 'pod');
  assert.deepEqual(pods['responseKind'], { group: '', version: 'v1', kind: 'Pod' });
  assert.deepEqual(pods['shortNames'], ['po']);
  assert.ok(pods['subresources'].some((x: Json) => x['subresource'] === 'status'));
});

test('aggregated /apis lists apps without the core group, and autoscaling with v2 before v1', async () => {
  const doc = (await call(s.handler, 'GET', '/apis', { accept: kubectlAccept })).json();
  const names = doc['items'].map((g: Json) => g['metadata']['name']);
  assert.ok(!names.includes(''));
  assert.ok(names.includes('apps'));
  const autoscaling = doc['items'].find((g: Json) => g['metadata']['name'] === 'autoscaling');
  assert.deepEqual(autoscaling['versions'].map((v: Json) => v['version']), ['v2', 'v1']);
});

test('legacy /api reports v1 and the server address', async () => {
  const doc = (await call(s.handler, 'GET', '/api')).json();
  assert.deepEqual(doc, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });
});

test('legacy /apis prefers autoscaling/v2 and lists it before v1', async () => {
  const doc = (await call(s.handler, 'GET', '/apis')).json();
  assert.equal(doc['apiVersion'], 'v1');
  const autoscaling = doc['groups'].find((g: Json) => g['name'] === 'autoscaling');
  assert.deepEqual(autoscaling['versions'], [
    { groupVersion: 'autoscaling/v2', version: 'v2' },
    { groupVersion: 'autoscaling/v1', version: 'v1' },
  ]);
  assert.deepEqual(autoscaling['preferredVersion'], { groupVersion: 'autoscaling/v2', version: 'v2' });
});

test('/api/v1 lists the core resources with subresources as pods/status', async () => {
  const r = await call(s.handler, 'GET', '/api/v1');
  assert.equal(r.status, 200);
  const doc = r.json();
  assert.equal(doc['kind'], 'APIResourceList');
  assert.equal(doc['groupVersion'], 'v1');
  const names = doc['resources'].map((x: Json) => x['name']);
  for (const n of ['pods', 'pods/status', 'namespaces', 'configmaps', 'services', 'events']) assert.ok(names.includes(n), n);
  const ns = doc['resources'].find((x: Json) => x['name'] === 'namespaces');
  assert.equal(ns['namespaced'], false);
  assert.equal(ns['kind'], 'Namespace');
});

test('/apis/apps names the group and its preferred version', async () => {
  const r = await call(s.handler, 'GET', '/apis/apps');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json(), {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: 'apps',
    versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
    preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
  });
});

test('/apis/apps/v1 lists deployments, whose scale subresource is autoscaling/v1 Scale', async () => {
  const doc = (await call(s.handler, 'GET', '/apis/apps/v1')).json();
  assert.equal(doc['groupVersion'], 'apps/v1');
  const d = doc['resources'].find((x: Json) => x['name'] === 'deployments');
  assert.equal(d['kind'], 'Deployment');
  assert.equal(d['singularName'], 'deployment');
  assert.deepEqual(d['shortNames'], ['deploy']);
  assert.deepEqual(d['categories'], ['all']);
  const scale = doc['resources'].find((x: Json) => x['name'] === 'deployments/scale');
  assert.deepEqual([scale['group'], scale['version'], scale['kind']], ['autoscaling', 'v1', 'Scale']);
});

test('unknown groups and versions are 404 with the generic wording', async () => {
  for (const p of ['/apis/nope', '/apis/apps/v9', '/api/v2']) {
    const r = await call(s.handler, 'GET', p);
    assert.equal(r.status, 404, p);
    assert.equal(r.json()['message'], 'the server could not find the requested resource');
  }
});

test('/version reports a Kubernetes version kubectl accepts', async () => {
  const v = (await call(s.handler, 'GET', '/version')).json();
  assert.equal(v['major'], '1');
  assert.match(v['minor'], /^\d+$/);
  assert.match(v['gitVersion'], /^v1\.\d+\.\d+/);
  assert.equal(v['platform'], 'linux/amd64');
});

test('/healthz and /readyz answer ok', async () => {
  for (const p of ['/healthz', '/readyz', '/livez']) {
    const r = await call(s.handler, 'GET', p);
    assert.equal(r.status, 200);
    assert.equal(r.text, 'ok');
  }
});

test('/livez?verbose lists each check and the verdict', async () => {
  const r = await call(s.handler, 'GET', '/livez?verbose');
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'] as string, /^text\/plain/);
  // The post-start hooks are listed in every health endpoint, as kube-apiserver lists them.
  assert.equal(r.text, '[+]ping ok\n[+]log ok\n[+]poststarthook/rbac/bootstrap-roles ok\nlivez check passed\n');
});

test('a single health check can be asked for by name', async () => {
  assert.equal((await call(s.handler, 'GET', '/readyz/ping')).text, 'ok');
  assert.equal((await call(s.handler, 'GET', '/readyz/nope')).status, 404);
});

test('/openapi/v3 lists a document per group-version with a hash', async () => {
  const r = await call(s.handler, 'GET', '/openapi/v3');
  assert.equal(r.status, 200);
  const paths = r.json()['paths'];
  assert.match(paths['api/v1']['serverRelativeURL'], /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
  assert.match(paths['apis/apps/v1']['serverRelativeURL'], /^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
});

test('a per group-version OpenAPI document describes its kinds and is cacheable with its hash', async () => {
  const root = (await call(s.handler, 'GET', '/openapi/v3')).json();
  const url: string = root['paths']['apis/apps/v1']['serverRelativeURL'];
  const r = await call(s.handler, 'GET', url);
  assert.equal(r.status, 200);
  assert.equal(r.headers['cache-control'], 'public, immutable');
  const doc = r.json();
  assert.match(doc['openapi'], /^3\./);
  assert.ok(doc['components']['schemas']['io.k8s.api.apps.v1.Deployment']);
  assert.ok(Object.keys(doc['paths']).some((p) => p.startsWith('/apis/apps/v1/namespaces/{namespace}/deployments')));
  assert.equal((await call(s.handler, 'GET', '/openapi/v3/apis/nope/v1')).status, 404);
});

test('discovery answers only GET', async () => {
  const r = await call(s.handler, 'POST', '/apis', { body: {} });
  assert.equal(r.status, 405);
  assert.equal(r.json()['reason'], 'MethodNotAllowed');
});
