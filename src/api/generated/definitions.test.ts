import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { builtinDefinitions, type OpenApiSchema } from './index.js';

const defs = builtinDefinitions();
const prop = (type: string, field: string): OpenApiSchema => {
  const s = defs[type]?.properties?.[field];
  assert.ok(s, `${type}.${field} exists`);
  return s;
};

test('the checked-in definitions equal what scripts/gen-schemas.ts generates', async () => {
  // Loaded by URL so the compiler does not pull scripts/ (outside src/) into the program; tsx runs it.
  const generator = new URL('../../../scripts/gen-schemas.ts', import.meta.url).href;
  const gen = (await import(generator)) as {
    generateDefinitions(): Record<string, unknown>;
    serializeDefinitions(d: Record<string, unknown>): string;
  };
  const onDisk = readFileSync(new URL('./definitions.json', import.meta.url), 'utf8');
  assert.equal(gen.serializeDefinitions(gen.generateDefinitions()), onDisk, 'run: npx tsx scripts/gen-schemas.ts');
});

test('core kinds and ObjectMeta are present with descriptions', () => {
  for (const name of [
    'io.k8s.api.core.v1.Pod',
    'io.k8s.api.apps.v1.Deployment',
    'io.k8s.api.core.v1.Service',
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
  ]) {
    const s = defs[name];
    assert.ok(s, name);
    assert.ok((s.description ?? '').length > 20, `${name} has a description`);
    assert.equal(s.type, 'object');
  }
  assert.match(prop('io.k8s.api.apps.v1.DeploymentSpec', 'replicas').description ?? '', /desired pods/);
});

test('top-level kinds carry x-kubernetes-group-version-kind as a list', () => {
  assert.deepEqual(defs['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  assert.deepEqual(defs['io.k8s.api.core.v1.Pod']?.['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.equal(defs['io.k8s.api.core.v1.PodSpec']?.['x-kubernetes-group-version-kind'], undefined);
});

test('nested component references sit in allOf beside the field description', () => {
  const spec = prop('io.k8s.api.core.v1.Pod', 'spec');
  assert.deepEqual(spec.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }]);
  assert.ok(spec.description);
  assert.deepEqual(prop('io.k8s.api.core.v1.PodSpec', 'containers').items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
});

const listCases: { name: string; type: string; field: string; want: Partial<OpenApiSchema> }[] = [
  {
    name: 'pod containers merge by name',
    type: 'io.k8s.api.core.v1.PodSpec',
    field: 'containers',
    want: { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
  },
  {
    name: 'container ports merge by containerPort, keyed by port and protocol',
    type: 'io.k8s.api.core.v1.Container',
    field: 'ports',
    want: { 'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'] },
  },
  {
    name: 'ownerReferences merge by uid',
    type: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    field: 'ownerReferences',
    want: { 'x-kubernetes-patch-merge-key': 'uid', 'x-kubernetes-patch-strategy': 'merge' },
  },
  { name: 'finalizers are a merged set', type: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', field: 'finalizers', want: { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' } },
  { name: 'volumes merge and retain keys', type: 'io.k8s.api.core.v1.PodSpec', field: 'volumes', want: { 'x-kubernetes-patch-strategy': 'merge,retainKeys', 'x-kubernetes-patch-merge-key': 'name' } },
  { name: 'deployment strategy retains keys', type: 'io.k8s.api.apps.v1.DeploymentSpec', field: 'strategy', want: { 'x-kubernetes-patch-strategy': 'retainKeys' } },
  { name: 'service ports merge by port', type: 'io.k8s.api.core.v1.ServiceSpec', field: 'ports', want: { 'x-kubernetes-patch-merge-key': 'port', 'x-kubernetes-list-map-keys': ['port', 'protocol'] } },
  { name: 'command is atomic', type: 'io.k8s.api.core.v1.Container', field: 'command', want: { 'x-kubernetes-list-type': 'atomic' } },
  { name: 'service selector is an atomic map', type: 'io.k8s.api.core.v1.ServiceSpec', field: 'selector', want: { 'x-kubernetes-map-type': 'atomic' } },
];
for (const c of listCases) {
  test(`list and patch extensions: ${c.name}`, () => {
    const s = prop(c.type, c.field);
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual(s[k as keyof OpenApiSchema], v, k);
  });
}

const formatCases: { type: string; field: string; type_: string; format?: string }[] = [
  { type: 'io.k8s.api.apps.v1.DeploymentSpec', field: 'replicas', type_: 'integer', format: 'int32' },
  { type: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', field: 'generation', type_: 'integer', format: 'int64' },
  { type: 'io.k8s.api.core.v1.PodSpec', field: 'terminationGracePeriodSeconds', type_: 'integer', format: 'int64' },
  { type: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps', field: 'maximum', type_: 'number', format: 'double' },
];
for (const c of formatCases) {
  test(`format of ${c.type.split('.').pop()}.${c.field} is ${c.format}`, () => {
    const s = prop(c.type, c.field);
    assert.equal(s.type, c.type_);
    assert.equal(s.format, c.format);
  });
}

test('byte, date-time, int-or-string and quantity follow upstream', () => {
  assert.deepEqual(prop('io.k8s.api.core.v1.Secret', 'data').additionalProperties, { type: 'string', format: 'byte' });
  assert.equal(defs['io.k8s.apimachinery.pkg.apis.meta.v1.Time']?.format, 'date-time');
  const ios = defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
  assert.equal(ios?.format, 'int-or-string');
  assert.equal(ios?.['x-kubernetes-int-or-string'], true);
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.api.resource.Quantity']?.oneOf, [{ type: 'string' }, { type: 'number' }]);
  assert.deepEqual(prop('io.k8s.api.core.v1.ServicePort', 'targetPort').allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }]);
  assert.equal(defs['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']?.['x-kubernetes-map-type'], 'atomic');
});

test('required fields come from the type declarations', () => {
  assert.deepEqual(defs['io.k8s.api.core.v1.PodSpec']?.required, ['containers']);
  assert.deepEqual(defs['io.k8s.api.core.v1.Container']?.required, ['name']);
});

test('every $ref in the definitions resolves', () => {
  const missing = [...JSON.stringify(defs).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] as string).filter((n) => !defs[n]);
  assert.deepEqual(missing, []);
});
