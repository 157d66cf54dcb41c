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
