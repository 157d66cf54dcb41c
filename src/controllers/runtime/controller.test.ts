import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { ApiClient, inProcessTransport, type ResourceRef } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../../util/index.js';
import { Controller, enqueueOwner, TerminalError, type ReconcileResult, type Reconciler } from './controller.js';
import { SharedInformerFactory } from './informer-factory.js';
import { exponentialFailureRateLimiter } from './rate-limiter.js';
import { eventually, settle } from './testing-support/index.js';
import { builtinStrategies } from '../../cmd/strategies.js';

const ns = 'ctrl-test';
const configmaps: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

/** A reconciler whose behaviour per call is scripted, recording the keys it gets. */
function scripted(behave: (key: string, call: number) => Promise<ReconcileResult> | ReconcileResult = () => undefined) {
  const calls: string[] = [];
  const reconciler: Reconciler = {
    async reconcile(key) {
      calls.push(key);
      return behave(key, calls.filter((k) => k === key).length);
    },
  };
  return { calls, reconciler };
}

function controller(reconciler: Reconciler, clock: FakeClock, workers = 1) {
  return new Controller({ name: 'test', reconciler, clock, workers, rateLimiter: exponentialFailureRateLimiter(5, 1000) });
}

test('a thrown error retries the key with exponential backoff until it succeeds', async () => {
  const clock = new FakeClock();
  const { calls, reconciler } = scripted((_k, n) => {
    if (n <= 3) throw new Error(`attempt ${n} failed`);
  });
  const c = controller(reconciler, clock);
  const ac = new AbortController();
  const run = c.run(ac.signal);
  c.enqueue('ns/a');
  await settle();
  const times: number[] = [clock.monotonic()];
  for (let i = 0; i < 3; i++) {
    const before = calls.length;
    while (calls.length === before) {
      clock.advance(1);
      await settle(3);
    }
    times.push(clock.monotonic());
  }
  assert.deepEqual(calls, ['ns/a', 'ns/a', 'ns/a', 'ns/a']);
  assert.deepEqual(times.slice(1).map((t, i) => t - times[i]!), [5, 10, 20]);
  assert.equal(c.queue.numRequeues('ns/a'), 0, 'success forgets the failures');
  ac.abort();
  await run;
});

test('a terminal error is not retried', async () => {
  const clock = new FakeClock();
  const { calls, reconciler } = scripted(() => {
    throw new TerminalError('spec.replicas is invalid');
  });
  const c = controller(reconciler, clock);
  const ac = new AbortController();
  const run = c.run(ac.signal);
  c.enqueue('ns/bad');
  await settle();
  clock.advance(60_000);
  await settle();
  assert.deepEqual(calls, ['ns/bad']);
  c.enqueue('ns/bad');
  await settle();
  assert.equal(calls.length, 2, 'a new event still reconciles it');
  ac.abort();
  await run;
});

test('requeueAfterMs reconciles the key again after that long', async () => {
  const clock = new FakeClock();
  const { calls, reconciler } = scripted((_k, n) => (n === 1 ? { requeueAfterMs: 30_000 } : undefined));
  const c = controller(reconciler, clock);
  const ac = new AbortController();
  const run = c.run(ac.signal);
  c.enqueue('k');
  await settle();
  clock.advance(29_999);
  await settle();
  assert.equal(calls.length, 1);
  clock.advance(1);
  await settle();
  assert.equal(calls.length, 2);
  ac.abort();
  await run;
});

test('with many workers one key is never reconciled twice at once, and events during a reconcile are not lost', async () => {
  const clock = new FakeClock();
  const inFlight = new Set<string>();
  let overlaps = 0;
  const releases: (() => void)[] = [];
  const { calls, reconciler } = scripted(async (key) => {
    if (inFlight.has(key)) overlaps++;
    inFlight.add(key);
    await new Promise<void>((r) => releases.push(r));
    inFlight.delete(key);
  });
  const c = controller(reconciler, clock, 4);
  const ac = new AbortController();
  const run = c.run(ac.signal);
  for (const k of ['a', 'b', 'a', 'c', 'a']) c.enqueue(k);
  await settle();
  assert.deepEqual(calls.slice().sort(), ['a', 'b', 'c'], 'three keys in parallel, a once');
  c.enqueue('a'); // while a is in flight
  c.enqueue('a');
  await settle();
  assert.equal(calls.length, 3, 'the fourth worker does not take a');
  while (releases.length) {
    releases.shift()!();
    await settle();
  }
  assert.deepEqual(calls.filter((k) => k === 'a').length, 2, 'a once more for the events during its reconcile');
  assert.equal(overlaps, 0);
  ac.abort();
  await run;
});

test('stopping lets the reconcile in flight finish with an aborted signal, drops queued keys, then run resolves', async () => {
  const clock = new FakeClock();
  const calls: string[] = [];
  let release!: () => void;
  let signalOfA: AbortSignal | undefined;
  const c = new Controller({
    name: 'stop',
    clock,
    reconciler: {
      async reconcile(key, signal) {
        calls.push(key);
        signalOfA = signal;
        await new Promise<void>((r) => (release = r));
      },
    },
  });
  const ac = new AbortController();
  let stopped = false;
  const run = c.run(ac.signal).then(() => (stopped = true));
  c.enqueue('a');
  await settle();
  c.enqueue('b');
  ac.abort();
  await settle();
  assert.equal(stopped, false, 'a is still in flight');
  assert.equal(signalOfA?.aborted, true, 'and its signal says to stop');
  release();
  await run;
  assert.deepEqual(calls, ['a'], 'b, queued at the stop, is dropped');
  c.enqueue('c');
  assert.equal(c.queue.len(), 0, 'the stopped queue takes no keys');
});

const ownerCases: { name: string; kind: string; opts: Parameters<typeof enqueueOwner>[1]; refs: { apiVersion: string; kind: string; name: string; controller?: boolean }[]; want: string[] }[] = [
  { name: 'an owner of the kind', kind: 'ReplicaSet', opts: {}, refs: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs' }], want: ['default/rs'] },
  { name: 'owners of other kinds are skipped', kind: 'ReplicaSet', opts: {}, refs: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j' }], want: [] },
  { name: 'the group must match when given', kind: 'ReplicaSet', opts: { group: 'apps' }, refs: [{ apiVersion: 'example.com/v1', kind: 'ReplicaSet', name: 'x' }, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'y' }], want: ['default/y'] },
  { name: 'the core group is the empty group', kind: 'ConfigMap', opts: { group: '' }, refs: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm' }], want: ['default/cm'] },
  { name: 'only the controller owner', kind: 'ReplicaSet', opts: { onlyController: true }, refs: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a' }, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', controller: true }], want: ['default/b'] },
  { name: 'a cluster-scoped owner is keyed by name', kind: 'Node', opts: { clusterScoped: true }, refs: [{ apiVersion: 'v1', kind: 'Node', name: 'n1' }], want: ['n1'] },
];
for (const c of ownerCases) {
  test(`enqueueOwner: ${c.name}`, () => {
    const obj: KubeObject = { metadata: { name: 'p', namespace: 'default', ownerReferences: c.refs.map((r) => ({ ...r, uid: `uid-${r.name}` })) } };
    assert.deepEqual(enqueueOwner(c.kind, c.opts)(obj), c.want);
  });
}

test('informer events enqueue keys: the object itself, and an owned object its owner', async () => {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  await client.resource({ group: '', version: 'v1', plural: 'namespaces', namespaced: false }).create({ metadata: { name: ns } });
  const cms = client.resource(configmaps);
  const owner = await cms.create({ metadata: { name: 'owner', namespace: ns } });
  const ownerRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid!, controller: true };

  const factory = new SharedInformerFactory({ client, clock: new FakeClock() });
  const informer = factory.informerFor(configmaps, { namespace: ns });
  const { calls, reconciler } = scripted();
  const c = controller(reconciler, new FakeClock())
    .watch(informer, undefined, { predicate: (o) => !o.metadata?.ownerReferences })
    .watch(informer, enqueueOwner('ConfigMap', { group: '' }));
  const ac = new AbortController();
  factory.start(ac.signal);
  const run = c.run(ac.signal);
  await eventually(() => calls.length === 1, 'the existing object is reconciled once synced');
  assert.deepEqual(calls, [`${ns}/owner`]);

  await cms.create({ metadata: { name: 'child', namespace: ns, ownerReferences: [ownerRef] } });
  await eventually(() => calls.length === 2, 'the child enqueues its owner');
  assert.deepEqual(calls, [`${ns}/owner`, `${ns}/owner`]);
  await cms.delete('child', { namespace: ns });
  await eventually(() => calls.length === 3, 'deleting the child enqueues its owner');
  await cms.create({ metadata: { name: 'plain', namespace: ns } });
  await eventually(() => calls.length === 4, 'a plain object enqueues itself');
  assert.equal(calls[3], `${ns}/plain`);
  ac.abort();
  await Promise.all([run, factory.stopped()]);
});
