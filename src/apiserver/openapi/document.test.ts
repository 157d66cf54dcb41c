import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinDefinitions, type Definitions } from '../../api/generated/index.js';
import { builtinResources, type ResourceInfo } from '../../api/index.js';
import { componentNameFor, openApiV3Document, openApiV3Root, type GroupVersion } from './index.js';

const defs = builtinDefinitions();
const groupVersions: GroupVersion[] = [...new Map(builtinResources.map((r) => [`${r.group}/${r.version}`, { group: r.group, version: r.version }])).values()];

interface Op {
  operationId: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': { group: string; version: string; kind: string };
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Op | unknown>>;
  components: { schemas: Definitions };
}
const parse = (gv: GroupVersion, resources: readonly ResourceInfo[] = builtinResources, d: Definitions = defs): Doc =>
  JSON.parse(openApiV3Document(gv, resources, d).json) as Doc;
const ops = (doc: Doc, method: string): Op[] =>
  Object.values(doc.paths)
    .map((p) => p[method] as Op | undefined)
    .filter((o): o is Op => o !== undefined);

for (const gv of groupVersions) {
  const label = gv.group === '' ? 'core/v1' : `${gv.group}/${gv.version}`;

  test(`${label}: every kind has a PATCH operation with its group-version-kind and a fieldValidation parameter`, () => {
    const doc = parse(gv);
    for (const r of builtinResources.filter((x) => x.group === gv.group && x.version === gv.version)) {
      const patch = ops(doc, 'patch').find(
        (o) => o['x-kubernetes-group-version-kind'].kind === r.kind && o['x-kubernetes-group-version-kind'].group === r.group && !o.operationId.endsWith('Status'),
      );
      assert.ok(patch, `${r.kind} has a patch op`);
      assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: r.group, version: r.version, kind: r.kind });
      const names = (patch.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const n of ['dryRun', 'fieldManager', 'fieldValidation', 'force']) assert.ok(names.includes(n), `${r.kind} patch has ${n}`);
      assert.ok(patch.requestBody?.content['application/strategic-merge-patch+json'], 'built-ins accept strategic merge patch');
      const tagged = Object.values(doc.components.schemas).filter((s) =>
        s['x-kubernetes-group-version-kind']?.some((g) => g.kind === r.kind && g.group === r.group && g.version === r.version),
      );
      assert.equal(tagged.length, 1, `${r.kind} has one tagged schema`);
      assert.ok(tagged[0]?.description, `${r.kind} schema has a description`);
    }
  });

  test(`${label}: every $ref resolves inside the document and nothing kin-private leaks`, () => {
    const { json } = openApiV3Document(gv, builtinResources, defs);
    const doc = JSON.parse(json) as Doc;
    const missing = [...json.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] as string).filter((n) => !doc.components.schemas[n]);
    assert.deepEqual(missing, []);
    assert.doesNotMatch(json, /x-kin-/);
    assert.equal(doc.openapi, '3.0.0');
  });
}

test('pods get collection, item and status paths with list, create, read, replace, patch and delete operations', () => {
  const doc = parse({ group: '', version: 'v1' });
  const coll = doc.paths['/api/v1/namespaces/{namespace}/pods'] as Record<string, Op>;
  const item = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'] as Record<string, Op>;
  const status = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'] as Record<string, Op>;
  assert.equal(coll.get?.operationId, 'listCoreV1NamespacedPod');
  assert.equal(coll.get?.['x-kubernetes-action'], 'list');
  assert.equal(coll.post?.operationId, 'createCoreV1NamespacedPod');
  assert.equal(coll.delete?.operationId, 'deleteCoreV1CollectionNamespacedPod');
  assert.equal(coll.delete?.['x-kubernetes-action'], 'deletecollection');
  assert.deepEqual(Object.keys(item).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
  assert.equal(item.patch?.operationId, 'patchCoreV1NamespacedPod');
  assert.equal(status.put?.operationId, 'replaceCoreV1NamespacedPodStatus');
  assert.ok(doc.paths['/api/v1/pods'], 'all-namespaces list');
  const listParams = (coll.get?.parameters ?? []).map((p) => p.name);
  for (const n of ['labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'resourceVersionMatch', 'timeoutSeconds', 'watch', 'allowWatchBookmarks', 'sendInitialEvents']) {
    assert.ok(listParams.includes(n), n);
  }
  assert.deepEqual(Object.keys(coll.post?.requestBody?.content ?? {}), ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml']);
  assert.deepEqual(Object.keys(item.patch?.requestBody?.content ?? {}), [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
  ]);
  assert.ok(doc.components.schemas['io.k8s.api.core.v1.PodList']);
});

test('the scale subresource is described by autoscaling/v1 Scale', () => {
  const doc = parse({ group: 'apps', version: 'v1' });
  const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'] as Record<string, Op>;
  assert.equal(scale.patch?.operationId, 'patchAppsV1NamespacedDeploymentScale');
  assert.deepEqual(scale.patch?.['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  assert.ok(doc.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
  assert.ok(doc.components.schemas['io.k8s.api.core.v1.PodTemplateSpec'], 'core schemas are inlined into apps/v1');
});

test('cluster-scoped kinds have no namespace path segment', () => {
  const doc = parse({ group: 'rbac.authorization.k8s.io', version: 'v1' });
  const item = doc.paths['/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}'] as Record<string, Op>;
  assert.equal(item.get?.operationId, 'readRbacAuthorizationV1ClusterRole');
});

test('custom resources can omit strategic merge patch and bring their own schema', () => {
  const widget: ResourceInfo = {
    group: 'example.com',
    version: 'v1',
    kind: 'Widget',
    plural: 'widgets',
    singular: 'widget',
    namespaced: true,
    listKind: 'WidgetList',
    shortNames: [],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [{ name: 'status', kind: { group: 'example.com', version: 'v1', kind: 'Widget' }, verbs: ['get', 'patch', 'update'] }],
  };
  const withCrd: Definitions = {
    ...defs,
    'com.example.v1.Widget': {
      type: 'object',
      description: 'A widget.',
      properties: { metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] }, spec: { type: 'object' } },
      'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Widget' }],
    },
  };
  const { json } = openApiV3Document({ group: 'example.com', version: 'v1' }, [widget], withCrd, { strategicMergePatch: false });
  const doc = JSON.parse(json) as Doc;
  const patch = (doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'] as Record<string, Op>).patch;
  assert.deepEqual(Object.keys(patch?.requestBody?.content ?? {}), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
  assert.equal(patch?.operationId, 'patchExampleComV1NamespacedWidget');
  assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  assert.ok(doc.components.schemas['com.example.v1.WidgetList'] ?? doc.components.schemas['io.k8s.api.example.v1.WidgetList'], 'a list schema is synthesized');
  assert.equal(componentNameFor(withCrd, { group: 'example.com', version: 'v1', kind: 'Widget' }), 'com.example.v1.Widget');
});

test('documents are cached, and the hash follows the content', () => {
  const gv = { group: 'apps', version: 'v1' };
  const a = openApiV3Document(gv, builtinResources, defs);
  assert.equal(openApiV3Document(gv, builtinResources, defs), a);
  assert.match(a.hash, /^[0-9A-F]{128}$/);
  const fewer = openApiV3Document(gv, builtinResources.filter((r) => r.kind !== 'DaemonSet'), defs);
  assert.notEqual(fewer.hash, a.hash);
});

test('the root index points at each document by path and hash', () => {
  const docs = groupVersions.map((gv) => openApiV3Document(gv, builtinResources, defs));
  const root = openApiV3Root(docs);
  const core = docs.find((d) => d.path === 'api/v1');
  assert.equal(root.paths['api/v1']?.serverRelativeURL, `/openapi/v3/api/v1?hash=${core?.hash}`);
  assert.match(root.paths['apis/apps/v1']?.serverRelativeURL ?? '', /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  assert.equal(Object.keys(root.paths).length, groupVersions.length);
});
