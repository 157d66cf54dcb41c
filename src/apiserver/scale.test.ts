import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { builtinStrategies } from '../cmd/strategies.js';
import { call, startTestServer, type TestServer } from './testing-support/client.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ strategies: builtinStrategies() });
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
  };
  const r = await call(s.handler, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment });
  assert.equal(r.status, 201, r.text);
});
after(() => s.close());

const scaleUrl = '/apis/apps/v1/namespaces/default/deployments/web/scale';
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

test('GET scale as a Table has the Scale columns (Name, Desired, Available, Age) as kubectl get --subresource=scale prints', async () => {
  s.clock.advance(90_000);
  const r = await call(s.handler, 'GET', scaleUrl, { accept: tableAccept });
  assert.equal(r.status, 200, r.text);
  assert.match(String(r.headers['content-type']), /as=Table/);
  const t = r.json();
  assert.equal(t.kind, 'Table');
  assert.deepEqual(
    t.columnDefinitions.map((c: { name: string; type: string; format: string }) => [c.name, c.type, c.format]),
    [
      ['Name', 'string', ''],
      ['Desired', 'integer', ''],
      ['Available', 'integer', ''],
      ['Age', 'string', ''],
    ],
  );
  assert.deepEqual(t.rows[0].cells, ['web', 3, 0, '90s']);
  assert.equal(t.rows[0].object.kind, 'PartialObjectMetadata');
  assert.equal(t.rows[0].object.metadata.name, 'web');
  assert.match(t.metadata.resourceVersion, /^\d+$/);
});

test('GET scale without a Table Accept is still the autoscaling/v1 Scale object', async () => {
  const r = await call(s.handler, 'GET', scaleUrl, { accept: 'application/json' });
  const scale = r.json();
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.apiVersion, 'autoscaling/v1');
  assert.deepEqual(scale.spec, { replicas: 3 });
  assert.deepEqual(scale.status, { replicas: 0, selector: 'app=web' });
});

test('includeObject=Object puts the Scale itself in the row', async () => {
  const r = await call(s.handler, 'GET', `${scaleUrl}?includeObject=Object`, { accept: tableAccept });
  assert.equal(r.json().rows[0].object.kind, 'Scale');
});
