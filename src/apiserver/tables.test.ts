import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { builtinStrategies } from '../cmd/strategies.js';
import { call, startTestServer, type TestServer } from './testing-support/client.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ strategies: builtinStrategies() });
  const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'tbl' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  for (const n of ['p1', 'p2', 'p3']) await ok('POST', '/api/v1/namespaces/default/pods', { body: pod(n) });
  await ok('POST', '/apis/apps/v1/namespaces/default/deployments', {
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      },
    },
  });
  await ok('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1', b: '2' } } });
});
after(() => s.close());

type Json = Record<string, any>;
const tableV1 = 'application/json;as=Table;v=v1;g=meta.k8s.io';
// What kubectl 1.32 sends for `kubectl get`.
const kubectlAccept = `${tableV1},application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`;

async function ok(method: string, path: string, opts: Parameters<typeof call>[3] = {}): Promise<Json> {
  const r = await call(s.handler, method, path, opts);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json();
}

async function table(path: string, query: Record<string, string> = {}, accept = kubectlAccept): Promise<Json> {
  const r = await call(s.handler, 'GET', path, { accept, query });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers['content-type'], accept.startsWith(tableV1) ? tableV1 : accept.split(',')[0]);
  return r.json();
}

const columnNames = (t: Json, priority = 0) => t['columnDefinitions'].filter((c: Json) => c['priority'] === priority).map((c: Json) => c['name']);

test('a list of Pods as a Table has kubectl columns and a row per pod with its metadata', async () => {
  const t = await table('/api/v1/namespaces/default/pods');
  assert.equal(t['kind'], 'Table');
  assert.equal(t['apiVersion'], 'meta.k8s.io/v1');
  assert.match(t['metadata']['resourceVersion'], /^\d+$/);
  assert.deepEqual(columnNames(t), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
  assert.deepEqual(columnNames(t, 1), ['IP', 'Node', 'Nominated Node', 'Readiness Gates']);
  for (const c of t['columnDefinitions']) assert.deepEqual(Object.keys(c).sort(), ['description', 'format', 'name', 'priority', 'type']);
  assert.equal(t['rows'].length, 3);
  const row = t['rows'][0];
  assert.deepEqual(row['cells'].slice(0, 5), ['p1', '0/1', 'Pending', '0', '0s']);
  assert.equal(row['cells'].length, t['columnDefinitions'].length);
  assert.deepEqual(Object.keys(row['object']), ['kind', 'apiVersion', 'metadata']);
  assert.equal(row['object']['kind'], 'PartialObjectMetadata');
  assert.equal(row['object']['apiVersion'], 'meta.k8s.io/v1');
  assert.equal(row['object']['metadata']['name'], 'p1');
});

test('a get as a Table has one row', async () => {
  const t = await table('/api/v1/namespaces/default/pods/p2');
  assert.equal(t['rows'].length, 1);
  assert.equal(t['rows'][0]['cells'][0], 'p2');
  assert.ok(t['metadata']['resourceVersion']);
});

test('a Deployment row shows ready, up-to-date and available replicas', async () => {
  const t = await table('/apis/apps/v1/namespaces/default/deployments');
  assert.deepEqual(columnNames(t), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
  assert.deepEqual(columnNames(t, 1), ['Containers', 'Images', 'Selector']);
  assert.deepEqual(t['rows'][0]['cells'], ['web', '0/3', 0, 0, '0s', 'nginx', 'nginx:1.27', 'app=web']);
});

test('a ConfigMap row shows how many data keys it has', async () => {
  const t = await table('/api/v1/namespaces/default/configmaps/cfg');
  assert.deepEqual(columnNames(t), ['Name', 'Data', 'Age']);
  assert.deepEqual(t['rows'][0]['cells'], ['cfg', 2, '0s']);
});

test('includeObject=Object puts the whole object in each row, None leaves it out', async () => {
  const full = await table('/api/v1/namespaces/default/pods', { includeObject: 'Object' });
  const o = full['rows'][0]['object'];
  assert.equal(o['kind'], 'Pod');
  assert.equal(o['apiVersion'], 'v1');
  assert.equal(o['spec']['containers'][0]['image'], 'busybox');
  const none = await table('/api/v1/namespaces/default/pods', { includeObject: 'None' });
  assert.equal('object' in none['rows'][0], false);
  const bad = await call(s.handler, 'GET', '/api/v1/namespaces/default/pods', { accept: kubectlAccept, query: { includeObject: 'All' } });
  assert.equal(bad.status, 400);
});

test('a Table in meta.k8s.io/v1beta1 when only that is asked for', async () => {
  const accept = 'application/json;as=Table;v=v1beta1;g=meta.k8s.io';
  const t = await table('/api/v1/namespaces/default/pods', {}, accept);
  assert.equal(t['apiVersion'], 'meta.k8s.io/v1beta1');
  assert.equal(t['rows'][0]['object']['apiVersion'], 'meta.k8s.io/v1beta1');
});

test('a paged Table carries continue and remainingItemCount', async () => {
  const t = await table('/api/v1/namespaces/default/pods', { limit: '1' });
  assert.equal(t['rows'].length, 1);
  assert.ok(t['metadata']['continue']);
  assert.equal(t['metadata']['remainingItemCount'], 2);
  const next = await table('/api/v1/namespaces/default/pods', { limit: '1', continue: t['metadata']['continue'] });
  assert.equal(next['rows'][0]['cells'][0], 'p2');
});

test('a kind without a printer gets Name and Age columns', async () => {
  const plain = await startTestServer({ strategies: [] });
  try {
    await call(plain.handler, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aged' } } });
    plain.clock.advance(90_000);
    const r = await call(plain.handler, 'GET', '/api/v1/namespaces/default/configmaps', { accept: kubectlAccept });
    const t = r.json();
    assert.deepEqual(columnNames(t), ['Name', 'Age']);
    assert.deepEqual(t['rows'][0]['cells'], ['aged', '90s']);
  } finally {
    await plain.close();
  }
});

test('an Accept header naming only things kin cannot produce is 406', async () => {
  const r = await call(s.handler, 'GET', '/api/v1/namespaces/default/pods', { accept: 'application/json;as=Table;v=v2;g=meta.k8s.io' });
  assert.equal(r.status, 406);
  assert.equal(r.json()['reason'], 'NotAcceptable');
});

test('a printer that fails on an odd object still gives a row: the name, the age under Age, blanks', async () => {
  const { renderTable } = await import('./table.js');
  const printer = {
    columns: [
      { name: 'Name', type: 'string' as const, format: 'name', description: '', priority: 0 },
      { name: 'Ready', type: 'string' as const, format: '', description: '', priority: 0 },
      { name: 'Age', type: 'string' as const, format: '', description: '', priority: 0 },
    ],
    row: (): never => {
      throw new Error('odd object');
    },
  };
  const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'odd', creationTimestamp: '2026-01-01T00:00:00Z' } };
  const t = JSON.parse(renderTable([{ obj, json: () => JSON.stringify(obj) }], { printer, now: Date.UTC(2026, 0, 1, 0, 0, 5), include: 'None', version: 'v1' }));
  assert.deepEqual(t['rows'][0]['cells'], ['odd', '', '5s']);
});
