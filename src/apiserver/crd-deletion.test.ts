// Deleting a CustomResourceDefinition through the API: the first delete marks it with the cleanup finalizer and a
// Terminating condition (as kube-apiserver's CRD storage), then its custom resources go and the CRD with them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { builtinStrategies } from '../cmd/strategies.js';
import { call, startTestServer, type TestServer } from './testing-support/client.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ strategies: builtinStrategies() });
  await s.api.start();
});
after(async () => {
  await s.api.stop();
  await s.close();
});

const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gizmos.example.kin.dev' },
  spec: {
    group: 'example.kin.dev',
    scope: 'Namespaced',
    names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('a CRD gets the cleanup finalizer only when deleted, and goes with its custom resources', async () => {
  assert.equal((await call(s.handler, 'POST', crdPath, { body: crd })).status, 201);
  const crPath = '/apis/example.kin.dev/v1/namespaces/default/gizmos';
  await until('the CRD served', async () => ((await call(s.handler, 'GET', crPath)).status === 200 ? true : undefined));
  for (const name of ['a', 'b']) {
    const r = await call(s.handler, 'POST', crPath, { body: { apiVersion: 'example.kin.dev/v1', kind: 'Gizmo', metadata: { name } } });
    assert.equal(r.status, 201, r.text);
  }
  const live = (await call(s.handler, 'GET', `${crdPath}/${crd.metadata.name}`)).json();
  assert.equal(live.metadata.finalizers, undefined, 'a live CRD has no finalizer');

  const del = await call(s.handler, 'DELETE', `${crdPath}/${crd.metadata.name}`);
  assert.equal(del.status, 200, del.text);
  const marked = del.json();
  assert.deepEqual(marked.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
  assert.ok(marked.metadata.deletionTimestamp);
  assert.equal(marked.metadata.deletionGracePeriodSeconds, undefined);
  const term = marked.status.conditions.find((c: { type: string }) => c.type === 'Terminating');
  assert.deepEqual([term.status, term.reason, term.message], ['True', 'InstanceDeletionPending', 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon']);

  await until('the CRD gone', async () => ((await call(s.handler, 'GET', `${crdPath}/${crd.metadata.name}`)).status === 404 ? true : undefined));
  assert.equal((await call(s.handler, 'GET', crPath)).status, 404, 'its resource is no longer served');
  // Created again, the CRD serves an empty collection: the old custom resources were removed.
  assert.equal((await call(s.handler, 'POST', crdPath, { body: crd })).status, 201);
  const items = await until('the CRD served again', async () => {
    const r = await call(s.handler, 'GET', crPath);
    return r.status === 200 ? (r.json().items as unknown[]) : undefined;
  });
  assert.deepEqual(items, []);
});
