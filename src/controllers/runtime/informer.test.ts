import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { ApiClient, inProcessTransport, type ResourceClient, type ResourceRef } from '../../client/index.js';
import { MemoryBackend, WatchCache, type Backend } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../../util/index.js';
import { SharedInformer, type EventHandler } from './informer.js';
import { SharedInformerFactory } from './informer-factory.js';
import { isTombstone, keyOf, type DeletedFinalStateUnknown } from './keys.js';
import { indexByOwnerUid, ownerUidIndex } from './store.js';
import { advance, eventually, settle, TestTransport } from './testing-support/index.js';
import { builtinStrategies } from '../../cmd/strategies.js';

const configmaps: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
const ns = 'informer-test';

async function setup(backend: Backend = new WatchCache(new MemoryBackend())) {
  const api = assembleApiServer({ backend, clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const direct = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  await direct.resource({ group: '', version: 'v1', plural: 'namespaces', namespaced: false }).create({ metadata: { name: ns } });
  const tt = new TestTransport(direct.transport);
  const client = new ApiClient(tt.transport);
  const cms = direct.resource(configmaps);
  return { cms, client, tt };
}

function cm(name: string, data: Record<string, string> = {}, owner?: string): KubeObject {
  const metadata: KubeObject['metadata'] = { name, namespace: ns };
  if (owner) metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner }];
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
}

/** Records every event a handler gets, as short strings. */
function recorder() {
  const events: string[] = [];
  const deletes: (KubeObject | DeletedFinalStateUnknown)[] = [];
  const handler: EventHandler = {
    onAdd: (o, initial) => events.push(`add ${o.metadata?.name}${initial ? ' (initial)' : ''}`),
    onUpdate: (a, b) => events.push(a === b ? `resync ${b.metadata?.name}` : `update ${b.metadata?.name} ${JSON.stringify(a['data'])}->${JSON.stringify(b['data'])}`),
    onDelete: (o) => {
      deletes.push(o);
      events.push(isTombstone(o) ? `tombstone ${o.key}` : `delete ${o.metadata?.name}`);
    },
  };
  return { events, deletes, handler };
}

function informer(client: ApiClient, clock: FakeClock, opts: { pageSize?: number; resyncPeriodMs?: number } = {}) {
  return new SharedInformer({ client: client.resource(configmaps), namespace: ns, clock, random: () => 0, ...opts });
}

async function serverState(cms: ResourceClient): Promise<Map<string, string | undefined>> {
  const list = await cms.list({ namespace: ns });
  return new Map(list.items.map((o) => [keyOf(o), o.metadata?.resourceVersion]));
}

function storeState(inf: SharedInformer): Map<string, string | undefined> {
  return new Map(inf.store.list().map((o) => [keyOf(o), o.metadata?.resourceVersion]));
}

test('the first list is paged with limit and continue, then the informer has synced', async () => {
  const { cms, client, tt } = await setup();
  for (let i = 0; i < 7; i++) await cms.create(cm(`c${i}`));
  const clock = new FakeClock();
  const inf = informer(client, clock, { pageSize: 3 });
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  assert.equal(inf.hasSynced(), false);
  assert.equal(await inf.waitForSync(ac.signal), true);
  assert.equal(inf.store.size, 7);
  const lists = tt.lists();
  assert.equal(lists.length, 3);
  assert.deepEqual(lists.map((l) => l.query.get('limit')), ['3', '3', '3']);
  assert.equal(lists[0]!.query.get('continue'), null);
  assert.ok(lists[1]!.query.get('continue') && lists[2]!.query.get('continue'));
  assert.deepEqual(rec.events.slice().sort(), Array.from({ length: 7 }, (_, i) => `add c${i} (initial)`));
  await eventually(() => tt.watches().length === 1, 'the watch starts');
  const w = tt.watches()[0]!;
  assert.equal(w.query.get('resourceVersion'), inf.lastSyncResourceVersion());
  assert.equal(w.query.get('allowWatchBookmarks'), 'true');
  const timeout = Number(w.query.get('timeoutSeconds'));
  assert.ok(timeout >= 300 && timeout < 600);
  ac.abort();
  await run;
});

test('watch events reach the store and the handlers with old and new objects', async () => {
  const { cms, client } = await setup();
  await cms.create(cm('a', { v: '1' }));
  const inf = informer(client, new FakeClock());
  inf.addIndexers({ [ownerUidIndex]: indexByOwnerUid });
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await inf.waitForSync(ac.signal);
  await settle();
  await cms.create(cm('b', {}, 'uid-1'));
  await cms.patch('a', 'merge', { data: { v: '2' } }, { namespace: ns });
  await cms.delete('a', { namespace: ns });
  await eventually(() => rec.events.length === 4, 'four events');
  assert.deepEqual(rec.events, ['add a (initial)', 'add b', 'update a {"v":"1"}->{"v":"2"}', 'delete a']);
  assert.deepEqual(inf.store.keys(), [`${ns}/b`]);
  assert.deepEqual(inf.store.byIndex(ownerUidIndex, 'uid-1').map(keyOf), [`${ns}/b`]);
  assert.deepEqual(inf.store.listInNamespace(ns).map(keyOf), [`${ns}/b`]);
  assert.deepEqual(storeState(inf), await serverState(cms));
  ac.abort();
  await run;
});

test('a handler added late first gets an add for every stored object', async () => {
  const { cms, client } = await setup();
  await cms.create(cm('x'));
  const inf = informer(client, new FakeClock());
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await inf.waitForSync(ac.signal);
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  assert.deepEqual(rec.events, ['add x (initial)']);
  ac.abort();
  await run;
});

test('resync hands every stored object to the handlers as an update, each period', async () => {
  const { cms, client } = await setup();
  await cms.create(cm('a'));
  await cms.create(cm('b'));
  const clock = new FakeClock();
  const inf = informer(client, clock, { resyncPeriodMs: 30_000 });
  const rec = recorder();
  const quiet = recorder();
  inf.addEventHandler(rec.handler);
  inf.addEventHandler(quiet.handler, { resyncPeriodMs: 0 });
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await inf.waitForSync(ac.signal);
  rec.events.length = 0;
  clock.advance(29_999);
  assert.deepEqual(rec.events, []);
  clock.advance(1);
  assert.deepEqual(rec.events.sort(), ['resync a', 'resync b']);
  clock.advance(30_000);
  assert.equal(rec.events.length, 4);
  assert.ok(!quiet.events.some((e) => e.startsWith('resync')), 'a handler without resync gets none');
  ac.abort();
  await run;
});

test('when the server ends a watch the informer watches again from the last resourceVersion, without a list', async () => {
  const { cms, client, tt } = await setup();
  const clock = new FakeClock();
  const inf = informer(client, clock);
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await inf.waitForSync(ac.signal);
  await eventually(() => tt.watches().length === 1, 'first watch');
  await cms.create(cm('seen'));
  await eventually(() => inf.store.size === 1, 'the create is seen');
  const rv = inf.lastSyncResourceVersion();
  tt.cutWatches();
  tt.restoreWatches();
  await eventually(() => tt.watches().length === 2, 'second watch');
  assert.equal(tt.watches()[1]!.query.get('resourceVersion'), rv);
  await cms.create(cm('after'));
  await eventually(() => inf.store.size === 2, 'the second create is seen');
  assert.equal(tt.lists().length, 1, 'no relist');
  void clock;
  ac.abort();
  await run;
});

test('after a 410 the informer lists again, tells deletes it missed as tombstones, and its store equals the server', async () => {
  // A history of five events: a watch that misses more than that cannot resume.
  const { cms, client, tt } = await setup(new WatchCache(new MemoryBackend({ historyLimit: 5 }), { maxEvents: 5 }));
  for (const n of ['keep', 'change', 'drop1', 'drop2']) await cms.create(cm(n, { v: '1' }));
  const clock = new FakeClock();
  const inf = informer(client, clock, { pageSize: 2 });
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await inf.waitForSync(ac.signal);
  await eventually(() => tt.watches().length === 1, 'first watch');
  const rvBefore = inf.lastSyncResourceVersion();
  rec.events.length = 0;

  tt.cutWatches();
  await advance(clock, 2000); // past the backoff of a watch that ended with nothing in it
  for (let i = 0; i < 10; i++) await cms.create(cm(`new${i}`));
  await cms.patch('change', 'merge', { data: { v: '2' } }, { namespace: ns });
  await cms.delete('drop1', { namespace: ns });
  await cms.delete('drop2', { namespace: ns });
  const listsBefore = tt.lists().length;
  tt.restoreWatches();

  await eventually(() => inf.store.size === 12 && !inf.store.get(`${ns}/drop1`), 'the informer recovers');
  assert.deepEqual(storeState(inf), await serverState(cms));
  const relists = tt.lists().slice(listsBefore);
  assert.equal(relists[0]!.query.get('resourceVersion'), rvBefore, 'first from the last resourceVersion seen');
  const fresh = relists[1]!.query;
  assert.ok(fresh.get('resourceVersion') === null && fresh.get('continue') === null, 'then from scratch, that one being too old');
  assert.ok(relists.slice(2).every((r) => r.query.get('continue')), 'following continue');
  assert.equal(tt.watches().at(-1)!.query.get('resourceVersion'), inf.lastSyncResourceVersion());
  assert.deepEqual(rec.events.filter((e) => e.startsWith('tombstone')).sort(), [`tombstone ${ns}/drop1`, `tombstone ${ns}/drop2`]);
  const tomb = rec.deletes.find((d) => isTombstone(d) && d.key === `${ns}/drop1`) as DeletedFinalStateUnknown;
  assert.equal(tomb.obj.metadata?.name, 'drop1', 'the tombstone carries the last state seen');
  assert.ok(rec.events.includes('update change {"v":"1"}->{"v":"2"}'));
  assert.equal(rec.events.filter((e) => e.startsWith('add new')).length, 10);

  // And it watches on from the new list.
  await cms.create(cm('later'));
  await eventually(() => inf.store.size === 13, 'a write after the recovery is seen');
  assert.deepEqual(storeState(inf), await serverState(cms));
  ac.abort();
  await run;
});

test('a failing list is retried with backoff on the clock', async () => {
  const { cms, client, tt } = await setup();
  await cms.create(cm('a'));
  const clock = new FakeClock();
  tt.partition();
  const inf = informer(client, clock);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await settle();
  assert.equal(tt.lists().length, 1);
  clock.advance(799);
  await settle();
  assert.equal(tt.lists().length, 1, 'waits 800 ms');
  tt.heal();
  clock.advance(1);
  assert.equal(await inf.waitForSync(ac.signal), true);
  assert.equal(inf.store.size, 1);
  ac.abort();
  await run;
});

test('the factory hands one informer per resource to every caller and runs them all', async () => {
  const { cms, client } = await setup();
  await cms.create(cm('a'));
  const factory = new SharedInformerFactory({ client, clock: new FakeClock() });
  const one = factory.informerFor(configmaps);
  const two = factory.informerFor(configmaps, { indexers: { [ownerUidIndex]: indexByOwnerUid } });
  const other = factory.informerFor(configmaps, { namespace: ns });
  assert.equal(one, two);
  assert.notEqual(one, other);
  const ac = new AbortController();
  factory.start(ac.signal);
  const late = factory.informerFor({ group: '', version: 'v1', plural: 'namespaces', namespaced: false });
  assert.equal(await factory.waitForCacheSync(ac.signal), true);
  assert.ok(factory.hasSynced());
  assert.ok(late.store.get(ns), 'an informer asked for after start runs too');
  assert.equal(other.store.size, 1);
  ac.abort();
  await factory.stopped();
});
