import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { builtinStrategies } from '../cmd/strategies.js';
import { call, startTestServer, type TestServer } from './testing-support/client.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ strategies: builtinStrategies() });
});
after(() => s.close());

const list = (path: string, selector: string) => call(s.handler, 'GET', `${path}?fieldSelector=${encodeURIComponent(selector)}`);

const cases: { name: string; path: string; selector: string; status: number; message?: string; names?: string[] }[] = [
  { name: 'namespaces select on metadata.name and status.phase', path: '/api/v1/namespaces', selector: 'metadata.name=default,status.phase=Active', status: 200, names: ['default'] },
  { name: 'namespaces know no metadata.namespace', path: '/api/v1/namespaces', selector: 'metadata.namespace=default', status: 400, message: 'field label not supported: metadata.namespace' },
  { name: 'nodes select on spec.unschedulable', path: '/api/v1/nodes', selector: 'spec.unschedulable=false', status: 200, names: [] },
  { name: 'nodes know no metadata.namespace', path: '/api/v1/nodes', selector: 'metadata.namespace=', status: 400, message: 'field label not supported: metadata.namespace' },
  { name: 'pods select on metadata.namespace', path: '/api/v1/pods', selector: 'metadata.namespace=default', status: 200, names: [] },
  { name: 'cluster-scoped kinds without their own conversion accept metadata.namespace', path: '/apis/scheduling.k8s.io/v1/priorityclasses', selector: 'metadata.namespace=', status: 200, names: ['system-cluster-critical', 'system-node-critical'] },
  {
    name: 'kinds without their own conversion refuse other keys in the default wording',
    path: '/api/v1/configmaps',
    selector: 'data.x=1',
    status: 400,
    message: '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
  },
];
for (const c of cases) {
  test(`field selectors: ${c.name}`, async () => {
    const r = await list(c.path, c.selector);
    assert.equal(r.status, c.status, r.text);
    const body = r.json();
    if (c.message) assert.equal(body.message, c.message);
    if (c.names) assert.deepEqual(body.items.map((i: { metadata: { name: string } }) => i.metadata.name), c.names);
  });
}
