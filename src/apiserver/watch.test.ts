import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { builtinStrategies } from '../cmd/strategies.js';
import { MemoryBackend, WatchCache, type Backend } from '../storage/index.js';
import { FakeClock, silentLogger } from '../util/index.js';
import { assembleApiServer } from './assemble.js';
import { call, startTestServer, watchReader, type TestServer, type WatchEventJson } from './testing-support/client.js';

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

let nsCount = 0;
/** A fresh namespace per test, so that watches see only that test's objects. */
async function freshNamespace(): Promise<string> {
  const name = `w${++nsCount}`;
  await ok('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  return `/api/v1/namespaces/${name}/configmaps`;
}

function cm(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): Json {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

const summary = (events: WatchEventJson[]) => events.map((e) => `${e.type} ${e.object['metadata']?.['name'] ?? ''}`.trim());

async function startWatch(path: string, query: Record<string, string>, opts: { accept?: string; signal?: AbortSignal } = {}) {
  const r = await call(s.handler, 'GET', path, { query: { watch: 'true', ...query }, ...opts });
  assert.equal(r.status, 200, r.text);
  return { res: r, reader: watchReader(r) };
}

test('a watch from a resourceVersion sends every later change once, in order, and nothing before', async () => {
  const path = await freshNamespace();
  const a = await ok('POST', path, { body: cm('a') });
  await ok('POST', path, { body: cm('b') });
  const { res, reader } = await startWatch(path, { resourceVersion: a['metadata']['resourceVersion'] });
  assert.equal(res.headers['content-type'], 'application/json');
  a['data'] = { k: 'v' };
  const updated = await ok('PUT', `${path}/a`, { body: a });
  await ok('DELETE', `${path}/b`);
  await ok('POST', path, { body: cm('c') });
  const events = await reader.take(4);
  assert.deepEqual(summary(events), ['ADDED b', 'MODIFIED a', 'DELETED b', 'ADDED c']);
  assert.equal(events[1]!.object['metadata']['resourceVersion'], updated['metadata']['resourceVersion']);
  const rvs = events.map((e) => Number(e.object['metadata']['resourceVersion']));
  assert.deepEqual([...rvs].sort((x, y) => x - y), rvs);
  assert.ok(rvs[0]! > Number(a['metadata']['resourceVersion']));
  // Nothing repeats: the next event is the next change.
  await ok('POST', path, { body: cm('d') });
  assert.deepEqual(summary(await reader.take(1)), ['ADDED d']);
  await reader.close();
});

test('a watch without a resourceVersion starts with ADDED for every existing object', async () => {
  const path = await freshNamespace();
  await ok('POST', path, { body: cm('x') });
  await ok('POST', path, { body: cm('y') });
  const { reader } = await startWatch(path, {});
  assert.deepEqual(summary(await reader.take(2)), ['ADDED x', 'ADDED y']);
  await ok('POST', path, { body: cm('z') });
  assert.deepEqual(summary(await reader.take(1)), ['ADDED z']);
  await reader.close();
});

test('a watch with resourceVersion "0" also starts with the current state', async () => {
  const path = await freshNamespace();
  await ok('POST', path, { body: cm('x') });
  const { reader } = await startWatch(path, { resourceVersion: '0' });
  assert.deepEqual(summary(await reader.take(1)), ['ADDED x']);
  await reader.close();
});

test('a watch with a label selector sees objects enter as ADDED and leave as DELETED', async () => {
  const path = await freshNamespace();
  const list = await ok('GET', path);
  const { reader } = await startWatch(path, { resourceVersion: list['metadata']['resourceVersion'], labelSelector: 'sel=yes' });
  await ok('POST', path, { body: cm('out', { sel: 'no' }) });
  const o = await ok('POST', path, { body: cm('in', { sel: 'yes' }) });
  o['data'] = { k: '1' };
  const o2 = await ok('PUT', `${path}/in`, { body: o });
  o2['metadata']['labels'] = { sel: 'no' };
  const o3 = await ok('PUT', `${path}/in`, { body: o2 });
  o3['metadata']['labels'] = { sel: 'yes' };
  await ok('PUT', `${path}/in`, { body: o3 });
  const events = await reader.take(4);
  assert.deepEqual(summary(events), ['ADDED in', 'MODIFIED in', 'DELETED in', 'ADDED in']);
  // The DELETED event of an object leaving the selector shows its last matching state at the new revision.
  assert.deepEqual(events[2]!.object['metadata']['labels'], { sel: 'yes' });
  assert.equal(events[2]!.object['metadata']['resourceVersion'], o3['metadata']['resourceVersion']);
  await reader.close();
});

test('a watch with a field selector follows one object', async () => {
  const path = await freshNamespace();
  const list = await ok('GET', path);
  const { reader } = await startWatch(path, { resourceVersion: list['metadata']['resourceVersion'], fieldSelector: 'metadata.name=one' });
  await ok('POST', path, { body: cm('two') });
  await ok('POST', path, { body: cm('one') });
  await ok('DELETE', `${path}/one`);
  assert.deepEqual(summary(await reader.take(2)), ['ADDED one', 'DELETED one']);
  await reader.close();
});

test('the deprecated /watch/ path watches a collection and a single object', async () => {
  const path = await freshNamespace();
  const ns = path.split('/')[4]!;
  await ok('POST', path, { body: cm('p') });
  await ok('POST', path, { body: cm('q') });
  const all = watchReader(await call(s.handler, 'GET', `/api/v1/watch/namespaces/${ns}/configmaps`));
  assert.deepEqual(summary(await all.take(2)), ['ADDED p', 'ADDED q']);
  await all.close();
  const one = watchReader(await call(s.handler, 'GET', `/api/v1/watch/namespaces/${ns}/configmaps/q`));
  await ok('DELETE', `${path}/p`);
  await ok('DELETE', `${path}/q`);
  assert.deepEqual(summary(await one.take(2)), ['ADDED q', 'DELETED q']);
  await one.close();
});

test('timeoutSeconds ends the stream', async () => {
  const path = await freshNamespace();
  await ok('POST', path, { body: cm('t') });
  const { reader } = await startWatch(path, { timeoutSeconds: '5' });
  assert.deepEqual(summary(await reader.take(1)), ['ADDED t']);
  s.clock.advance(5000);
  assert.deepEqual(await reader.rest(), []);
});

test('aborting the request ends the stream', async () => {
  const path = await freshNamespace();
  await ok('POST', path, { body: cm('t') });
  const ac = new AbortController();
  const { reader } = await startWatch(path, {}, { signal: ac.signal });
  assert.deepEqual(summary(await reader.take(1)), ['ADDED t']);
  ac.abort();
  assert.deepEqual(await reader.rest(), []);
});

test('allowWatchBookmarks brings periodic BOOKMARK events with the latest resourceVersion', async () => {
  const path = await freshNamespace();
  const created = await ok('POST', path, { body: cm('b') });
  const { reader } = await startWatch(path, { resourceVersion: String(Number(created['metadata']['resourceVersion']) - 1), allowWatchBookmarks: 'true' });
  assert.deepEqual(summary(await reader.take(1)), ['ADDED b']);
  s.clock.advance(60_000);
  const [bm] = await reader.take(1);
  assert.equal(bm!.type, 'BOOKMARK');
  assert.deepEqual(bm!.object, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: created['metadata']['resourceVersion'] } });
  await reader.close();
});

test('no BOOKMARK events without allowWatchBookmarks', async () => {
  const path = await freshNamespace();
  const created = await ok('POST', path, { body: cm('b') });
  const { reader } = await startWatch(path, { resourceVersion: String(Number(created['metadata']['resourceVersion']) - 1) });
  assert.deepEqual(summary(await reader.take(1)), ['ADDED b']);
  s.clock.advance(120_000);
  await ok('POST', path, { body: cm('c') });
  assert.deepEqual(summary(await reader.take(1)), ['ADDED c']);
  await reader.close();
});

test('sendInitialEvents ends the initial state with a bookmark annotated k8s.io/initial-events-end', async () => {
  const path = await freshNamespace();
  await ok('POST', path, { body: cm('i1') });
  const last = await ok('POST', path, { body: cm('i2') });
  const { reader } = await startWatch(path, { sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true' });
  const events = await reader.take(3);
  assert.deepEqual(summary(events), ['ADDED i1', 'ADDED i2', 'BOOKMARK']);
  const bm = events[2]!.object;
  assert.deepEqual(bm['metadata']['annotations'], { 'k8s.io/initial-events-end': 'true' });
  assert.ok(Number(bm['metadata']['resourceVersion']) >= Number(last['metadata']['resourceVersion']));
  await ok('POST', path, { body: cm('i3') });
  assert.deepEqual(summary(await reader.take(1)), ['ADDED i3']);
  await reader.close();
});

test('sendInitialEvents=false with no resourceVersion sends only changes from now on', async () => {
  const path = await freshNamespace();
  await ok('POST', path, { body: cm('before') });
  const { reader } = await startWatch(path, { sendInitialEvents: 'false', resourceVersionMatch: 'NotOlderThan' });
  await ok('POST', path, { body: cm('after') });
  assert.deepEqual(summary(await reader.take(1)), ['ADDED after']);
  await reader.close();
});

test('watch options are validated as Kubernetes does (422 ListOptions)', async () => {
  const cases: [Record<string, string>, string][] = [
    [{ sendInitialEvents: 'true' }, 'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'],
    [{ resourceVersion: '5', resourceVersionMatch: 'NotOlderThan' }, 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'],
    [
      { sendInitialEvents: 'true', resourceVersionMatch: 'Exact' },
      '[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]',
    ],
  ];
  for (const [query, msg] of cases) {
    const r = await call(s.handler, 'GET', '/api/v1/configmaps', { query: { watch: 'true', ...query } });
    assert.equal(r.status, 422, JSON.stringify(query));
    assert.equal(r.json()['message'], `ListOptions.meta.k8s.io "" is invalid: ${msg}`);
  }
});

test('watch=1 and watch=True are watches too; watch=false is a list', async () => {
  const path = await freshNamespace();
  await ok('POST', path, { body: cm('x') });
  for (const w of ['1', 'True']) {
    const r = await call(s.handler, 'GET', path, { query: { watch: w } });
    const reader = watchReader(r);
    assert.deepEqual(summary(await reader.take(1)), ['ADDED x']);
    await reader.close();
  }
  const list = await call(s.handler, 'GET', path, { query: { watch: 'false' } });
  assert.equal(list.json()['kind'], 'ConfigMapList');
});

test('a watch from a compacted revision gets one ERROR event, 410 Expired, and ends', async () => {
  const small = await startTestServer({ strategies: builtinStrategies(), memory: { historyLimit: 5 }, cache: { maxEvents: 5 } });
  try {
    const path = '/api/v1/namespaces/default/configmaps';
    const first = (await call(small.handler, 'POST', path, { body: cm('old') })).json();
    for (let i = 0; i < 12; i++) await call(small.handler, 'POST', path, { body: cm(`n${i}`) });
    const rv = first['metadata']['resourceVersion'];
    const r = await call(small.handler, 'GET', path, { query: { watch: 'true', resourceVersion: rv } });
    assert.equal(r.status, 200);
    const events = await watchReader(r).rest();
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'ERROR');
    const st = events[0]!.object;
    assert.equal(st['kind'], 'Status');
    assert.equal(st['code'], 410);
    assert.equal(st['reason'], 'Expired');
    assert.match(st['message'], new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`));
  } finally {
    await small.close();
  }
});

test('a watch of Tables sends one-row Tables, with column definitions in the first event only', async () => {
  const path = (await freshNamespace()).replace('/api/v1/', '/apis/apps/v1/').replace('/configmaps', '/deployments');
  const deployment = (name: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
    },
  });
  await ok('POST', path, { body: deployment('t1') });
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
  const { res, reader } = await startWatch(path, {}, { accept });
  assert.equal(res.headers['content-type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
  await ok('POST', path, { body: deployment('t2') });
  const [e1, e2] = await reader.take(2);
  assert.equal(e1!.type, 'ADDED');
  assert.equal(e1!.object['kind'], 'Table');
  assert.equal(e1!.object['apiVersion'], 'meta.k8s.io/v1');
  assert.deepEqual(
    e1!.object['columnDefinitions'].filter((c: Json) => c['priority'] === 0).map((c: Json) => c['name']),
    ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
  );
  assert.equal(e1!.object['rows'].length, 1);
  assert.deepEqual(e1!.object['rows'][0]['cells'].slice(0, 4), ['t1', '0/2', 0, 0]);
  assert.equal(e1!.object['rows'][0]['object']['kind'], 'PartialObjectMetadata');
  assert.equal(e2!.type, 'ADDED');
  assert.equal(e2!.object['columnDefinitions'], undefined);
  assert.equal(e2!.object['rows'][0]['cells'][0], 't2');
  await reader.close();
});

test('a watch closed before its first read releases its backend watch', async () => {
  // A backend that counts its live watches.
  const inner = new WatchCache(new MemoryBackend());
  await inner.whenReady();
  let live = 0;
  const counting: Backend = Object.assign(Object.create(inner) as Backend, {
    watch(prefix: string, from: number, cb: Parameters<Backend['watch']>[2]) {
      const w = inner.watch(prefix, from, cb);
      live++;
      let cancelled = false;
      return {
        done: w.done,
        cancel() {
          if (!cancelled) live--;
          cancelled = true;
          w.cancel();
        },
      };
    },
  });
  const api = assembleApiServer({ backend: counting, clock: new FakeClock(), logger: silentLogger, serverAddress: '127.0.0.1:6443', strategies: builtinStrategies() });
  await api.bootstrap();
  const r = await call(api.handler, 'GET', '/api/v1/namespaces/default/configmaps', { query: { watch: 'true' } });
  assert.equal(live, 1);
  await watchReader(r).close();
  assert.equal(live, 0);
  await inner.close();
});

test('timeoutSeconds=0 is the server default, not an immediate end', async () => {
  const path = await freshNamespace();
  const { reader } = await startWatch(path, { timeoutSeconds: '0' });
  s.clock.advance(60_000);
  await ok('POST', path, { body: cm('still') });
  assert.deepEqual(summary(await reader.take(1)), ['ADDED still']);
  await reader.close();
});
