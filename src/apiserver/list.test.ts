import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { builtinStrategies } from '../cmd/strategies.js';
import { call, startTestServer, type TestServer } from './testing-support/client.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ strategies: builtinStrategies() });
});
after(() => s.close());

type Json = Record<string, any>;

async function ok(method: string, path: string, opts: Parameters<typeof call>[3] = {}): Promise<Json> {
  const r = await call(s.handler, method, path, opts);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json();
}

async function namespace(name: string): Promise<string> {
  await ok('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  return `/api/v1/namespaces/${name}/configmaps`;
}

function cm(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): Json {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

const names = (list: Json): string[] => list['items'].map((i: Json) => i['metadata']['name']);

test('label selectors with every operator pick the right objects', async () => {
  const path = await namespace('labels');
  const objs: [string, Record<string, string>][] = [
    ['a', { env: 'prod', tier: 'web' }],
    ['b', { env: 'dev', tier: 'web' }],
    ['c', { env: 'prod' }],
    ['d', {}],
    ['e', { env: 'qa', n: '5' }],
  ];
  for (const [n, l] of objs) await ok('POST', path, { body: cm(n, l) });
  const cases: [string, string[]][] = [
    ['', ['a', 'b', 'c', 'd', 'e']],
    ['env=prod', ['a', 'c']],
    ['env==prod', ['a', 'c']],
    ['env!=prod', ['b', 'd', 'e']],
    ['env in (prod,dev)', ['a', 'b', 'c']],
    ['env notin (prod,dev)', ['d', 'e']],
    ['tier', ['a', 'b']],
    ['!tier', ['c', 'd', 'e']],
    ['env=prod,tier=web', ['a']],
    ['n>4', ['e']],
    ['n<4', []],
  ];
  for (const [sel, want] of cases) {
    assert.deepEqual(names(await ok('GET', path, { query: { labelSelector: sel } })), want, sel);
  }
});

test('a malformed label selector is 400', async () => {
  const r = await call(s.handler, 'GET', '/api/v1/configmaps', { query: { labelSelector: 'env in (' } });
  assert.equal(r.status, 400);
  assert.equal(r.json()['reason'], 'BadRequest');
});

test('field selectors on metadata.name and metadata.namespace work for every resource', async () => {
  const a = await namespace('fields-a');
  const b = await namespace('fields-b');
  await ok('POST', a, { body: cm('one') });
  await ok('POST', a, { body: cm('two') });
  await ok('POST', b, { body: cm('one') });
  assert.deepEqual(names(await ok('GET', a, { query: { fieldSelector: 'metadata.name=one' } })), ['one']);
  assert.deepEqual(names(await ok('GET', a, { query: { fieldSelector: 'metadata.name!=one' } })), ['two']);
  const all = await ok('GET', '/api/v1/configmaps', { query: { fieldSelector: 'metadata.name=one' } });
  assert.deepEqual(all['items'].map((i: Json) => i['metadata']['namespace']).sort(), ['fields-a', 'fields-b']);
  const inB = await ok('GET', '/api/v1/configmaps', { query: { fieldSelector: 'metadata.namespace=fields-b' } });
  assert.deepEqual(names(inB), ['one']);
});

test('pods select on spec.nodeName and status.phase', async () => {
  await namespace('podsel');
  const pods = '/api/v1/namespaces/podsel/pods';
  const pod = (name: string, node?: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c', image: 'busybox' }] },
  });
  await ok('POST', pods, { body: pod('on-n1', 'n1') });
  await ok('POST', pods, { body: pod('on-n2', 'n2') });
  await ok('POST', pods, { body: pod('unscheduled') });
  const running = await ok('GET', `${pods}/on-n1`);
  running['status'] = { ...running['status'], phase: 'Running' };
  await ok('PUT', `${pods}/on-n1/status`, { body: running });
  assert.deepEqual(names(await ok('GET', pods, { query: { fieldSelector: 'spec.nodeName=n1' } })), ['on-n1']);
  assert.deepEqual(names(await ok('GET', pods, { query: { fieldSelector: 'spec.nodeName=' } })), ['unscheduled']);
  assert.deepEqual(names(await ok('GET', pods, { query: { fieldSelector: 'status.phase=Running' } })), ['on-n1']);
  assert.deepEqual(names(await ok('GET', pods, { query: { fieldSelector: 'status.phase!=Running,spec.nodeName!=' } })), ['on-n2']);
  // The deprecated spec.host is kept as an alias of spec.nodeName.
  assert.deepEqual(names(await ok('GET', pods, { query: { fieldSelector: 'spec.host=n2' } })), ['on-n2']);
});

test('events select on involvedObject fields', async () => {
  await namespace('evsel');
  const ev = (name: string, kind: string, obj: string) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name },
    involvedObject: { kind, name: obj, namespace: 'evsel', apiVersion: 'v1' },
    reason: 'Test',
    message: 'm',
    type: 'Normal',
    source: { component: 'kin-test' },
  });
  const events = '/api/v1/namespaces/evsel/events';
  await ok('POST', events, { body: ev('e1', 'Pod', 'p1') });
  await ok('POST', events, { body: ev('e2', 'Pod', 'p2') });
  await ok('POST', events, { body: ev('e3', 'ConfigMap', 'p1') });
  assert.deepEqual(names(await ok('GET', events, { query: { fieldSelector: 'involvedObject.name=p1' } })), ['e1', 'e3']);
  assert.deepEqual(names(await ok('GET', events, { query: { fieldSelector: 'involvedObject.kind=Pod,involvedObject.name=p2' } })), ['e2']);
  assert.deepEqual(names(await ok('GET', events, { query: { fieldSelector: 'involvedObject.namespace=evsel,involvedObject.apiVersion=v1' } })), ['e1', 'e2', 'e3']);
});

test('an unknown field selector is 400 with Kubernetes wording', async () => {
  const cases = [
    { path: '/api/v1/pods', sel: 'spec.bogus=x', message: 'field label not supported: spec.bogus' },
    { path: '/api/v1/configmaps', sel: 'data.x=y', message: '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"' },
  ];
  for (const c of cases) {
    const r = await call(s.handler, 'GET', c.path, { query: { fieldSelector: c.sel } });
    assert.equal(r.status, 400, c.path);
    assert.equal(r.json()['reason'], 'BadRequest');
    assert.equal(r.json()['message'], c.message);
  }
});

test('limit and continue page through a snapshot taken at the first page, whatever changes in between', async () => {
  const path = await namespace('paging');
  for (const n of ['p1', 'p2', 'p3', 'p4', 'p5']) await ok('POST', path, { body: cm(n, {}, { v: 'old' }) });
  const first = await ok('GET', path, { query: { limit: '2' } });
  assert.deepEqual(names(first), ['p1', 'p2']);
  assert.equal(first['metadata']['remainingItemCount'], 3);
  const rv = first['metadata']['resourceVersion'];
  assert.ok(first['metadata']['continue']);

  // Changes after the first page: none of them shows up in the later pages.
  await ok('DELETE', `${path}/p3`);
  const p4 = await ok('GET', `${path}/p4`);
  p4['data'] = { v: 'new' };
  await ok('PUT', `${path}/p4`, { body: p4 });
  await ok('POST', path, { body: cm('p0') });
  await ok('POST', path, { body: cm('p6') });

  const second = await ok('GET', path, { query: { limit: '2', continue: first['metadata']['continue'] } });
  assert.deepEqual(names(second), ['p3', 'p4']);
  assert.equal(second['items'][1]['data']['v'], 'old');
  assert.equal(second['metadata']['resourceVersion'], rv);
  assert.equal(second['metadata']['remainingItemCount'], 1);
  const third = await ok('GET', path, { query: { limit: '2', continue: second['metadata']['continue'] } });
  assert.deepEqual(names(third), ['p5']);
  assert.equal(third['metadata']['resourceVersion'], rv);
  assert.equal(third['metadata']['continue'], undefined);
  assert.equal(third['metadata']['remainingItemCount'], undefined);
  // A fresh list sees the changes.
  assert.deepEqual(names(await ok('GET', path)), ['p0', 'p1', 'p2', 'p4', 'p5', 'p6']);
});

test('a paged list with a selector reports no remainingItemCount', async () => {
  const path = await namespace('paging-sel');
  for (const n of ['a', 'b', 'c', 'd']) await ok('POST', path, { body: cm(n, { keep: 'yes' }) });
  const page = await ok('GET', path, { query: { limit: '1', labelSelector: 'keep=yes' } });
  assert.deepEqual(names(page), ['a']);
  assert.ok(page['metadata']['continue']);
  assert.equal(page['metadata']['remainingItemCount'], undefined);
});

test('a continue token that does not decode is 400', async () => {
  const r = await call(s.handler, 'GET', '/api/v1/configmaps', { query: { continue: 'not-a-token' } });
  assert.equal(r.status, 400);
  assert.match(r.json()['message'], /^continue key is not valid/);
});

test('list resourceVersion: unset is the latest state, "0" is any state, too large is 504', async () => {
  const path = await namespace('rv');
  const created = await ok('POST', path, { body: cm('x') });
  const latest = await ok('GET', path);
  assert.equal(latest['metadata']['resourceVersion'], created['metadata']['resourceVersion']);
  const any = await ok('GET', path, { query: { resourceVersion: '0', limit: '1' } });
  assert.deepEqual(names(any), ['x']);
  const notOlder = await ok('GET', path, { query: { resourceVersion: created['metadata']['resourceVersion'], resourceVersionMatch: 'NotOlderThan' } });
  assert.deepEqual(names(notOlder), ['x']);
  const big = String(Number(created['metadata']['resourceVersion']) + 1000);
  for (const query of [{ resourceVersion: big }, { resourceVersion: big, resourceVersionMatch: 'NotOlderThan' }]) {
    const r = await call(s.handler, 'GET', path, { query });
    assert.equal(r.status, 504);
    const st = r.json();
    assert.equal(st['reason'], 'Timeout');
    assert.match(st['message'], new RegExp(`^Timeout: Too large resource version: ${big}, current: \\d+$`));
    assert.deepEqual(st['details']['causes'], [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
  }
});

test('list at an exact resourceVersion shows the state of that revision', async () => {
  const path = await namespace('exact');
  const a = await ok('POST', path, { body: cm('a', {}, { v: '1' }) });
  const at = a['metadata']['resourceVersion'];
  a['data'] = { v: '2' };
  await ok('PUT', `${path}/a`, { body: a });
  await ok('POST', path, { body: cm('b') });
  const exact = await ok('GET', path, { query: { resourceVersion: at, resourceVersionMatch: 'Exact' } });
  assert.equal(exact['metadata']['resourceVersion'], at);
  assert.deepEqual(names(exact), ['a']);
  assert.equal(exact['items'][0]['data']['v'], '1');
  // With a limit and no resourceVersionMatch, a non-zero resourceVersion is exact too (the legacy rule).
  const legacy = await ok('GET', path, { query: { resourceVersion: at, limit: '10' } });
  assert.equal(legacy['metadata']['resourceVersion'], at);
  assert.deepEqual(names(legacy), ['a']);
});

test('list options are validated as Kubernetes does (422 ListOptions)', async () => {
  const cases: { query: Record<string, string>; message: string }[] = [
    {
      query: { resourceVersionMatch: 'Exact' },
      message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    },
    {
      query: { resourceVersion: '0', resourceVersionMatch: 'Exact' },
      message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    },
    {
      query: { resourceVersion: '1', resourceVersionMatch: 'Newest' },
      message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
    },
    {
      query: { sendInitialEvents: 'true' },
      message: 'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
    },
  ];
  for (const c of cases) {
    const r = await call(s.handler, 'GET', '/api/v1/configmaps', { query: c.query });
    assert.equal(r.status, 422, JSON.stringify(c.query));
    const st = r.json();
    assert.equal(st['reason'], 'Invalid');
    assert.equal(st['message'], c.message);
    assert.equal(st['details']['kind'], 'ListOptions');
    assert.equal(st['details']['group'], 'meta.k8s.io');
  }
  const bad = await call(s.handler, 'GET', '/api/v1/configmaps', { query: { resourceVersion: 'abc' } });
  assert.equal(bad.status, 400);
});

test('a list at a compacted revision is 410 Expired', async () => {
  const small = await startTestServer({ strategies: builtinStrategies(), memory: { historyLimit: 5 }, cache: { maxEvents: 5 } });
  try {
    const path = '/api/v1/namespaces/default/configmaps';
    const first = (await call(small.handler, 'POST', path, { body: cm('old') })).json();
    for (let i = 0; i < 12; i++) await call(small.handler, 'POST', path, { body: cm(`n${i}`) });
    const r = await call(small.handler, 'GET', path, { query: { resourceVersion: first['metadata']['resourceVersion'], resourceVersionMatch: 'Exact' } });
    assert.equal(r.status, 410);
    assert.equal(r.json()['reason'], 'Expired');
    assert.equal(r.json()['message'], 'The resourceVersion for the provided list is too old.');
  } finally {
    await small.close();
  }
});

test('a continue token of a compacted revision is 410 with a token to go on inconsistently', async () => {
  const small = await startTestServer({ strategies: builtinStrategies(), memory: { historyLimit: 5 }, cache: { maxEvents: 5 } });
  try {
    const path = '/api/v1/namespaces/default/configmaps';
    for (const n of ['a', 'b', 'c']) await call(small.handler, 'POST', path, { body: cm(n) });
    const page = (await call(small.handler, 'GET', path, { query: { limit: '1' } })).json();
    for (let i = 0; i < 12; i++) await call(small.handler, 'POST', path, { body: cm(`n${i}`) });
    const r = await call(small.handler, 'GET', path, { query: { limit: '1', continue: page['metadata']['continue'] } });
    assert.equal(r.status, 410);
    const st = r.json();
    assert.equal(st['reason'], 'Expired');
    assert.match(st['message'], /^The provided continue parameter is too old to display a consistent list result\./);
    const token = st['metadata']['continue'];
    assert.ok(token, 'the Status carries a continue token');
    const rest = (await call(small.handler, 'GET', path, { query: { limit: '100', continue: token } })).json();
    assert.deepEqual(names(rest).slice(0, 2), ['b', 'c']);
  } finally {
    await small.close();
  }
});

test('an all-namespaces list has every namespace and the list kind', async () => {
  const list = await ok('GET', '/api/v1/namespaces');
  assert.equal(list['kind'], 'NamespaceList');
  assert.equal(list['apiVersion'], 'v1');
  for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names(list).includes(n), n);
  const svcs = await ok('GET', '/api/v1/services');
  assert.equal(svcs['kind'], 'ServiceList');
  assert.ok(svcs['items'].some((i: Json) => i['metadata']['name'] === 'kubernetes' && i['metadata']['namespace'] === 'default'));
});

test('a list as PartialObjectMetadataList carries metadata only', async () => {
  const path = await namespace('pom');
  await ok('POST', path, { body: cm('m', { a: 'b' }, { big: 'x'.repeat(100) }) });
  const r = await call(s.handler, 'GET', path, { accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json' });
  assert.equal(r.status, 200);
  const l = r.json();
  assert.equal(l['kind'], 'PartialObjectMetadataList');
  assert.equal(l['apiVersion'], 'meta.k8s.io/v1');
  assert.ok(l['metadata']['resourceVersion']);
  assert.equal(l['items'].length, 1);
  assert.equal(l['items'][0]['kind'], 'PartialObjectMetadata');
  assert.equal(l['items'][0]['apiVersion'], 'meta.k8s.io/v1');
  assert.deepEqual(l['items'][0]['metadata']['labels'], { a: 'b' });
  assert.equal(l['items'][0]['data'], undefined);
  const one = (await call(s.handler, 'GET', `${path}/m`, { accept: 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io' })).json();
  assert.equal(one['kind'], 'PartialObjectMetadata');
  assert.equal(one['metadata']['name'], 'm');
});

test('a list as YAML', async () => {
  const path = await namespace('yaml');
  await ok('POST', path, { body: cm('y', {}, { k: 'v' }) });
  const r = await call(s.handler, 'GET', path, { accept: 'application/yaml' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/yaml');
  const doc = parseYaml(r.text) as Json;
  assert.equal(doc['kind'], 'ConfigMapList');
  assert.deepEqual(doc['items'][0]['data'], { k: 'v' });
  const one = await call(s.handler, 'GET', `${path}/y`, { accept: 'application/yaml' });
  assert.equal((parseYaml(one.text) as Json)['metadata']['name'], 'y');
});
