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
const deployments = '/apis/apps/v1/namespaces/default/deployments';

async function deployment(name: string): Promise<Json> {
  const r = await call(s.handler, 'POST', deployments, {
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: { app: name } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }] } },
      },
    },
  });
  assert.equal(r.status, 201, r.text);
  return r.json();
}

const patch = (path: string, type: string, body: unknown, query: Record<string, string> = {}) =>
  call(s.handler, 'PATCH', path, { body: JSON.stringify(body), contentType: `application/${type}`, query });

test('a merge patch changes what it names and answers 200 with the object', async () => {
  const d = await deployment('mp');
  const r = await patch(`${deployments}/mp`, 'merge-patch+json', { metadata: { labels: { extra: 'x' } }, spec: { replicas: 3 } });
  assert.equal(r.status, 200, r.text);
  const o = r.json();
  assert.deepEqual(o['metadata']['labels'], { app: 'mp', extra: 'x' });
  assert.equal(o['spec']['replicas'], 3);
  assert.equal(o['metadata']['generation'], 2);
  assert.ok(Number(o['metadata']['resourceVersion']) > Number(d['metadata']['resourceVersion']));
});

test('a patch carrying a stale resourceVersion is 409, a current one applies', async () => {
  const d = await deployment('mprv');
  await patch(`${deployments}/mprv`, 'merge-patch+json', { metadata: { labels: { a: '1' } } });
  const stale = await patch(`${deployments}/mprv`, 'merge-patch+json', { metadata: { resourceVersion: d['metadata']['resourceVersion'], labels: { a: '2' } } });
  assert.equal(stale.status, 409);
  assert.equal(stale.json()['reason'], 'Conflict');
  const cur = (await call(s.handler, 'GET', `${deployments}/mprv`)).json();
  const fresh = await patch(`${deployments}/mprv`, 'merge-patch+json', { metadata: { resourceVersion: cur['metadata']['resourceVersion'], labels: { a: '3' } } });
  assert.equal(fresh.status, 200);
});

test('a strategic merge patch merges containers by name', async () => {
  await deployment('smp');
  const r = await patch(`${deployments}/smp`, 'strategic-merge-patch+json', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } });
  assert.equal(r.status, 200, r.text);
  const cs = r.json()['spec']['template']['spec']['containers'];
  assert.deepEqual(cs.map((c: Json) => [c['name'], c['image']]), [['web', 'nginx:1.28'], ['side', 'busybox']]);
});

test('a JSON patch applies its operations in order', async () => {
  await deployment('jp');
  const r = await patch(`${deployments}/jp`, 'json-patch+json', [
    { op: 'replace', path: '/spec/replicas', value: 4 },
    { op: 'add', path: '/metadata/annotations', value: { note: 'hi' } },
  ]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json()['spec']['replicas'], 4);
  assert.deepEqual(r.json()['metadata']['annotations'], { note: 'hi' });
});

test('a status patch changes only the status', async () => {
  await deployment('sp');
  const r = await patch(`${deployments}/sp/status`, 'merge-patch+json', { spec: { replicas: 9 }, status: { replicas: 1 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json()['spec']['replicas'], 1);
  assert.equal(r.json()['status']['replicas'], 1);
  assert.equal(r.json()['metadata']['generation'], 1);
});

test('a patch that makes the object invalid is 422 and changes nothing', async () => {
  const d = await deployment('inv');
  const r = await patch(`${deployments}/inv`, 'merge-patch+json', { spec: { replicas: -1 } });
  assert.equal(r.status, 422);
  assert.equal((await call(s.handler, 'GET', `${deployments}/inv`)).json()['metadata']['resourceVersion'], d['metadata']['resourceVersion']);
});

test('a patch whose body is not JSON is 400', async () => {
  await deployment('bad');
  const r = await call(s.handler, 'PATCH', `${deployments}/bad`, { body: '{nope', contentType: 'application/merge-patch+json' });
  assert.equal(r.status, 400);
});

test('a patch of a missing object is 404', async () => {
  const r = await patch(`${deployments}/missing`, 'merge-patch+json', { spec: {} });
  assert.equal(r.status, 404);
  assert.equal(r.json()['message'], 'deployments.apps "missing" not found');
});

test('a dry-run patch answers the result and stores nothing', async () => {
  const d = await deployment('dry');
  const r = await patch(`${deployments}/dry`, 'merge-patch+json', { spec: { replicas: 7 } }, { dryRun: 'All' });
  assert.equal(r.status, 200);
  assert.equal(r.json()['spec']['replicas'], 7);
  const got = (await call(s.handler, 'GET', `${deployments}/dry`)).json();
  assert.equal(got['spec']['replicas'], 1);
  assert.equal(got['metadata']['resourceVersion'], d['metadata']['resourceVersion']);
});

test('unknown fields in a patch follow fieldValidation', async () => {
  await deployment('pfv');
  const strict = await patch(`${deployments}/pfv`, 'merge-patch+json', { spec: { bogus: 1 } }, { fieldValidation: 'Strict' });
  assert.equal(strict.status, 400);
  assert.match(strict.json()['message'], /unknown field "spec\.bogus"/);
  const warn = await patch(`${deployments}/pfv`, 'merge-patch+json', { spec: { bogus: 1 } });
  assert.equal(warn.status, 200);
  assert.deepEqual(warn.headers['warning'], ['299 - "unknown field \\"spec.bogus\\""']);
});

test('metadata reads back as Go encodes it: no empty labels, annotations, finalizers or owner references', async () => {
  const cms = '/api/v1/namespaces/default/configmaps';
  const made = await call(s.handler, 'POST', cms, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empties', labels: {}, annotations: {}, finalizers: ['example.com/x'], ownerReferences: [] } } });
  assert.equal(made.status, 201, made.text);
  const meta = made.json().metadata;
  assert.deepEqual([meta.labels, meta.annotations, meta.ownerReferences], [undefined, undefined, undefined]);
  assert.deepEqual(meta.finalizers, ['example.com/x']);
  // Removing the last finalizer leaves no empty list behind (kubectl patch --type=strategic with $deleteFromPrimitiveList).
  const r = await patch(`${cms}/empties`, 'strategic-merge-patch+json', { metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/x'] } });
  assert.equal(r.status, 200, r.text);
  assert.equal('finalizers' in r.json().metadata, false);
  const merge = await patch(`${cms}/empties`, 'merge-patch+json', { metadata: { labels: {} } });
  assert.equal('labels' in merge.json().metadata, false);
});
