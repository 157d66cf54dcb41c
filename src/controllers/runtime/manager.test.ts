import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { ApiClient, inProcessTransport, type ResourceRef, type Transport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../../util/index.js';
import { Controller } from './controller.js';
import { SharedInformerFactory } from './informer-factory.js';
import { LeadershipLostError, Manager, type Runnable } from './manager.js';
import { advance, eventually, settle, TestTransport } from './testing-support/index.js';
import { builtinStrategies } from '../../cmd/strategies.js';

const configmaps: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

async function server(): Promise<Transport> {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const t = inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] });
  await new ApiClient(t).resource(configmaps).create({ metadata: { name: 'seed', namespace: 'default' } });
  return t;
}

/** A manager with one controller over the ConfigMap informer, recording reconciles and whether caches had synced. */
function setup(transport: Transport, clock = new FakeClock(), extra: Partial<ConstructorParameters<typeof Manager>[0]> & { identity?: string } = {}) {
  const tt = new TestTransport(transport);
  const { identity, ...rest } = extra;
  const election = identity ? { leaderElection: { client: new ApiClient(tt.transport), namespace: 'kube-system', name: 'kin-controller-manager', identity, random: () => 0 } } : {};
  const informers = new SharedInformerFactory({ client: new ApiClient(tt.transport), clock });
  const informer = informers.informerFor(configmaps, { namespace: 'default' });
  const reconciled: { key: string; synced: boolean }[] = [];
  const ctrl = new Controller({
    name: 'configmaps',
    clock,
    reconciler: {
      async reconcile(key) {
        reconciled.push({ key, synced: informer.hasSynced() });
      },
    },
  }).watch(informer);
  const manager = new Manager({ informers, clock, ...rest, ...election }).add(ctrl);
  return { manager, reconciled, tt, clock, informers };
}

test('the manager syncs the caches before any reconcile, reports health, and stops cleanly', async () => {
  const { manager, reconciled, informers } = setup(await server());
  assert.equal(manager.health().ready, false);
  const ac = new AbortController();
  const started = manager.start(ac.signal);
  await eventually(() => reconciled.length === 1, 'the seed object is reconciled');
  assert.deepEqual(reconciled, [{ key: 'default/seed', synced: true }]);
  const h = manager.health();
  assert.ok(h.ok && h.ready, JSON.stringify(h));
  assert.deepEqual(h.checks.map((c) => c.name), ['manager', 'informers', 'controller/configmaps']);
  ac.abort();
  await started;
  await informers.stopped();
  assert.equal(manager.health().checks.find((c) => c.name === 'controller/configmaps')?.message, 'stopped');
  assert.throws(() => manager.add({ name: 'late', run: async () => {} }), /has started/);
});

test('a failing controller stops the others and the manager', async () => {
  const { manager } = setup(await server());
  let otherStopped = false;
  const failing: Runnable = { name: 'broken', run: () => Promise.reject(new Error('boom')) };
  const other: Runnable = {
    name: 'other',
    run: (signal) => new Promise((r) => signal.addEventListener('abort', () => r((otherStopped = true) && undefined))),
  };
  manager.add(failing).add(other);
  await assert.rejects(manager.start(new AbortController().signal), /boom/);
  assert.ok(otherStopped);
  const h = manager.health();
  assert.equal(h.ok, false);
  assert.deepEqual(h.checks.find((c) => c.name === 'controller/broken'), { name: 'controller/broken', ok: false, message: 'boom' });
});

test('the manager gives up when the caches do not sync in time', async () => {
  const { manager, tt, clock } = setup(await server(), new FakeClock(), { cacheSyncTimeoutMs: 10_000 });
  tt.partition();
  const ac = new AbortController();
  const started = manager.start(ac.signal);
  let error: unknown;
  started.catch((e: unknown) => (error = e));
  await advance(clock, 10_000, 500);
  await settle();
  assert.match(String(error), /timed out waiting for cache to be synced/);
});

test('under leader election only the leader runs its controllers, and losing the lease ends start with an error', async () => {
  const t = await server();
  const clock = new FakeClock();
  const one = setup(t, clock, { identity: 'one' });
  const two = setup(t, clock, { identity: 'two' });
  const ac = new AbortController();
  const startOne = one.manager.start(ac.signal);
  await settle();
  const startTwo = two.manager.start(ac.signal);
  let twoError: unknown;
  startTwo.catch((e: unknown) => (twoError = e));
  await eventually(() => one.reconciled.length === 1, 'the leader reconciles');
  await advance(clock, 10_000);
  assert.equal(two.reconciled.length, 0, 'the follower does not');
  assert.equal(two.tt.lists().filter((r) => r.path.endsWith('/configmaps')).length, 0, 'nor does it even list');
  assert.ok(one.manager.health().checks.some((c) => c.name === 'leaderElection' && c.ok && c.message === 'leader: one'));

  // The leader is partitioned: it steps down (and fails), the follower takes over.
  one.tt.partition();
  let oneError: unknown;
  startOne.catch((e: unknown) => (oneError = e));
  await advance(clock, 30_000, 250);
  assert.ok(oneError instanceof LeadershipLostError, String(oneError));
  await eventually(() => two.reconciled.length === 1, 'the new leader reconciles');
  assert.equal(twoError, undefined);
  ac.abort();
  await startTwo;
});
