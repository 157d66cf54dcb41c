import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { builtinDefinitions, type OpenApiSchema } from '../api/generated/index.js';
import { builtinStrategies } from '../cmd/strategies.js';
import { call, startTestServer, type TestServer } from './testing-support/client.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ strategies: builtinStrategies() });
});
after(() => s.close());

type Json = Record<string, any>;
const configmaps = '/api/v1/namespaces/default/configmaps';
const pods = '/api/v1/namespaces/default/pods';

async function status(method: string, path: string, opts: Parameters<typeof call>[3] = {}): Promise<{ code: number; st: Json }> {
  const r = await call(s.handler, method, path, opts);
  return { code: r.status, st: r.text ? r.json() : {} };
}

test('bad request bodies are 4xx with Kubernetes wording, never 500', async () => {
  const cases: { name: string; body: string; contentType?: string; code: number; message: string | RegExp }[] = [
    {
      name: 'an array',
      body: '[]',
      code: 400,
      message: 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b5d)',
    },
    { name: 'a string', body: '"x"', code: 400, message: /^the object provided is unrecognized \(must be of type ConfigMap\): .*cannot unmarshal string into Go value.* \(227822\)$/ },
    { name: 'empty', body: '', code: 400, message: "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)" },
    {
      name: 'truncated JSON',
      body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}',
      code: 400,
      message: `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input ({"apiVersion":"v1","kind":"Con ...)`,
    },
    {
      name: 'a JSON syntax error',
      body: '{bad}',
      code: 400,
      message: `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character 'b' looking for beginning of object key string ({bad})`,
    },
    { name: 'metadata of the wrong type', body: '{"metadata":5}', code: 400, message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.metadata of type v1.ObjectMeta' },
    { name: 'a label value of the wrong type', body: '{"metadata":{"name":"a","labels":{"a":5}}}', code: 400, message: /cannot unmarshal number into Go struct field ObjectMeta\.metadata\.labels of type string$/ },
    { name: 'data of the wrong type', body: '{"metadata":{"name":"a"},"data":5}', code: 400, message: /Go struct field ConfigMap\.data of type map\[string\]string$/ },
    { name: 'another kind', body: '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a"}}', code: 400, message: 'the kind in the data (Pod) does not match the expected kind (ConfigMap)' },
    { name: 'another version', body: '{"kind":"ConfigMap","apiVersion":"v2","metadata":{"name":"a"}}', code: 400, message: 'the API version in the data (v2) does not match the expected API version (v1)' },
    { name: 'a resourceVersion', body: '{"metadata":{"name":"a","resourceVersion":"5"}}', code: 400, message: 'resourceVersion should not be set on objects to be created' },
    { name: 'no name', body: '{"metadata":{}}', code: 422, message: 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required' },
    { name: 'bad YAML', body: 'a: [', contentType: 'application/yaml', code: 400, message: /^the object provided is unrecognized \(must be of type ConfigMap\): error converting YAML to JSON: yaml: .* \(613a205b\)$/ },
    { name: 'garbage protobuf', body: 'k8s\u0000\u0001\u0002', contentType: 'application/vnd.kubernetes.protobuf', code: 400, message: /^unable to decode protobuf body/ },
    { name: 'protobuf without the prefix', body: 'abcd', contentType: 'application/vnd.kubernetes.protobuf', code: 400, message: /^unable to decode protobuf body/ },
  ];
  for (const c of cases) {
    const { code, st } = await status('POST', configmaps, { body: c.body, contentType: c.contentType ?? 'application/json' });
    assert.equal(code, c.code, `${c.name}: ${st['message']}`);
    if (typeof c.message === 'string') assert.equal(st['message'], c.message, c.name);
    else assert.match(st['message'], c.message, c.name);
  }
});

test('nulls are read as Go reads them: an unset field, or the zero value of a list item or map value', async () => {
  const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nulls', labels: null, annotations: { a: null } }, data: null };
  const r = await call(s.handler, 'POST', configmaps, { body });
  assert.equal(r.status, 201, r.text);
  const o = r.json();
  assert.equal(o['data'], undefined);
  assert.equal(o['metadata']['labels'], undefined);
  assert.deepEqual(o['metadata']['annotations'], { a: '' });
  const pod = (containers: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nullpod' }, spec: { containers } });
  // A null image is a missing image; a null container is an empty one: validation errors, not crashes.
  const img = await status('POST', pods, { body: pod([{ name: 'c', image: null }]) });
  assert.equal(img.code, 422);
  assert.ok(img.st['details']['causes'].some((c: Json) => c['field'] === 'spec.containers[0].image'));
  const item = await status('POST', pods, { body: pod([null]) });
  assert.equal(item.code, 422);
  assert.ok(item.st['details']['causes'].some((c: Json) => c['field'] === 'spec.containers[0].name'));
});

test('write options are checked as kube-apiserver does (422 of the options kind)', async () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'opts' } };
  const long = 'm'.repeat(129);
  const cases: { method: string; path: string; query: Record<string, string | string[]>; body?: unknown; contentType?: string; message: string }[] = [
    {
      method: 'POST',
      path: configmaps,
      query: { fieldManager: long },
      message: 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    },
    {
      method: 'POST',
      path: configmaps,
      query: { fieldManager: 'a\u0007b' },
      message: 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\u0007b": invalid character U+0007 (at position 1)',
    },
    {
      method: 'PUT',
      path: `${configmaps}/opts`,
      query: { dryRun: ['All', 'Nope'] },
      message: 'UpdateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All", "Nope"}: supported values: "All"',
    },
    {
      method: 'PATCH',
      path: `${configmaps}/opts`,
      query: { force: 'true' },
      body: '{}',
      contentType: 'application/merge-patch+json',
      message: 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    },
    {
      method: 'PATCH',
      path: `${configmaps}/opts`,
      query: {},
      body: '{}',
      contentType: 'application/apply-patch+yaml',
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    },
  ];
  await call(s.handler, 'POST', configmaps, { body: cm });
  for (const c of cases) {
    const { code, st } = await status(c.method, c.path, { query: c.query, body: c.body ?? cm, ...(c.contentType ? { contentType: c.contentType } : {}) });
    assert.equal(code, 422, c.message);
    assert.equal(st['reason'], 'Invalid');
    assert.equal(st['message'], c.message);
    assert.equal(st['details']['group'], 'meta.k8s.io');
  }
});

test('delete options are checked as kube-apiserver does (422 DeleteOptions)', async () => {
  await call(s.handler, 'POST', configmaps, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'delopts' } } });
  const cases: { body: Json; message: string }[] = [
    {
      body: { propagationPolicy: 'Sometimes' },
      message: 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan", "nil"',
    },
    {
      body: { propagationPolicy: 'Background', orphanDependents: true },
      message: 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set',
    },
    {
      body: { dryRun: ['Maybe'] },
      message: 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Maybe"}: supported values: "All"',
    },
  ];
  for (const c of cases) {
    const { code, st } = await status('DELETE', `${configmaps}/delopts`, { body: c.body });
    assert.equal(code, 422, c.message);
    assert.equal(st['message'], c.message);
  }
  assert.equal((await call(s.handler, 'GET', `${configmaps}/delopts`)).status, 200);
});

test('a bad includeObject on a Table request is 400', async () => {
  const { code, st } = await status('GET', pods, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io', query: { includeObject: 'All' } });
  assert.equal(code, 400);
  assert.equal(st['message'], `Unable to convert to Table as requested: includeObject: Invalid value: "All": must be 'Metadata', 'Object', 'None', or empty`);
});

test('paths and methods the server does not serve', async () => {
  const cases: { method: string; path: string; code: number; message?: string }[] = [
    { method: 'GET', path: '/nope', code: 404, message: 'the server could not find the requested resource' },
    { method: 'GET', path: '/api/v1/widgets', code: 404 },
    { method: 'GET', path: '/apis/apps/v1/namespaces/default/deployments/x/y/z', code: 404 },
    { method: 'GET', path: '/api/v1/namespaces/default/pods/x/bogus', code: 404, message: 'the server could not find the requested resource' },
    { method: 'GET', path: '/api/v1/namespaces/default/configmaps/%ZZ', code: 400 },
    { method: 'PUT', path: configmaps, code: 405, message: 'the server does not allow this method on the requested resource' },
    { method: 'POST', path: `${configmaps}/x`, code: 405 },
    { method: 'PATCH', path: configmaps, code: 405 },
  ];
  for (const c of cases) {
    const { code, st } = await status(c.method, c.path, { body: '{}', contentType: 'application/json' });
    assert.equal(code, c.code, `${c.method} ${c.path}`);
    if (c.message) assert.equal(st['message'], c.message, `${c.method} ${c.path}`);
  }
});

test('a patch with an unknown patch type is 415', async () => {
  await call(s.handler, 'POST', configmaps, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pt' } } });
  const { code, st } = await status('PATCH', `${configmaps}/pt`, { body: '{}', contentType: 'application/json' });
  assert.equal(code, 415);
  assert.equal(st['reason'], 'UnsupportedMediaType');
});

test('a SelfSubjectAccessReview is answered 201 with allowed', async () => {
  const body = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
  };
  const r = await call(s.handler, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body });
  assert.equal(r.status, 201);
  const o = r.json();
  assert.equal(o['kind'], 'SelfSubjectAccessReview');
  assert.equal(o['apiVersion'], 'authorization.k8s.io/v1');
  assert.equal(o['status']['allowed'], true);
  assert.deepEqual(o['spec'], body.spec);
  // Reviews are not stored: nothing to list or get.
  assert.equal((await call(s.handler, 'GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).status, 405);
});

test('a SelfSubjectReview answers who the user is', async () => {
  const r = await call(s.handler, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  assert.equal(r.status, 201);
  assert.equal(r.json()['status']['userInfo']['username'], 'kin-test-admin');
});

test('a malformed access review is 400', async () => {
  const r = await call(s.handler, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: '{', contentType: 'application/json' });
  assert.equal(r.status, 400);
  assert.equal(r.json()['message'], `the object provided is unrecognized (must be of type SelfSubjectAccessReview): couldn't get version/kind; json parse error: unexpected end of JSON input ({)`);
});

test('no null or wrongly typed field in a Pod, Deployment or Service body makes a 500', async () => {
  const defs = builtinDefinitions();
  const deref = (sc: OpenApiSchema | undefined): OpenApiSchema => {
    let x = sc ?? {};
    for (let i = 0; i < 8 && (x.$ref ?? x.allOf?.[0]?.$ref); i++) x = defs[(x.$ref ?? x.allOf![0]!.$ref!).replace('#/components/schemas/', '')] ?? {};
    return x;
  };
  const targets = [
    { path: pods, apiVersion: 'v1', kind: 'Pod', schema: 'io.k8s.api.core.v1.Pod' },
    { path: '/apis/apps/v1/namespaces/default/deployments', apiVersion: 'apps/v1', kind: 'Deployment', schema: 'io.k8s.api.apps.v1.Deployment' },
    { path: '/api/v1/namespaces/default/services', apiVersion: 'v1', kind: 'Service', schema: 'io.k8s.api.core.v1.Service' },
  ];
  const variants: unknown[] = [null, [null], { x: null }, '', 0, {}];
  let n = 0;
  for (const t of targets) {
    // Every field down to three levels (a list stands for its first item).
    const paths: string[][] = [];
    const walk = (sc: OpenApiSchema, p: string[]) => {
      if (p.length >= 3) return;
      for (const [k, v] of Object.entries(deref(sc).properties ?? {})) {
        if (p.length === 0 && ['apiVersion', 'kind', 'metadata'].includes(k)) continue;
        paths.push([...p, k]);
        const dv = deref(v);
        walk(dv.type === 'array' ? (dv.items ?? {}) : v, [...p, k]);
      }
    };
    walk(defs[t.schema]!, []);
    for (const p of paths) {
      for (const v of variants) {
        const obj: Json = { apiVersion: t.apiVersion, kind: t.kind, metadata: { name: `sweep-${n++}` } };
        let cur = obj;
        for (const k of p.slice(0, -1)) cur = cur[k] = {};
        cur[p[p.length - 1]!] = v;
        const r = await call(s.handler, 'POST', t.path, { body: obj });
        assert.ok(r.status < 500, `${t.kind} ${p.join('.')} = ${JSON.stringify(v)}: ${r.status} ${r.text}`);
      }
    }
  }
});
