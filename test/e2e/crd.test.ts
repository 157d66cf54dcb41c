// CustomResourceDefinitions end to end with kubectl: establish, serve, validate, print, scale, explain, delete.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';

const dir = fileURLToPath(new URL('./crds/', import.meta.url));
let kin: Cluster;

before(async () => {
  kin = await startKin({ storage: 'memory' });
});
after(async () => {
  await cleanup(kin);
});

const { k, ok, fails } = kubectlOn(() => kin);

test('a CRD becomes Established and its resource is served with printer columns', async () => {
  assert.match(await ok(['apply', '-f', join(dir, 'widget-crd.yaml')]), /created/);
  await ok(['wait', '--for=condition=Established', 'crd/widgets.example.kin.dev', '--timeout=10s']);
  assert.match(await ok(['get', 'crd']), /widgets\.example\.kin\.dev\s+\d{4}-\d\d-\d\dT/);
  assert.match(await ok(['apply', '-f', join(dir, 'widget.yaml')]), /widget.example.kin.dev\/blue created/);
  const table = await ok(['get', 'widgets']);
  assert.match(table, /^NAME\s+SIZE\s+REPLICAS\s+AGE/m);
  assert.match(table, /^blue\s+small\s+1\s+\d+s/m);
  assert.match(await ok(['get', 'wd', 'blue', '-o', 'jsonpath={.spec.replicas}']), /^1$/);
  assert.match(await ok(['get', 'all']), /widget.example.kin.dev\/blue/);
});

test('invalid custom resources are refused with Kubernetes messages', async () => {
  const bad = join(kin.dataDir, 'bad-widget.yaml');
  await writeFile(bad, 'apiVersion: example.kin.dev/v1\nkind: Widget\nmetadata:\n  name: bad\nspec:\n  size: huge\n  replicas: -1\n');
  const e = await fails(['apply', '-f', bad]);
  assert.match(e, /The Widget "bad" is invalid/);
  assert.match(e, /spec.size: Unsupported value: "huge": supported values: "small", "medium", "large"/);
  assert.match(e, /spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0/);
  await writeFile(bad, 'apiVersion: example.kin.dev/v1\nkind: Widget\nmetadata:\n  name: bad\nspec:\n  size: large\n  replicas: 5\n');
  assert.match(await fails(['apply', '-f', bad]), /large widgets may have at most 3 replicas/);
  await writeFile(bad, 'apiVersion: example.kin.dev/v1\nkind: Widget\nmetadata:\n  name: bad\nspec:\n  replicas: 1\n');
  assert.match(await fails(['apply', '-f', bad]), /spec.size: Required value/);
  await writeFile(bad, 'apiVersion: example.kin.dev/v1\nkind: Widget\nmetadata:\n  name: bad\nspec:\n  size: small\n  bogus: 1\n');
  assert.match(await fails(['create', '-f', bad]), /unknown field "spec.bogus"/);
});

test('merge patches work, strategic merge patches are refused with 415, scale and status subresources work', async () => {
  await ok(['patch', 'widget', 'blue', '--type=merge', '-p', '{"spec":{"color":"navy"}}']);
  assert.equal(await ok(['get', 'widget', 'blue', '-o', 'jsonpath={.spec.color}']), 'navy');
  assert.match(await fails(['patch', 'widget', 'blue', '-p', '{"spec":{"color":"red"}}']), /strategic-merge-patch\+json is not supported by example.kin.dev\/v1, Kind=Widget: the body of the request was in an unknown format/);
  assert.match(await ok(['scale', 'widget', 'blue', '--replicas=2']), /scaled/);
  assert.equal(await ok(['get', 'widget', 'blue', '-o', 'jsonpath={.spec.replicas}']), '2');
  await ok(['patch', 'widget', 'blue', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":2,"selector":"app=blue"}}']);
  assert.equal(await ok(['get', 'widget', 'blue', '-o', 'jsonpath={.status.replicas}']), '2');
  // status cannot be changed through the main resource
  await ok(['patch', 'widget', 'blue', '--type=merge', '-p', '{"status":{"replicas":9}}']);
  assert.equal(await ok(['get', 'widget', 'blue', '-o', 'jsonpath={.status.replicas}']), '2');
});

test('explain reads the CRD schema', async () => {
  const out = await ok(['explain', 'widget.spec']);
  assert.match(out, /What the widget should be/);
  assert.match(out, /size\s+<string> -required-/);
});

test('a CRD with an invalid schema is refused with the reasons', async () => {
  const e = await fails(['apply', '-f', join(dir, 'broken-crd.yaml')]);
  assert.match(e, /The CustomResourceDefinition "brokens.example.kin.dev" is invalid/);
  assert.match(e, /spec.scope: Unsupported value: "Sideways": supported values: "Cluster", "Namespaced"/);
  assert.match(e, /spec.versions\[0\].schema.openAPIV3Schema.properties\[spec\].type: Required value: must not be empty for specified object fields/);
});

test('a CRD with two versions serves both from one storage version; defaults apply', async () => {
  await ok(['apply', '-f', join(dir, 'gadget-crd.yaml')]);
  await ok(['wait', '--for=condition=Established', 'crd/gadgets.example.kin.dev', '--timeout=10s']);
  const created = join(kin.dataDir, 'gadget.yaml');
  await writeFile(created, 'apiVersion: example.kin.dev/v1beta1\nkind: Gadget\nmetadata:\n  name: g1\nspec: {}\n');
  await ok(['apply', '-f', created]);
  const v1 = JSON.parse(await ok(['get', 'gadgets.v1.example.kin.dev', 'g1', '-o', 'json'])) as { apiVersion: string };
  assert.equal(v1.apiVersion, 'example.kin.dev/v1');
  const beta = JSON.parse(await ok(['get', '--raw', '/apis/example.kin.dev/v1beta1/gadgets/g1'])) as { apiVersion: string };
  assert.equal(beta.apiVersion, 'example.kin.dev/v1beta1');
  const crd = JSON.parse(await ok(['get', 'crd', 'gadgets.example.kin.dev', '-o', 'json'])) as { status: { storedVersions: string[] } };
  assert.deepEqual(crd.status.storedVersions, ['v1']);
  await writeFile(created, 'apiVersion: example.kin.dev/v1\nkind: Gadget\nmetadata:\n  name: g2\nspec: {}\n');
  await ok(['apply', '-f', created]);
  assert.equal(await ok(['get', 'gadget', 'g2', '-o', 'jsonpath={.spec.level}']), '3');
});

test('kubectl apply -k applies a kustomization', async () => {
  const out = await ok(['apply', '-k', join(dir, 'kustomize')]);
  assert.match(out, /namespace\/kustomized created/);
  assert.match(out, /configmap\/demo-settings-[a-z0-9]+ created/);
  assert.match(out, /configmap\/demo-static created/);
  assert.match(await ok(['get', 'cm', '-n', 'kustomized', '-l', 'app.kubernetes.io/part-of=demo', '-o', 'name']), /configmap\/demo-static/);
});

test('deleting the CRD removes its custom resources', async () => {
  await ok(['delete', 'crd', 'widgets.example.kin.dev', '--timeout=30s']);
  const r = await k(['get', 'widgets']);
  assert.notEqual(r.code, 0);
  // recreating it shows no leftover objects
  await ok(['apply', '-f', join(dir, 'widget-crd.yaml')]);
  await ok(['wait', '--for=condition=Established', 'crd/widgets.example.kin.dev', '--timeout=10s']);
  const list = await ok(['get', 'widgets', '-A', '-o', 'name']);
  assert.equal(list.trim(), '');
});
