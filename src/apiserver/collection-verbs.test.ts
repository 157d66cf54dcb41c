// Resources kube-apiserver 1.32 serves without deletecollection: discovery does not list it and DELETE on the
// collection is refused with 405, as there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { builtinStrategies } from '../cmd/strategies.js';
import { call, startTestServer, type TestServer } from './testing-support/client.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ strategies: builtinStrategies() });
});
after(() => s.close());

const cases = [
  { plural: 'namespaces', collection: '/api/v1/namespaces' },
  { plural: 'services', collection: '/api/v1/namespaces/default/services' },
];
for (const c of cases) {
  test(`${c.plural} are served without deletecollection`, async () => {
    const list = (await call(s.handler, 'GET', '/api/v1')).json();
    const r = list.resources.find((x: { name: string }) => x.name === c.plural);
    assert.deepEqual(r.verbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    const del = await call(s.handler, 'DELETE', c.collection);
    assert.equal(del.status, 405, del.text);
    assert.equal(del.json().reason, 'MethodNotAllowed');
  });
}

test('configmaps keep deletecollection', async () => {
  const list = (await call(s.handler, 'GET', '/api/v1')).json();
  assert.ok(list.resources.find((x: { name: string }) => x.name === 'configmaps').verbs.includes('deletecollection'));
});
