import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { ApiClient, inProcessTransport, type Transport } from '../../client/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../../util/index.js';
import { LeaderElector, type LeaderElectionConfig } from './leader-election.js';
import { leaseResource, type Lease } from './lease-lock.js';
import { advance, settle, TestTransport } from './testing-support/index.js';
import { builtinStrategies } from '../../cmd/strategies.js';

async function server(): Promise<Transport> {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  return inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] });
}

/** A candidate with its own transport (to cut it off), recording when it leads on the shared fake clock. */
function candidate(identity: string, inner: Transport, clock: FakeClock, log: string[], extra: Partial<LeaderElectionConfig> = {}) {
  const tt = new TestTransport(inner);
  let leading = false;
  const elector = new LeaderElector({
    client: new ApiClient(tt.transport),
    namespace: 'kube-system',
    name: 'kin-controller-manager',
    identity,
    clock,
    random: () => 0,
    callbacks: {
      onStartedLeading: () => {
        leading = true;
        log.push(`${clock.monotonic()} ${identity} started`);
      },
      onStoppedLeading: () => {
        leading = false;
        log.push(`${clock.monotonic()} ${identity} stopped`);
      },
    },
    ...extra,
  });
  const ac = new AbortController();
  return { identity, tt, elector, ac, isLeading: () => leading, run: () => elector.run(ac.signal) };
}

async function lease(t: Transport): Promise<Lease> {
  return new ApiClient(t).resource<Lease>(leaseResource).get('kin-controller-manager', { namespace: 'kube-system' });
}

/** Advances the clock in steps, checking after each that at most one candidate leads. */
async function watchOver(clock: FakeClock, ms: number, cands: { isLeading(): boolean }[]): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    await advance(clock, 100);
    assert.ok(cands.filter((c) => c.isLeading()).length <= 1, `two leaders at ${clock.monotonic()} ms`);
  }
}

test('of two candidates exactly one leads, and keeps leading while it renews', async () => {
  const t = await server();
  const clock = new FakeClock();
  const log: string[] = [];
  const a = candidate('a', t, clock, log);
  const b = candidate('b', t, clock, log);
  const runs = [a.run(), b.run()];
  await settle();
  await watchOver(clock, 30_000, [a, b]);
  const leaders = [a, b].filter((c) => c.isLeading());
  assert.equal(leaders.length, 1);
  const l = await lease(t);
  assert.equal(l.spec?.holderIdentity, leaders[0]!.identity);
  assert.equal(l.spec?.leaseDurationSeconds, 15);
  assert.equal(l.spec?.leaseTransitions, 0);
  assert.match(l.spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.equal(log.length, 1, 'no changes of leader');
  assert.equal(a.elector.getLeader(), leaders[0]!.identity);
  assert.equal(b.elector.getLeader(), leaders[0]!.identity);
  for (const c of [a, b]) c.ac.abort();
  await Promise.all(runs);
});

test('a leader cut off from the API steps down within the renew deadline; the other takes over once the lease expires', async () => {
  const t = await server();
  const clock = new FakeClock();
  const log: string[] = [];
  const a = candidate('a', t, clock, log);
  const runA = a.run();
  await settle();
  assert.ok(a.isLeading());
  const b = candidate('b', t, clock, log);
  const runB = b.run();
  await watchOver(clock, 5_000, [a, b]);
  assert.ok(a.isLeading() && !b.isLeading());

  const cut = clock.monotonic();
  a.tt.partition();
  await watchOver(clock, 30_000, [a, b]);
  await runA;
  assert.ok(b.isLeading());
  const [stopped, started] = log.slice(1).map((l) => Number(l.split(' ')[0]));
  assert.match(log[1]!, / a stopped$/);
  assert.match(log[2]!, / b started$/);
  assert.ok(stopped! - cut <= 12_000, `a stops within a retry period plus the renew deadline (${stopped! - cut} ms)`);
  assert.ok(started! - cut >= 13_000, `b waits for the lease to expire (${started! - cut} ms)`);
  assert.ok(started! > stopped!);
  const l = await lease(t);
  assert.equal(l.spec?.holderIdentity, 'b');
  assert.equal(l.spec?.leaseTransitions, 1);
  b.ac.abort();
  await runB;
});

test('a leader that stops without releasing blocks the others until its lease expires', async () => {
  const t = await server();
  const clock = new FakeClock();
  const log: string[] = [];
  const a = candidate('a', t, clock, log);
  const runA = a.run();
  await settle();
  const b = candidate('b', t, clock, log);
  const runB = b.run();
  await watchOver(clock, 3_000, [a, b]);
  const stop = clock.monotonic();
  a.ac.abort();
  await runA;
  await watchOver(clock, 12_000, [a, b]);
  assert.ok(!b.isLeading(), 'the lease is still valid');
  await watchOver(clock, 8_000, [a, b]);
  assert.ok(b.isLeading());
  assert.ok(Number(log.at(-1)!.split(' ')[0]) - stop >= 13_000);
  b.ac.abort();
  await runB;
});

test('with releaseOnCancel a stopping leader empties the lease and the next candidate takes over at its next retry', async () => {
  const t = await server();
  const clock = new FakeClock();
  const log: string[] = [];
  const a = candidate('a', t, clock, log, { releaseOnCancel: true });
  const runA = a.run();
  await settle();
  const b = candidate('b', t, clock, log);
  const runB = b.run();
  await watchOver(clock, 3_000, [a, b]);
  a.ac.abort();
  await runA;
  const released = await lease(t);
  assert.equal(released.spec?.holderIdentity, '');
  assert.equal(released.spec?.leaseDurationSeconds, 1);
  const stop = clock.monotonic();
  await watchOver(clock, 3_000, [a, b]);
  assert.ok(b.isLeading());
  assert.ok(Number(log.at(-1)!.split(' ')[0]) - stop <= 2_500);
  assert.equal((await lease(t)).spec?.leaseTransitions, 1);
  b.ac.abort();
  await runB;
});

const badConfigs: { name: string; cfg: Partial<LeaderElectionConfig>; message: string }[] = [
  { name: 'lease not longer than the renew deadline', cfg: { leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }, message: 'leaseDuration must be greater than renewDeadline' },
  { name: 'renew deadline within the jittered retry period', cfg: { renewDeadlineMs: 2_400, retryPeriodMs: 2_000 }, message: 'renewDeadline must be greater than retryPeriod*JitterFactor' },
  { name: 'no identity', cfg: { identity: '' }, message: 'Lock identity is empty' },
];
for (const c of badConfigs) {
  test(`leader election refuses a config with ${c.name}`, () => {
    const cfg: LeaderElectionConfig = {
      client: new ApiClient(() => Promise.reject(new Error('unused'))),
      namespace: 'kube-system',
      name: 'x',
      identity: 'me',
      callbacks: { onStartedLeading() {}, onStoppedLeading() {} },
      ...c.cfg,
    };
    assert.throws(() => new LeaderElector(cfg), { message: c.message });
  });
}
